"""A skip of a meeting the cadence then moved away from is dead: nothing shows it.

The fixtures' series meets Thursdays 14:00 London (now Mon 23 Nov 10:00 UTC). hank skips
Thu 26 Nov and Thu 03 Dec; then the cadence moves to Tuesdays 11:00. Neither Thursday will
take place whatever the skips said: no calendar keeps an EXDATE for them (it matches no
Tuesday), and neither the job page's *Recent* nor a meeting's *Other meetings* lists them.
A skip of a Tuesday of the new cadence is still listed and dropped from calendars, the
meetings newest first.
"""

from __future__ import annotations

import datetime as dt
import re

import icalendar
from django.urls import reverse

from closeloop.calendars.ics import calendar_text
from closeloop.touchbases.calendar import touchbase_events
from closeloop.touchbases.selectors import touchbase_current, touchbase_history
from closeloop.touchbases.services import series_event, series_sync, touchbase_skip

TUE_24_NOV = dt.datetime(2026, 11, 24, 11, 0, tzinfo=dt.UTC)
TUE_01_DEC = TUE_24_NOV + dt.timedelta(days=7)


def _moved(world, series):
    for _ in range(2):
        touchbase_skip(
            touchbase=touchbase_current(series=series), by=world.hank, reason="Hank travelling"
        )
    job = world.job
    job.touchbase_weekday, job.touchbase_time = 1, dt.time(11, 0)
    job.save()
    return series_sync(job=job, by=world.rita)


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_calendar_keeps_no_exdate_of_the_old_cadence(world, series):
    moved = _moved(world, series)
    assert series_event(moved).exdates == ()
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    (event,) = touchbase_events(world.hank, start, start + dt.timedelta(days=60))
    assert event.exdates == ()
    ics = _ics(moved)
    assert "EXDATE" not in ics


def _ics(series) -> str:
    return calendar_text([series_event(series)])


def test_a_skip_of_the_new_cadence_is_still_dropped(world, series):
    moved = _moved(world, series)
    assert touchbase_current(series=moved).scheduled_at == TUE_24_NOV
    touchbase_skip(touchbase=touchbase_current(series=moved), by=world.hank, reason="Offsite")
    assert series_event(moved).exdates == (TUE_24_NOV,)
    parsed = icalendar.Calendar.from_ical(_ics(moved))
    (vevent,) = parsed.walk("VEVENT")
    assert "EXDATE" in vevent


def test_the_pages_do_not_list_the_dead_skips(world, series, login):
    moved = _moved(world, series)
    current = touchbase_current(series=moved)
    assert touchbase_history(series=moved, exclude=current) == []
    client = login(world.hank)
    job_page = _text(client.get(reverse("jobs:job-detail", args=[world.job.pk])))
    assert "Thu 26 Nov" not in job_page and "Thu 03 Dec" not in job_page
    page = _text(client.get(reverse("touchbases:touchbase-detail", args=[current.pk])))
    assert "Thu 26 Nov" not in page and "Thu 03 Dec" not in page


def test_other_meetings_are_listed_newest_first(world, series, login):
    moved = _moved(world, series)
    touchbase_skip(touchbase=touchbase_current(series=moved), by=world.hank, reason="Offsite")
    following = touchbase_current(series=moved)
    assert following.scheduled_at == TUE_01_DEC
    touchbase_skip(touchbase=following, by=world.hank, reason="Offsite again")
    third = touchbase_current(series=moved)
    page = _text(login(world.hank).get(reverse("touchbases:touchbase-detail", args=[third.pk])))
    listed = page.split("Other meetings")[1]
    assert listed.index("Tue 01 Dec") < listed.index("Tue 24 Nov")
    assert "Thu 26 Nov" not in listed and "Thu 03 Dec" not in listed
