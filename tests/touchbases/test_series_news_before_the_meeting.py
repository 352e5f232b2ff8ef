"""A touch-base series' invitation, change or cancellation waits for its reader's working
hours like any message, unless the meeting it is about begins before them: held, it would
reach the calendar after the meeting it sets up, moves or calls off (README, "Respect")."""

from __future__ import annotations

import datetime as dt

import pytest

from closeloop.notify.models import Delivery
from closeloop.touchbases.services import series_sync

SUNDAY_EVENING = dt.datetime(2026, 11, 29, 20, 0, tzinfo=dt.UTC)
MONDAY_8 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)  # before hank's 09:00 in London
MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(world, settings):
    settings.QUIET_HOURS = True  # a real installation's default
    world.hank.time_zone = "Europe/London"
    world.hank.save()
    return world


def hanks_last_invitation() -> Delivery:
    return Delivery.objects.filter(
        message__recipient__email="hank@example.com", message__template="touchbase-invite"
    ).latest("pk")


def at(job, weekday: int, hour: int) -> None:
    job.touchbase_weekday, job.touchbase_time = weekday, dt.time(hour)
    job.touchbase_minutes, job.touchbase_time_zone = 30, "Europe/London"
    job.save()


def test_a_series_whose_first_meeting_is_before_his_hours_reaches_him_at_once(world, clock):
    at(world.job, 0, 8)  # Mondays 08:00 London
    clock.move_to(SUNDAY_EVENING)
    series_sync(job=world.job, by=world.rita)
    assert hanks_last_invitation().next_attempt_at == SUNDAY_EVENING


def test_a_series_that_begins_later_in_the_week_waits_for_his_morning(world, clock):
    at(world.job, 3, 14)  # Thursdays 14:00 London
    clock.move_to(SUNDAY_EVENING)
    series_sync(job=world.job, by=world.rita)
    assert hanks_last_invitation().next_attempt_at == MONDAY_9


def test_the_cancellation_of_a_series_meeting_before_his_hours_reaches_him_at_once(world, clock):
    at(world.job, 0, 8)
    series_sync(job=world.job, by=world.rita)
    clock.move_to(SUNDAY_EVENING)
    world.job.touchbase_weekday = None  # the cadence taken out of the agreement
    world.job.save()
    series_sync(job=world.job, by=world.rita)
    delivery = hanks_last_invitation()
    assert delivery.message.subject.startswith("Cancelled")
    assert delivery.next_attempt_at == SUNDAY_EVENING


def test_a_series_moved_away_from_a_meeting_before_his_hours_reaches_him_at_once(world, clock):
    """Moved from Mondays 08:00 to Thursdays: his calendar shows Monday's until it arrives."""
    at(world.job, 0, 8)
    series_sync(job=world.job, by=world.rita)
    clock.move_to(SUNDAY_EVENING)
    at(world.job, 3, 14)
    series_sync(job=world.job, by=world.rita)
    delivery = hanks_last_invitation()
    assert delivery.message.data["sequence"] == 1
    assert delivery.next_attempt_at == SUNDAY_EVENING


def test_a_series_meeting_as_his_hours_begin_reaches_him_before_it(world, clock):
    """Mondays 10:00 Berlin, 09:00 for him in London: held for his hours, it arrived as the
    meeting began. A meeting within notify's MEETING_NOTICE of his morning gets it now."""
    at(world.job, 0, 9)
    clock.move_to(SUNDAY_EVENING)
    series_sync(job=world.job, by=world.rita)
    assert hanks_last_invitation().next_attempt_at == SUNDAY_EVENING


def test_a_series_set_up_with_a_past_start_is_sent_for_its_next_meeting(world, clock):
    """The demo sets a series up weeks back (its first meeting long past) and sends its
    invitation now: the next meeting, Monday at his 09:00, is the one it must reach him
    before, not the first."""
    at(world.job, 0, 9)
    clock.move_to(SUNDAY_EVENING)
    series_sync(job=world.job, by=world.rita, now=SUNDAY_EVENING - dt.timedelta(days=21))
    delivery = hanks_last_invitation()
    assert delivery.message.needed_by == MONDAY_9
    assert delivery.next_attempt_at == SUNDAY_EVENING
