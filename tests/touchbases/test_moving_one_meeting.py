"""Moving one touch-base, the series unchanged.

The fixtures' series meets Thursdays 14:00 London (UTC in November), 30 minutes; it is Mon
23 Nov 10:00 UTC, and rita and hank work 09:00–17:00 UTC, Monday to Friday. hank moves
Thu 26 Nov to Fri 27 Nov 15:00 for an offsite: the meeting, its "mark it held" reminder and
the next one follow; calendars get the moved date as an override of its slot; a time past,
one on another meeting, or one past the next meeting is refused; one outside their working
hours is said and waits for a confirmation.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from closeloop.calendars.ics import calendar_text
from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.touchbases.calendar import touchbase_events
from closeloop.touchbases.models import Touchbase, TouchbaseSeries
from closeloop.touchbases.selectors import MOVE_NEEDS_CONFIRMING, touchbase_current
from closeloop.touchbases.services import (
    series_event,
    series_sync,
    touchbase_move,
    touchbase_skip,
    touchbases_advance,
)

THU_26 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
FRI_27 = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
THU_03 = THU_26 + dt.timedelta(days=7)
HALF_HOUR = dt.timedelta(minutes=30)


def _move(world, current, starts_at=FRI_27, **kwargs):
    kwargs.setdefault("reason", "Team offsite on Thursday")
    return touchbase_move(touchbase=current, by=world.hank, starts_at=starts_at, **kwargs)


def _ahead(series) -> list[dt.datetime]:
    """The starts of the series' meetings still to come."""
    rows = Touchbase.objects.filter(series=series, scheduled_at__gt=dt.datetime.now(dt.UTC))
    return list(rows.order_by("scheduled_at").values_list("scheduled_at", flat=True))


def _series(series):
    return TouchbaseSeries.objects.get(pk=series.pk)


def test_the_meeting_moves_and_the_series_follows_it(world, series, current):
    was = _series(series).sequence
    moved = _move(world, current)
    moved.refresh_from_db()
    assert (moved.scheduled_at, moved.ends_at) == (FRI_27, FRI_27 + HALF_HOUR)
    assert moved.moved_from == THU_26 and moved.moved_by == world.hank
    assert moved.move_reason == "Team offsite on Thursday"
    series = _series(series)
    # The worker acts when the moved meeting ends; calendars get a new version.
    assert series.next_due_at == FRI_27 + HALF_HOUR and series.next_starts_at == FRI_27
    assert series.sequence == was + 1
    assert touchbase_current(series=series) == moved
    # The weekly cadence itself is unchanged.
    assert (series.weekday, series.start_time) == (3, dt.time(14, 0))


def test_its_reminder_opens_when_it_ends_and_the_next_one_is_the_next_slot(
    world, series, current, clock
):
    moved = _move(world, current)
    clock.move_to(THU_26 + dt.timedelta(hours=1))
    assert touchbases_advance().handled == 0  # Thursday's slot is not a meeting any more
    clock.move_to(FRI_27 + dt.timedelta(minutes=31))
    assert touchbases_advance().handled == 1
    ask = Ask.objects.get(kind="hold_touchbase", status=AskStatus.OPEN)
    assert ask.subject == f"touchbase:{moved.pk}" and "Fri 27 Nov" in ask.title
    assert ask.opened_at == FRI_27 + HALF_HOUR
    assert _ahead(series) == [THU_03]
    assert not Touchbase.objects.filter(series=series, scheduled_at=THU_26).exists()


def test_moved_earlier_the_next_meeting_is_still_the_next_slot(world, series, current, clock):
    tuesday = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
    _move(world, current, starts_at=tuesday)
    clock.move_to(tuesday + dt.timedelta(minutes=31))
    assert touchbases_advance().handled == 1
    assert _ahead(series) == [THU_03]
    # Thursday's slot was this meeting's: it does not come back as a meeting of its own.
    assert not Touchbase.objects.filter(series=series, scheduled_at=THU_26).exists()


@pytest.mark.parametrize(
    ("starts_at", "says"),
    [
        (dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), "That time has passed"),
        (THU_26, "at that time already"),
        (THU_03 + dt.timedelta(minutes=15), "collides with the touch-base of Thu 03 Dec 14:00"),
        (THU_03 + dt.timedelta(days=1), "after the next touch-base, Thu 03 Dec 14:00"),
    ],
)
def test_a_time_past_taken_or_past_the_next_meeting_changes_nothing(
    world, series, current, starts_at, says
):
    was = _series(series).sequence
    with pytest.raises(ValidationError) as refused:
        _move(world, current, starts_at=starts_at, confirmed=True)
    assert says in " ".join(refused.value.message_dict["starts_at"])
    current.refresh_from_db()
    assert current.scheduled_at == THU_26 and current.moved_from is None
    assert _series(series).sequence == was
    assert not Message.objects.filter(subject__startswith="Moved").exists()


