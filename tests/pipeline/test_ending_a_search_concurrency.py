"""A job set Filled or Closed while a candidate is added or reopened in it: one of the two
waits for the other and nobody is left active on a search that is over. Both services lock
the job's row before checking it, as job_update does before closing the job's candidates.
PostgreSQL only (SQLite serialises every writer, so there the race cannot happen and the test
would prove nothing)."""

from __future__ import annotations

import pytest
from django.db import connection

from closeloop.jobs.models import Job, JobStatus
from closeloop.jobs.services import job_update
from closeloop.pipeline.models import JOB_CLOSED_REASON, Application, ApplicationStatus
from closeloop.pipeline.services import application_reopen, application_withdraw, candidate_add
from racing import race

pytestmark = pytest.mark.slow


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises writers, so an add and a close cannot race "
            "there (CI runs this with DATABASE_URL=postgres://…)."
        )


def fill(world):
    return (
        "fill",
        lambda: job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED}),
    )


def active_on_the_job(world) -> list[str]:
    rows = Application.objects.filter(job=world.job, status=ApplicationStatus.ACTIVE)
    return list(rows.values_list("candidate__full_name", flat=True))


def test_a_candidate_added_while_the_job_is_filled_is_refused(postgresql, world):
    seen_open = Job.objects.get(pk=world.job.pk)  # as the add page's request read it
    add = ("add", lambda: candidate_add(job=seen_open, by=world.rita, data={"full_name": "Larry"}))
    done = race(fill(world), add)
    assert done == [
        "add refused: Backend Engineer is filled; set it Open again to add candidates to it.",
        "fill done",
    ]
    assert active_on_the_job(world) == []


def test_a_candidate_reopened_while_the_job_is_filled_closes_with_it(postgresql, world):
    application_withdraw(application=world.sourced, by=world.rita, reason="other_offer")
    reopen = ("reopen", lambda: application_reopen(application=world.sourced, by=world.rita))
    done = race(reopen, fill(world))
    assert done == ["fill done", "reopen done"]
    assert active_on_the_job(world) == []
    sourced = Application.objects.get(pk=world.sourced.pk)
    assert sourced.closed_reason == JOB_CLOSED_REASON
    assert Job.objects.get(pk=world.job.pk).status == JobStatus.FILLED


def test_a_candidate_reopened_after_the_fill_began_is_refused(postgresql, world):
    application_withdraw(application=world.sourced, by=world.rita, reason="other_offer")
    reopen = ("reopen", lambda: application_reopen(application=world.sourced, by=world.rita))
    done = race(fill(world), reopen)
    assert done == [
        "fill done",
        "reopen refused: Backend Engineer is filled; set it Open again to reopen a candidate.",
    ]
    assert active_on_the_job(world) == []


def test_the_worker_closing_a_big_searchs_rest_waits_for_a_reopening_in_flight(
    postgresql, world, monkeypatch
):
    from closeloop.pipeline import services as pipeline_services

    monkeypatch.setattr(pipeline_services, "JOB_CLOSE_NOW", 0)  # all left for the worker
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    pk = world.sourced.pk
    reopen = (
        "reopen",
        lambda: job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN}),
    )
    done = race(reopen, ("worker", lambda: pipeline_services.ended_job_close_one(pk=pk)))

    assert done == ["reopen done", "worker done"]
    assert Application.objects.get(pk=pk).status == ApplicationStatus.ACTIVE
