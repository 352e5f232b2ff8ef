"""The profile's weekly-update line says why the next update skips the coming slot: one went
out less than six days before it, and the worker never sends two within six days."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.touchbases.models import WeeklyUpdateSchedule
from closeloop.touchbases.weekly import weekly_update_configure

SUNDAY_EVENING = dt.datetime(2026, 12, 6, 18, 33, tzinfo=dt.UTC)


def _profile(client) -> str:
    return client.get(reverse("accounts:profile")).content.decode()


def test_a_skipped_monday_names_the_update_that_went_out_since(world, login, clock):
    """Hank moved his update to Sunday, got it at 18:33, then moved it back to Monday: Monday
    7 Dec is within six days of it, so the next is the 14th, and the profile says why."""
    clock.move_to(SUNDAY_EVENING)
    WeeklyUpdateSchedule.objects.create(
        person=world.hank, weekday=6, send_time=dt.time(18, 33), last_sent_at=SUNDAY_EVENING
    )
    clock.move_to(SUNDAY_EVENING + dt.timedelta(minutes=20))
    weekly_update_configure(
        person=world.hank, by=world.hank, enabled=True, weekday=0, send_time=dt.time(8)
    )

    page = _profile(login(world.hank))

    assert "Mondays at 08:00 (your time)" in page
    assert "Mon 14 Dec 08:00</time> (the last went out Sun 06 Dec 18:33)." in page


def test_the_next_slot_in_course_says_nothing_of_the_last(world, login, clock):
    clock.move_to(SUNDAY_EVENING)
    WeeklyUpdateSchedule.objects.create(
        person=world.hank,
        weekday=0,
        send_time=dt.time(8),
        last_sent_at=dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC),
        next_run_at=dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC),
    )

    page = _profile(login(world.hank))

    assert "Mon 07 Dec 08:00</time>." in page
    assert "the last went out" not in page


def test_the_preview_says_it_too(world, submitted, login, clock):
    clock.move_to(SUNDAY_EVENING)
    WeeklyUpdateSchedule.objects.create(
        person=world.hank, weekday=6, send_time=dt.time(18, 33), last_sent_at=SUNDAY_EVENING
    )
    weekly_update_configure(
        person=world.hank, by=world.hank, enabled=True, weekday=0, send_time=dt.time(8)
    )

    page = login(world.hank).get(reverse("touchbases:weekly-update-preview")).content.decode()

    assert "next Mon 14 Dec 08:00 (the last went out Sun 06 Dec 18:33)." in page
