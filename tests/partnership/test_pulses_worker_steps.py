"""The pulse's worker steps: rounds open on the agreed cadence, windows close and reveal,
a bad row is held back while the others go on."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.followups.models import Ask, AskStatus
from closeloop.intake.models import IntakeStatus, IntakeVersion
from closeloop.jobs.models import JobStatus
from closeloop.lib.sweep import Swept
from closeloop.partnership.pulses import services
from closeloop.partnership.pulses.models import PulseRound, RevealReason
from closeloop.partnership.pulses.services import (
    pulse_answer_save,
    pulse_rounds_close_due,
    pulse_rounds_open_due,
)
from poison import Poison, sweep_errors

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
TWO_WEEKS = MONDAY_10 + dt.timedelta(weeks=2)


def _agree(job, weeks):
    """An agreement in force with this pulse cadence (plain ORM: the intake's own tests
    cover signing)."""
    return IntakeVersion.objects.create(
        job=job, number=1, title=job.title, status=IntakeStatus.SIGNED, pulse_weeks=weeks
    )


def test_a_job_without_an_agreement_gets_a_round_every_two_weeks(world, clock):
    clock.move_to(TWO_WEEKS - dt.timedelta(minutes=1))
    assert pulse_rounds_open_due() == Swept()
    clock.move_to(TWO_WEEKS)
    assert pulse_rounds_open_due() == Swept(handled=2)  # both open jobs of the world
    assert pulse_rounds_open_due() == Swept()  # never twice
    assert PulseRound.objects.filter(job=world.job).count() == 1
    assert Ask.objects.filter(kind="answer_pulse").count() == 4


def test_the_agreed_cadence_decides_and_off_means_never(world, clock):
    _agree(world.job, 4)
    _agree(world.other_job, 0)
    clock.move_to(TWO_WEEKS)
    assert pulse_rounds_open_due() == Swept()
    clock.move_to(MONDAY_10 + dt.timedelta(weeks=4))
    assert pulse_rounds_open_due() == Swept(handled=1)
    assert list(PulseRound.objects.values_list("job", flat=True)) == [world.job.pk]


def test_the_next_round_counts_from_the_last_one_and_waits_for_an_open_one(world, clock):
    _agree(world.other_job, 0)
    _agree(world.job, 1)
    clock.move_to(MONDAY_10 + dt.timedelta(weeks=1))
    assert pulse_rounds_open_due().handled == 1
    clock.move_to(MONDAY_10 + dt.timedelta(weeks=2))
    # The first round's window closed (five business days) but is not revealed yet.
    assert pulse_rounds_open_due() == Swept()
    assert pulse_rounds_close_due() == Swept(handled=1)
    assert pulse_rounds_open_due() == Swept(handled=1)
    assert list(PulseRound.objects.values_list("number", flat=True)) == [2, 1]


def test_a_closed_job_or_one_person_on_both_sides_gets_no_round(world, clock):
    world.job.status = JobStatus.FILLED
    world.job.save()
    other = world.other_job
    other.hiring_manager = other.recruiter
    other.save()
    clock.move_to(TWO_WEEKS)
    assert pulse_rounds_open_due() == Swept()


def test_the_window_closes_reveals_what_came_in_and_cancels_the_rest(world, pulse, clock):
    pulse_answer_save(round_=pulse, by=world.hank, scores=[1, 4, 4])
    clock.move_to(pulse.closes_at - dt.timedelta(seconds=1))
    assert pulse_rounds_close_due() == Swept()
    clock.move_to(pulse.closes_at)
    assert pulse_rounds_close_due() == Swept(handled=1)
    assert pulse_rounds_close_due() == Swept()
    pulse.refresh_from_db()
    assert pulse.reveal_reason == RevealReason.WINDOW_CLOSED
    rita_ask = Ask.objects.get(subject=f"pulse:{pulse.pk}:recruiter")
    assert rita_ask.status == AskStatus.CANCELLED
    assert [a["score"] for a in pulse.alerts] == [1]


def test_a_job_that_raises_is_held_while_the_other_gets_its_round(
    world, clock, monkeypatch, caplog
):
    bad = world.job
    poison = Poison(monkeypatch, services, "_open_one", lambda pk, now: pk == bad.pk)
    clock.move_to(TWO_WEEKS)
    with caplog.at_level(logging.ERROR):
        assert pulse_rounds_open_due() == Swept(handled=1, failed=1)
    [line] = sweep_errors(caplog)
    assert f"job {bad.pk}" in line.getMessage()
    assert pulse_rounds_open_due() == Swept()  # held: not tried again before its back-off
    assert poison.calls == 1
    poison.cure()
    clock.move_to(TWO_WEEKS + dt.timedelta(minutes=11))
    assert pulse_rounds_open_due() == Swept(handled=1)


def test_a_round_that_raises_at_its_window_is_held_while_the_others_close(
    world, clock, monkeypatch, caplog
):
    clock.move_to(TWO_WEEKS)
    pulse_rounds_open_due()
    bad, _good = PulseRound.objects.order_by("job_id")
    poison = Poison(monkeypatch, services, "_close_one", lambda pk, now: pk == bad.pk)
    clock.move_to(bad.closes_at)
    with caplog.at_level(logging.ERROR):
        assert pulse_rounds_close_due() == Swept(handled=1, failed=1)
    assert len(sweep_errors(caplog)) == 1
    assert pulse_rounds_close_due() == Swept()
    poison.cure()
    clock.move_to(bad.closes_at + dt.timedelta(minutes=11))
    assert pulse_rounds_close_due() == Swept(handled=1)
    assert not PulseRound.objects.filter(revealed_at__isnull=True).exists()
    assert poison.calls == 1


@pytest.mark.parametrize("step", ["pulse rounds", "pulse windows"])
def test_both_steps_are_registered_with_the_worker(step):
    from closeloop.followups.worker import STEPS

    assert [name for name, _ in STEPS].count(step) == 1
