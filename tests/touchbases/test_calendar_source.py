"""The series on both people's personal calendar feeds (one recurring event each)."""

from __future__ import annotations

import datetime as dt

from closeloop.calendars.ics import calendar_text
from closeloop.calendars.sources import events_for
from closeloop.touchbases.calendar import touchbase_events


def test_both_sides_get_the_recurring_event(world, series):
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    end = dt.datetime(2027, 2, 1, tzinfo=dt.UTC)
    for person in (world.rita, world.hank):
        (event,) = touchbase_events(person, start, end)
        assert event.uid == series.uid and event.rrule == {"FREQ": "WEEKLY", "BYDAY": "TH"}
        assert event.time_zone == "Europe/London"
    assert list(touchbase_events(world.ivy, start, end)) == []
    assert list(touchbase_events(world.olga, start, end)) == []


def test_it_is_registered_as_a_feed_source(world, series):
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    events = events_for(world.rita, start, start + dt.timedelta(days=60))
    assert series.uid in {event.uid for event in events}
    text = calendar_text([e for e in events if e.uid == series.uid])
    assert "RRULE:FREQ=WEEKLY;BYDAY=TH" in text and "TZID=Europe/London" in text


def test_a_stopped_or_future_series_is_not_on_the_feed(world, series):
    early = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert list(touchbase_events(world.rita, early, early + dt.timedelta(days=7))) == []
    series.active = False
    series.save()
    assert list(touchbase_events(world.rita, early, early + dt.timedelta(days=60))) == []
