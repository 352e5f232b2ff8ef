"""weekly_updates_send: the worker step, per time zone, once, and never an empty email."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.followups.models import ActionLink
from closeloop.notify.models import Message
from closeloop.touchbases.models import WeeklyUpdateSchedule
from closeloop.touchbases.weekly import (
    weekly_update_configure,
    weekly_update_schedules_ensure,
    weekly_update_send_one,
    weekly_updates_send,
)


def _sent(person) -> list[Message]:
    return list(Message.objects.filter(recipient=person, template="weekly-update"))


def test_every_hm_and_recruiter_gets_monday_8_in_their_own_zone(world):
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    world.rita.time_zone = "America/New_York"
    world.rita.save()
    weekly_update_schedules_ensure()
    runs = dict(WeeklyUpdateSchedule.objects.values_list("person__email", "next_run_at"))
    assert runs["hank@example.com"] == dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)
    # It is 05:00 in New York: rita's first update is this very Monday.
    assert runs["rita@example.com"] == dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)
    assert "ivy@example.com" not in runs  # interviewers get none


def test_it_sends_at_the_time_and_moves_to_next_week(world, submitted, clock):
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    weekly_update_schedules_ensure()
    clock.move_to(dt.datetime(2026, 11, 30, 6, 59, tzinfo=dt.UTC))
    weekly_updates_send()
    assert _sent(world.hank) == []
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC))
    weekly_updates_send()
    weekly_updates_send()
    (message,) = _sent(world.hank)
    assert message.subject.startswith("Your weekly update, 30 Nov: you owe 1 follow-up")
    # What moved is news, said apart from what is owed.
    assert message.subject.endswith("; 3 moves last week")
    assert "Review Carla Candidate" in message.body_text
    assert "/act/" in message.body_html  # one-click buttons for the review
    assert ActionLink.objects.filter(recipient=world.hank).count() == 4
    schedule = WeeklyUpdateSchedule.objects.get(person=world.hank)
    assert schedule.next_run_at == dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)
    assert schedule.last_sent_at == dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)


def test_nothing_to_say_sends_nothing_but_still_moves_on(world, clock):
    weekly_update_configure(
        person=world.ivy, by=world.ivy, enabled=True, weekday=0, send_time=dt.time(8)
    )
    clock.move_to(dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC))
    assert weekly_updates_send().handled >= 1
    assert _sent(world.ivy) == []
    schedule = WeeklyUpdateSchedule.objects.get(person=world.ivy)
    assert schedule.next_run_at == dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
    assert schedule.last_sent_at is None


def test_turned_off_means_no_email(world, submitted, clock):
    weekly_update_configure(
        person=world.hank, by=world.hank, enabled=False, weekday=0, send_time=dt.time(8)
    )
    clock.move_to(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
    weekly_updates_send()
    assert _sent(world.hank) == []


def test_a_configured_day_and_time_is_honoured(world, submitted, clock):
    world.hank.time_zone = "Asia/Tokyo"
    world.hank.save()
    weekly_update_configure(
        person=world.hank, by=world.hank, enabled=True, weekday=4, send_time=dt.time(17, 30)
    )
    schedule = WeeklyUpdateSchedule.objects.get(person=world.hank)
    assert schedule.next_run_at == dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)  # Fri 17:30 JST


def test_only_oneself_or_an_admin_changes_the_schedule(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        weekly_update_configure(
            person=world.hank, by=world.rita, enabled=False, weekday=0, send_time=dt.time(8)
        )
    with pytest.raises(ValidationError):
        weekly_update_configure(
            person=world.hank, by=world.hank, enabled=True, weekday=9, send_time=dt.time(8)
        )
    weekly_update_configure(
        person=world.hank, by=world.ada, enabled=False, weekday=0, send_time=dt.time(8)
    )


def test_a_stale_claim_does_nothing(world, submitted, clock):
    """The conditional UPDATE: a worker holding an old next_run_at loses, sends nothing."""
    weekly_update_schedules_ensure()
    schedule = WeeklyUpdateSchedule.objects.get(person=world.hank)
    clock.move_to(schedule.next_run_at)
    old = schedule.next_run_at
    assert weekly_update_send_one(pk=schedule.pk, run_at=old, now=old) == 1
    assert weekly_update_send_one(pk=schedule.pk, run_at=old, now=old) == 0
    assert len(_sent(world.hank)) == 1


def test_a_time_zone_change_moves_the_next_run_without_sending(world, submitted, clock):
    weekly_update_schedules_ensure()  # Monday 30 Nov 08:00 UTC
    world.hank.time_zone = "America/Los_Angeles"
    world.hank.save()
    clock.move_to(dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC))  # midnight in Los Angeles
    weekly_updates_send()
    assert _sent(world.hank) == []
    schedule = WeeklyUpdateSchedule.objects.get(person=world.hank)
    assert schedule.next_run_at == dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)  # 08:00 LA
    clock.move_to(dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC))
    weekly_updates_send()
    assert len(_sent(world.hank)) == 1
    schedule.refresh_from_db()
    assert schedule.next_run_at == dt.datetime(2026, 12, 7, 16, 0, tzinfo=dt.UTC)


def test_a_move_east_sends_the_update_at_the_slot_already_passed(world, submitted, clock):
    weekly_update_schedules_ensure()  # Monday 30 Nov 08:00 UTC
    world.hank.time_zone = "Asia/Tokyo"
    world.hank.save()
    clock.move_to(dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC))  # 17:00 in Tokyo
    weekly_updates_send()  # moves it to 08:00 Tokyo (23:00 UTC Sunday), due already
    weekly_updates_send()  # sends it
    weekly_updates_send()
    assert len(_sent(world.hank)) == 1
    schedule = WeeklyUpdateSchedule.objects.get(person=world.hank)
    assert schedule.next_run_at == dt.datetime(2026, 12, 6, 23, 0, tzinfo=dt.UTC)


def test_changing_the_day_right_after_an_update_waits_a_week(world, submitted, clock):
    weekly_update_schedules_ensure()
    clock.move_to(dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC))
    weekly_updates_send()
    assert len(_sent(world.hank)) == 1
    clock.move_to(dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC))
    schedule = weekly_update_configure(
        person=world.hank, by=world.hank, enabled=True, weekday=1, send_time=dt.time(8, 0)
    )
    # Not tomorrow: the next Tuesday at least six days after the last one sent.
    assert schedule.next_run_at == dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)
    clock.move_to(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
    weekly_updates_send()
    assert len(_sent(world.hank)) == 1
    clock.move_to(dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC))
    weekly_updates_send()
    assert len(_sent(world.hank)) == 2


def test_after_a_late_run_the_next_update_waits_a_week(world, submitted, clock, login):
    """The worker was down over the weekend: Monday's update went out on Sunday at 03:54.
    The next one is not the next morning, but the Monday at least six days later."""
    weekly_update_schedules_ensure()  # Mondays 08:00 UTC, first on 30 Nov
    clock.move_to(dt.datetime(2026, 12, 6, 3, 54, tzinfo=dt.UTC))  # Sunday, six days late
    weekly_updates_send()
    assert len(_sent(world.hank)) == 1
    schedule = WeeklyUpdateSchedule.objects.get(person=world.hank)
    assert schedule.last_sent_at == dt.datetime(2026, 12, 6, 3, 54, tzinfo=dt.UTC)
    assert schedule.next_run_at == dt.datetime(2026, 12, 14, 8, 0, tzinfo=dt.UTC)
    page = login(world.hank).get(reverse("touchbases:weekly-update-preview")).content.decode()
    assert "next Mon 14 Dec 08:00" in page
    clock.move_to(dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC))
    weekly_updates_send()
    assert len(_sent(world.hank)) == 1
    clock.move_to(dt.datetime(2026, 12, 14, 8, 0, tzinfo=dt.UTC))
    weekly_updates_send()
    assert len(_sent(world.hank)) == 2


def test_a_late_run_with_nothing_to_say_keeps_the_next_slot(world, clock):
    """Nothing was sent, so nothing was sent too recently: the next Monday stands."""
    weekly_update_configure(
        person=world.ivy, by=world.ivy, enabled=True, weekday=0, send_time=dt.time(8)
    )
    clock.move_to(dt.datetime(2026, 12, 6, 3, 54, tzinfo=dt.UTC))
    weekly_updates_send()
    assert _sent(world.ivy) == []
    schedule = WeeklyUpdateSchedule.objects.get(person=world.ivy)
    assert schedule.next_run_at == dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
