"""A job opened by mistake and closed again at once never had a search to ask about: no
candidate was ever added and it was open less than a day, so its close sends no
end-of-search survey (the timeline says so). A search that had a candidate, or ran a day or
more, is surveyed as ever."""

from __future__ import annotations

import datetime as dt

import pytest

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create, job_update
from closeloop.partnership.surveys.models import SearchSurvey
from closeloop.pipeline.models import ApplicationStatus


@pytest.fixture
def mistake(world, clock):
    """Rita opens "QA Engineer" with Hank, a job nobody meant to open yet."""
    return job_create(
        by=world.rita,
        data={
            "title": "QA Engineer",
            "status": JobStatus.OPEN,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )


def _close(job, by, **data):
    job_update(job=job, by=by, data={"status": JobStatus.CLOSED, "outcome": "cancelled", **data})


def test_a_job_closed_a_minute_after_it_opened_sends_no_survey(world, clock, mistake):
    clock.shift(dt.timedelta(minutes=1))
    _close(mistake, world.rita)
    assert not SearchSurvey.objects.filter(job=mistake).exists()
    assert not Ask.objects.filter(kind="answer_survey", job=mistake).exists()
    skipped = Activity.objects.get(kind="closeloop.survey.skipped", job=mistake)
    assert skipped.summary == (
        "The search ended before it ran (no candidate, open less than a day): "
        "nobody is asked how it went"
    )


def test_a_draft_closed_without_ever_opening_sends_no_survey(world, clock):
    draft = job_create(
        by=world.rita,
        data={
            "title": "Draft role",
            "status": JobStatus.DRAFT,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    clock.shift(dt.timedelta(days=10))
    _close(draft, world.rita)
    assert not SearchSurvey.objects.filter(job=draft).exists()


def test_a_search_open_a_day_without_a_candidate_is_surveyed(world, clock, mistake):
    clock.shift(dt.timedelta(days=1))
    _close(mistake, world.rita, outcome="failed")
    assert SearchSurvey.objects.get(job=mistake).outcome == "failed"
    assert Ask.objects.filter(kind="answer_survey", job=mistake).count() == 2


def test_a_short_search_that_had_a_candidate_is_surveyed(world, clock):
    """Backend Engineer was opened a moment ago too, but Carla and Sam were added to it; they
    are rejected with it, and still count as a search that ran."""
    world.job.applications.update(status=ApplicationStatus.REJECTED)
    clock.shift(dt.timedelta(minutes=5))
    _close(world.job, world.rita)
    assert SearchSurvey.objects.filter(job=world.job).exists()
