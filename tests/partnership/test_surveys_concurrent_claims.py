"""Two workers open check-ins and close survey windows at once, and nothing happens twice.

These tests commit (each thread has its own connection), so they build the world per test.
They need PostgreSQL (SKIP LOCKED and row locks); on SQLite they are skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection, connections

from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.services import job_create
from closeloop.partnership.surveys.models import QualityCheckin, SearchSurvey
from closeloop.partnership.surveys.services import (
    checkins_open_due,
    checkins_plan,
    survey_open,
    surveys_reveal_due,
)
from closeloop.pipeline.models import Application, ApplicationStatus
from closeloop.pipeline.services import candidate_add

POSTGRES_ONLY = (
    "Concurrent claims need PostgreSQL (SKIP LOCKED); run with DATABASE_URL=postgres://…"
)


def _race(step) -> list[int]:
    """Run `step` in two threads with their own connections; the work each one did."""
    barrier = threading.Barrier(2)
    done: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            done.append(sum(step(limit=3).handled for _ in range(15)))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return done


@pytest.mark.django_db(transaction=True)
def test_two_workers_open_each_check_in_once_on_postgresql(clock, world):
    if connection.vendor != "postgresql":
        pytest.skip(POSTGRES_ONLY)
    hires = [world.interviewed, world.sourced]
    for name in range(10):
        data = {"full_name": f"Hire {name}", "email": f"h{name}@cand.example"}
        hires.append(candidate_add(job=world.job, by=world.rita, data=data).application)
    Application.objects.filter(pk__in=[a.pk for a in hires]).update(status=ApplicationStatus.HIRED)
    for application in Application.objects.filter(pk__in=[a.pk for a in hires]):
        checkins_plan(application=application)
    clock.shift(dt.timedelta(days=30, minutes=1))
    done = _race(checkins_open_due)
    assert sum(done) == len(hires)
    subjects = Counter(Ask.objects.filter(kind="quality_checkin").values_list("subject", flat=True))
    assert len(subjects) == len(hires) and set(subjects.values()) == {1}
    assert QualityCheckin.objects.filter(days=30, opened_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_reveal_each_survey_once_on_postgresql(clock, world):
    if connection.vendor != "postgresql":
        pytest.skip(POSTGRES_ONLY)
    data = {"status": "open", "recruiter": world.rita, "hiring_manager": world.hank}
    for name in range(10):
        job = job_create(by=world.rita, data={**data, "title": f"Job {name}"})
        survey_open(job=job, by=world.rita, outcome="cancelled")
    clock.shift(dt.timedelta(days=30))
    done = _race(surveys_reveal_due)
    assert sum(done) == 10
    assert not SearchSurvey.objects.filter(revealed_at__isnull=True).exists()
    assert set(Ask.objects.filter(kind="answer_survey").values_list("status", flat=True)) == {
        AskStatus.CANCELLED
    }
