"""Two workers on PostgreSQL never open a round twice, never reveal twice, never send twice.

These tests commit (each thread has its own connection), so they live apart from the
modules whose tests share one rolled-back world. On SQLite they are skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask
from closeloop.followups.services import asks_lock
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create
from closeloop.notify.models import Message
from closeloop.partnership.pulses.models import PulseRound
from closeloop.partnership.pulses.services import (
    pulse_answer_save,
    pulse_rounds_close_due,
    pulse_rounds_open_due,
    pulse_subject,
)

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SKIP = "Concurrent claims need PostgreSQL (SKIP LOCKED); run with DATABASE_URL=postgres://…"


def _race(work) -> list[int]:
    """Run `work` in two threads with their own connections, started together."""
    barrier = threading.Barrier(2)
    done: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            done.append(work())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return done


@pytest.mark.django_db(transaction=True)
def test_two_workers_open_each_round_once_and_send_each_invitation_once(world, clock):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    for i in range(10):
        job_create(
            by=world.rita,
            data={
                "title": f"Job {i}",
                "status": JobStatus.OPEN,
                "recruiter": world.rita,
                "hiring_manager": world.hank,
            },
        )
    jobs = 12  # the world's two and these ten
    clock.move_to(MONDAY_10 + dt.timedelta(weeks=2))
    done = _race(lambda: sum(pulse_rounds_open_due(limit=3).handled for _ in range(10)))
    assert sum(done) == jobs
    assert PulseRound.objects.count() == jobs
    assert Ask.objects.filter(kind="answer_pulse").count() == 2 * jobs
    _race(lambda: sum(asks_advance().handled + notices_compose().handled for _ in range(5)))
    # One invitation message per person, however many workers composed.
    people = set(Ask.objects.filter(kind="answer_pulse").values_list("owner", flat=True))
    assert Message.objects.filter(template="nudge").count() == len(people)


@pytest.mark.django_db(transaction=True)
def test_two_workers_reveal_each_round_once_and_alert_once(world, clock):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    clock.move_to(MONDAY_10 + dt.timedelta(weeks=2))
    pulse_rounds_open_due()
    for round_ in PulseRound.objects.all():
        pulse_answer_save(round_=round_, by=round_.hiring_manager, scores=[1, 1, 1])
    clock.move_to(PulseRound.objects.order_by("-closes_at").first().closes_at)
    done = _race(lambda: sum(pulse_rounds_close_due(limit=1).handled for _ in range(5)))
    assert sum(done) == 2
    assert not PulseRound.objects.filter(revealed_at__isnull=True).exists()
    # ada administers: one alert per round, never two.
    assert Message.objects.filter(template="pulse-alert").count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_answer_racing_the_close_of_its_round_waits_instead_of_deadlocking(world, clock):
    """rita's answer holds her ask and is about to lock the round while the worker closes
    it: the close locks the asks first, as the answer does, so it waits for her instead of
    holding the round she needs (PostgreSQL would kill one of the two as a deadlock)."""
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    clock.move_to(MONDAY_10 + dt.timedelta(weeks=2))
    pulse_rounds_open_due()
    round_ = PulseRound.objects.get(job=world.job)
    clock.move_to(round_.closes_at)
    holding, outcome = threading.Event(), {}

    def answer() -> None:
        try:
            with transaction.atomic():
                asks_lock(kind="answer_pulse", subjects=[pulse_subject(round_, "recruiter")])
                holding.set()
                time.sleep(0.5)  # the worker starts its close meanwhile
                try:
                    pulse_answer_save(round_=round_, by=world.rita, scores=[4, 4, 4])
                    outcome["answer"] = "saved"
                except ValidationError:
                    outcome["answer"] = "refused"  # the window has closed: a fair answer
        except Exception as error:  # the deadlock this test is about
            outcome["answer"] = repr(error)
        finally:
            connections.close_all()

    def close() -> None:
        try:
            holding.wait(10)
            outcome["closed"] = pulse_rounds_close_due().handled
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome["answer"] in ("saved", "refused"), outcome
    assert outcome["closed"] >= 1
    assert PulseRound.objects.get(pk=round_.pk).revealed_at is not None
