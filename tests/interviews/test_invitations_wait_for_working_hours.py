"""Interview invitations (with their .ics) are messages like the rest: booked on a Sunday,
they reach people on Monday morning in their own zone. Only a meeting that starts, or
started from, before then is news that cannot wait: that one goes at once."""

from __future__ import annotations

import datetime as dt

import pytest
from interview_helpers import book

from closeloop.interviews.services import Slot, interview_cancel, interview_reschedule
from closeloop.notify.models import Delivery

# Sunday 29 Nov 2026 06:16 UTC: 07:16 in Berlin.
SUNDAY = dt.datetime(2026, 11, 29, 6, 16, tzinfo=dt.UTC)
MONDAY_9_BERLIN = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
MONDAY_9_UTC = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
WEDNESDAY_14 = dt.datetime(2026, 12, 2, 14, 0, tzinfo=dt.UTC)
MONDAY_7 = dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)  # before anyone's day starts


@pytest.fixture(autouse=True)
def _quiet_hours_on(settings):
    settings.QUIET_HOURS = True  # a real installation's default


@pytest.fixture
def berliner(world):
    hank = world.hank
    hank.time_zone, hank.holiday_country, hank.holiday_subdivision = "Europe/Berlin", "DE", "BE"
    hank.save()
    return hank


def _due(template: str, person) -> list[dt.datetime]:
    return list(
        Delivery.objects.filter(message__template=template, message__recipient=person)
        .order_by("pk")
        .values_list("next_attempt_at", flat=True)
    )


def test_booked_on_sunday_for_wednesday_the_invitations_wait_for_monday_morning(
    world, technical, jonas, berliner, clock
):
    clock.move_to(SUNDAY)
    book(world, technical, [world.ivy, jonas], WEDNESDAY_14)
    assert _due("interview-invitation", world.ivy) == [MONDAY_9_UTC]
    assert _due("interview-invitation", berliner) == [MONDAY_9_BERLIN]


def test_an_interview_before_their_working_hours_is_news_at_once(
    world, technical, jonas, berliner, clock
):
    clock.move_to(SUNDAY)
    interview = book(world, technical, [world.ivy, jonas], MONDAY_7)
    assert _due("interview-invitation", world.ivy) == [SUNDAY]
    # Moved from that early hour to Wednesday: people must know before 07:00.
    interview_reschedule(
        interview=interview,
        by=world.rita,
        slot=Slot(starts_at=WEDNESDAY_14, time_zone="UTC", interviewers=[world.ivy, jonas]),
    )
    assert _due("interview-invitation", world.ivy) == [SUNDAY, SUNDAY]


def test_a_cancellation_waits_unless_the_interview_comes_first(world, technical, jonas, clock):
    clock.move_to(SUNDAY)
    later = book(world, technical, [world.ivy], WEDNESDAY_14)
    interview_cancel(interview=later, by=world.rita, reason="Candidate withdrew")
    early = book(world, technical, [jonas], MONDAY_7)
    interview_cancel(interview=early, by=world.rita, reason="Candidate withdrew")
    assert _due("interview-cancelled", world.ivy) == [MONDAY_9_UTC]
    assert _due("interview-cancelled", jonas) == [SUNDAY]
