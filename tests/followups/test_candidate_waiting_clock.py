"""The candidate waiting clock: no candidate goes N business days without news."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.pipeline.services import application_reject, application_withdraw, candidate_updated

UTC = dt.UTC


def clock_ask(application, kind="update_candidate"):
    return Ask.objects.get(kind=kind, application=application, status=AskStatus.OPEN)


def test_adding_a_candidate_starts_a_three_business_day_clock(world):
    ask = clock_ask(world.sourced)
    assert ask.owner == world.rita
    assert ask.due_at == dt.datetime(2026, 11, 26, 10, tzinfo=UTC)


def test_the_recruiter_is_reminded_when_the_candidate_has_waited_too_long(world, clock):
    clock.move_to(dt.datetime(2026, 11, 26, 10, 1, tzinfo=UTC))
    asks_advance()
    notices_compose()
    message = Message.objects.get(recipient=world.rita)
    assert "News for Carla Candidate (Backend Engineer) is due now" in message.body_text
    assert "News for Sam Sourced (Backend Engineer) is due now" in message.body_text
    waited = "3 days (3 business days) since Mon 23 Nov 10:00"
    assert f"Carla Candidate has been waiting {waited}" in message.body_text


def test_recording_an_update_closes_the_ask_and_restarts_the_clock(world, clock):
    clock.move_to(dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    first = clock_ask(world.sourced)
    candidate_updated(application=world.sourced, by=world.rita, note="Called her")
    first.refresh_from_db()
    assert first.status == AskStatus.DONE and first.closed_by == world.rita
    assert clock_ask(world.sourced).due_at == dt.datetime(2026, 11, 30, 12, tzinfo=UTC)
    world.sourced.refresh_from_db()
    assert world.sourced.candidate_updated_at == dt.datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_a_rejected_candidate_is_owed_the_outcome_within_a_business_day(world, clock):
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    assert not Ask.objects.filter(kind="update_candidate", application=world.sourced, status="open")
    inform = clock_ask(world.sourced, "inform_candidate")
    assert inform.due_at == dt.datetime(2026, 11, 24, 10, tzinfo=UTC)
    candidate_updated(application=world.sourced, by=world.rita, note="Emailed the outcome")
    assert not Ask.objects.filter(application=world.sourced, status="open").exists()


def test_a_withdrawn_candidate_needs_no_news(world):
    application_withdraw(application=world.sourced, by=world.rita, reason="other_offer")
    assert not Ask.objects.filter(application=world.sourced, status="open").exists()


def test_only_the_recruiting_side_records_news(world):
    with pytest.raises(PermissionDenied):
        candidate_updated(application=world.sourced, by=world.hank)