def test_outside_working_hours_is_said_and_waits_for_a_confirmation(world, series, current):
    evening = dt.datetime(2026, 11, 27, 19, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as warned:
        _move(world, current, starts_at=evening)
    (problem,) = warned.value.error_dict["confirmed"]
    assert problem.code == MOVE_NEEDS_CONFIRMING
    # Worded as the intake's cadence step words it.
    assert problem.messages == [
        "Outside the working hours of Rita Recruiter (Fri 19:00, UTC) and Hank Manager "
        "(Fri 19:00, UTC). Move it anyway if it suits them."
    ]
    current.refresh_from_db()
    assert current.scheduled_at == THU_26
    moved = _move(world, current, starts_at=evening, confirmed=True)
    assert moved.scheduled_at == evening


def test_only_whoever_may_skip_it_moves_it(world, series, current):
    with pytest.raises(PermissionDenied):
        touchbase_move(touchbase=current, by=world.ivy, starts_at=FRI_27)
    assert _move(world, current, starts_at=FRI_27).moved_from == THU_26  # hank may
    back = touchbase_move(touchbase=current, by=world.rita, starts_at=THU_26)  # rita too
    assert back.moved_from is None


def test_a_skipped_or_held_meeting_does_not_move(world, series, current):
    touchbase_skip(touchbase=current, by=world.rita, reason="Hank travelling")
    with pytest.raises(ValidationError, match="skipped: it can no longer be moved"):
        _move(world, current)


def test_moved_again_it_keeps_its_slot_and_moved_back_it_is_ordinary(world, series, current):
    _move(world, current)
    wednesday = dt.datetime(2026, 11, 25, 11, 0, tzinfo=dt.UTC)
    again = _move(world, current, starts_at=wednesday)
    assert again.moved_from == THU_26 and again.scheduled_at == wednesday
    back = _move(world, current, starts_at=THU_26)
    back.refresh_from_db()
    assert (back.scheduled_at, back.moved_from, back.move_reason) == (THU_26, None, "")
    assert _series(series).next_due_at == THU_26 + HALF_HOUR
    assert series_event(_series(series)).moved == ()


def test_a_moved_meeting_skipped_is_dropped_at_its_slot(world, series, current):
    moved = _move(world, current)
    touchbase_skip(touchbase=moved, by=world.hank, reason="Offsite ran long")
    event = series_event(_series(series))
    assert event.exdates == (THU_26,) and event.moved == ()
    assert touchbase_current(series=series).scheduled_at == THU_03


def test_a_new_cadence_drops_a_move_whose_slot_it_left(world, series, current):
    _move(world, current)
    job = world.job
    job.touchbase_weekday, job.touchbase_time = 1, dt.time(11, 0)
    job.save()
    moved_series = series_sync(job=job, by=world.rita)
    following = touchbase_current(series=moved_series)
    tuesday = dt.datetime(2026, 11, 24, 11, 0, tzinfo=dt.UTC)
    assert (following.pk, following.scheduled_at) == (current.pk, tuesday)
    assert following.moved_from is None
    assert series_event(moved_series).moved == ()


def test_a_new_length_keeps_a_move_whose_slot_still_fits(world, series, current):
    _move(world, current)
    job = world.job
    job.touchbase_minutes = 45
    job.save()
    synced = series_sync(job=job, by=world.rita)
    kept = touchbase_current(series=synced)
    assert (kept.scheduled_at, kept.moved_from) == (FRI_27, THU_26)
    assert kept.ends_at == FRI_27 + dt.timedelta(minutes=45)
    assert _series(synced).next_due_at == kept.ends_at


def _vevents(text: str):
    return Calendar.from_ical(text).walk("VEVENT")


def test_calendars_show_it_as_an_override_of_its_slot(world, series, current, login):
    _move(world, current)
    series = _series(series)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    (event,) = touchbase_events(world.rita, start, start + dt.timedelta(days=60))
    texts = {
        "feed": calendar_text([event]),
        "file": login(world.rita)
        .get(reverse("touchbases:series-ics", args=[world.job.pk]))
        .content.decode(),
        "email": Message.objects.filter(recipient=world.rita, subject__startswith="Moved")
        .get()
        .attachments[0]["content"],
    }
    for where, text in texts.items():
        recurring, override = _vevents(text)
        assert "RRULE" in recurring and "RECURRENCE-ID" not in recurring, where
        assert str(override["UID"]) == str(recurring["UID"]) == series.uid, where
        assert override["SEQUENCE"] == recurring["SEQUENCE"] == series.sequence, where
        assert override["RECURRENCE-ID"].dt == THU_26, where
        assert override["RECURRENCE-ID"].params["TZID"] == "Europe/London", where
        assert (override["DTSTART"].dt, override["DTEND"].dt) == (FRI_27, FRI_27 + HALF_HOUR)
        assert "RRULE" not in override and "EXDATE" not in recurring, where
    assert "METHOD:REQUEST" in texts["email"]


def test_the_other_side_is_told_who_moved_it_from_when_to_when_and_why(world, series, current):
    _move(world, current)
    sent = Message.objects.filter(template="touchbase-invite", subject__startswith="Moved")
    # Both calendars take the update; the mover's email names them "you".
    assert {m.recipient_id for m in sent} == {world.rita.pk, world.hank.pk}
    ritas = sent.get(recipient=world.rita)
    assert ritas.subject == (
        "Moved: the Backend Engineer touch-base of Thu 26 Nov 14:00 (Europe/London), "
        "now Fri 27 Nov 15:00 (Europe/London)"
    )
    assert (
        "The touch-base of Thu 26 Nov 14:00 (Europe/London) is moved to Fri 27 Nov 15:00 "
        "(Europe/London) by Hank Manager (Team offsite on Thursday)"
    ) in ritas.body_text
    assert "by Hank Manager" in ritas.body_html and "Team offsite" in ritas.body_html
    assert "by you (Team offsite" in sent.get(recipient=world.hank).body_text
    # Held for her working hours, but never past the meeting it moves.
    assert ritas.needed_by == THU_26
