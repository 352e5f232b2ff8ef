"""A job changing hands while a pulse round is open: the new hiring manager (or recruiter)
answers the round in the place of the one replaced, whose ask is cancelled (a pulse is
personal: never handed over); the other side is asked again about the newcomer. A side the
previous holder answered already stays theirs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.accounts.models import User
from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.services import job_update
from closeloop.partnership.pulses.models import PulseRound
from closeloop.partnership.pulses.services import pulse_answer_save


def pulse_asks(pulse) -> list[tuple[str, str, str]]:
    """The round's asks: (side, owner, status), oldest first."""
    asks = Ask.objects.filter(kind="answer_pulse", subject__startswith=f"pulse:{pulse.pk}:")
    return [
        (ask.subject.rsplit(":", 1)[1], ask.owner.full_name, ask.status)
        for ask in asks.order_by("pk")
    ]


def test_a_new_hiring_manager_is_asked_instead_of_the_one_replaced(world, pulse):
    job_update(job=world.job, by=world.ada, data={"hiring_manager": world.olga})
    assert pulse_asks(pulse) == [
        ("hiring_manager", "Hank Manager", AskStatus.CANCELLED),
        ("recruiter", "Rita Recruiter", AskStatus.CANCELLED),
        ("hiring_manager", "Olga Outsider", AskStatus.OPEN),
        ("recruiter", "Rita Recruiter", AskStatus.OPEN),
    ]
    olga_ask = Ask.objects.get(owner=world.olga, kind="answer_pulse", status=AskStatus.OPEN)
    rita_ask = Ask.objects.get(owner=world.rita, kind="answer_pulse", status=AskStatus.OPEN)
    assert "Rita Recruiter" in olga_ask.title and "Olga Outsider" in rita_ask.title
    pulse.refresh_from_db()
    assert pulse.hiring_manager == world.olga and pulse.closes_at >= olga_ask.due_at
    with pytest.raises(PermissionDenied):
        pulse_answer_save(round_=pulse, by=world.hank, scores=[3, 3, 3])
    pulse_answer_save(round_=pulse, by=world.olga, scores=[4, 4, 4])
    answer = pulse_answer_save(round_=pulse, by=world.rita, scores=[5, 5, 5])
    assert answer.about == world.olga
    assert PulseRound.objects.get(pk=pulse.pk).revealed_at is not None


def test_an_answer_the_previous_hiring_manager_gave_stays_theirs(world, pulse):
    pulse_answer_save(round_=pulse, by=world.hank, scores=[2, 2, 2])
    job_update(job=world.job, by=world.ada, data={"hiring_manager": world.olga})
    pulse.refresh_from_db()
    assert pulse.hiring_manager == world.hank
    assert pulse_asks(pulse) == [
        ("hiring_manager", "Hank Manager", AskStatus.DONE),
        ("recruiter", "Rita Recruiter", AskStatus.OPEN),
    ]


def test_a_new_recruiter_is_asked_too(world, pulse):
    rex = User.objects.create_user("rex@example.com", None, full_name="Rex New", is_recruiter=True)
    job_update(job=world.job, by=world.ada, data={"recruiter": rex})
    open_asks = Ask.objects.filter(kind="answer_pulse", status=AskStatus.OPEN)
    assert sorted(ask.owner.full_name for ask in open_asks) == ["Hank Manager", "Rex New"]
    pulse.refresh_from_db()
    assert pulse.recruiter == rex
