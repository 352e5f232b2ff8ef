"""The intake's messages reach people inside their working hours, like every other message:
proposed on a Sunday, the request to sign, the signed agreement, the touch-base series it
sets up and a summary sent to a colleague all wait for Monday morning in each one's zone."""

from __future__ import annotations

import datetime as dt

import pytest
from intake_helpers import complete_draft

from closeloop.intake.services import intake_propose, intake_sign, intake_summary_send
from closeloop.notify.models import Delivery

# Sunday 29 Nov 2026 06:16 UTC: 07:16 in Berlin.
SUNDAY = dt.datetime(2026, 11, 29, 6, 16, tzinfo=dt.UTC)
# Monday 30 Nov 09:00 in Berlin (CET), and in London (UTC).
MONDAY_9_BERLIN = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
MONDAY_9_LONDON = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _quiet_hours_on(settings):
    settings.QUIET_HOURS = True  # a real installation's default


@pytest.fixture
def berliner(world):
    """hank works in Berlin, Monday to Friday 09:00-17:00."""
    hank = world.hank
    hank.time_zone, hank.holiday_country, hank.holiday_subdivision = "Europe/Berlin", "DE", "BE"
    hank.work_start, hank.work_end, hank.work_days = dt.time(9), dt.time(17), [0, 1, 2, 3, 4]
    hank.save()
    world.rita.time_zone = "Europe/London"
    world.rita.save()
    return hank


def _due(template: str, person) -> list[dt.datetime]:
    return list(
        Delivery.objects.filter(message__template=template, message__recipient=person)
        .order_by("pk")
        .values_list("next_attempt_at", flat=True)
    )


def test_a_version_proposed_on_sunday_asks_the_hm_to_sign_on_monday_morning(world, berliner, clock):
    clock.move_to(SUNDAY)
    intake_propose(version=complete_draft(world), by=world.rita)
    assert _due("intake-sign", berliner) == [MONDAY_9_BERLIN]


def test_signed_on_sunday_the_recruiter_and_the_series_hear_on_monday(world, berliner, clock):
    clock.move_to(SUNDAY)
    version = intake_propose(version=complete_draft(world), by=world.rita)
    intake_sign(version=version, by=berliner)
    assert _due("intake-signed", world.rita) == [MONDAY_9_LONDON]
    # The agreed cadence set up the weekly touch-base: its invitation waits too.
    assert _due("touchbase-invite", berliner) == [MONDAY_9_BERLIN]
    assert _due("touchbase-invite", world.rita) == [MONDAY_9_LONDON]


def test_a_summary_sent_on_sunday_reaches_the_colleague_on_monday(world, berliner, clock):
    clock.move_to(SUNDAY)
    version = intake_propose(version=complete_draft(world), by=world.rita)
    intake_summary_send(version=version, by=world.rita, recipient=berliner)
    assert _due("intake-summary", berliner) == [MONDAY_9_BERLIN]


def test_inside_working_hours_they_go_at_once(world, berliner, clock):
    intake_propose(version=complete_draft(world), by=world.rita)  # Monday 11:00 in Berlin
    assert _due("intake-sign", berliner) == [dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)]
