"""The worker step: when a meeting ends, the recruiter owes a record of it, and the next
meeting is created (one at a time, never a backlog)."""

from __future__ import annotations

import datetime as dt

from closeloop.followups.models import Ask, AskStatus
from closeloop.touchbases.models import Touchbase, TouchbaseStatus
from closeloop.touchbases.services import touchbase_hold, touchbase_skip, touchbases_advance

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
CADENCE = {
    "touchbase_weekday": 3,
    "touchbase_time": dt.time(14, 0),
    "touchbase_minutes": 30,
    "touchbase_time_zone": "Europe/London",
}


def test_nothing_happens_before_the_meeting_ends(series, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=29))
    assert touchbases_advance().handled == 0
    assert not Ask.objects.filter(kind="hold_touchbase").exists()


def test_at_the_end_it_opens_the_hold_reminder_and_creates_the_next_meeting(world, series, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=30))
    assert touchbases_advance().handled == 1
    ask = Ask.objects.get(kind="hold_touchbase")
    ended = Touchbase.objects.get(scheduled_at=THURSDAY_14)
    assert ask.subject == f"touchbase:{ended.pk}" and ask.owner == world.rita
    assert ask.opened_at == ended.ends_at
    # Due one business day after the end (rita works 09–17 UTC): Friday 14:30.
    assert ask.due_at == dt.datetime(2026, 11, 27, 14, 30, tzinfo=dt.UTC)
    following = Touchbase.objects.get(scheduled_at=THURSDAY_14 + dt.timedelta(days=7))
    series.refresh_from_db()
    assert series.next_due_at == following.ends_at
    assert touchbases_advance().handled == 0  # a second worker round finds nothing to do


def test_marking_it_held_or_skipped_closes_the_reminder(world, series, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=2))
    touchbases_advance()
    ended = Touchbase.objects.get(scheduled_at=THURSDAY_14)
    touchbase_hold(touchbase=ended, by=world.rita)
    ask = Ask.objects.get(kind="hold_touchbase")
    assert ask.status == AskStatus.DONE and ask.closed_by == world.rita
    clock.move_to(THURSDAY_14 + dt.timedelta(days=7, hours=1))
    touchbases_advance()
    second = Touchbase.objects.get(scheduled_at=THURSDAY_14 + dt.timedelta(days=7))
    touchbase_skip(touchbase=second, by=world.hank, reason="Hank travelling")
    assert not Ask.objects.filter(kind="hold_touchbase", status=AskStatus.OPEN).exists()


def test_a_meeting_held_before_it_ended_opens_no_reminder(world, series, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=20))
    touchbase_hold(touchbase=Touchbase.objects.get(), by=world.rita)
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=1))
    touchbases_advance()
    assert not Ask.objects.filter(kind="hold_touchbase").exists()


def test_a_worker_off_for_weeks_creates_only_the_next_meeting(world, series, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(days=22))  # three Thursdays later, 14:00 +1 day
    assert touchbases_advance().handled == 1
    rows = list(Touchbase.objects.order_by("scheduled_at").values_list("scheduled_at", "status"))
    assert rows == [
        (THURSDAY_14, TouchbaseStatus.PLANNED),
        (THURSDAY_14 + dt.timedelta(days=28), TouchbaseStatus.PLANNED),
    ]
    assert Ask.objects.filter(kind="hold_touchbase").count() == 1  # for the one that existed


def test_an_inactive_series_is_left_alone(world, series, clock):
    series.active = False
    series.save()
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=1))
    assert touchbases_advance().handled == 0
