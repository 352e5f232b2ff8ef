"""How a search ended: closing a job records its outcome and sends both sides the survey."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from surveys_world import close_job

from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.models import Job, JobOutcome, JobStatus
from closeloop.jobs.services import job_update
from closeloop.partnership.surveys.models import SearchSurvey


def test_closing_a_job_as_cancelled_asks_both_sides(world, clock):
    survey = close_job(world, "cancelled")
    assert survey.outcome == "cancelled"
    assert (survey.recruiter, survey.hiring_manager) == (world.rita, world.hank)
    asks = Ask.objects.filter(kind="answer_survey").order_by("subject")
    assert {(a.owner, a.status) for a in asks} == {
        (world.rita, AskStatus.OPEN),
        (world.hank, AskStatus.OPEN),
    }
    # The invitation is the first rung, due at once: the worker sends it on its next loop.
    assert all(ask.next_nudge_at == ask.opened_at for ask in asks)
    assert survey.window_ends_at > survey.opened_at


@pytest.mark.parametrize("outcome", ["failed", "cancelled"])
def test_a_closed_job_keeps_how_it_ended(world, clock, outcome):
    close_job(world, outcome)
    assert Job.objects.get(pk=world.job.pk).outcome == outcome


def test_a_filled_job_was_filled_and_is_surveyed_too(world, clock):
    survey = close_job(world, "", status=JobStatus.FILLED)
    assert survey.outcome == JobOutcome.FILLED
    assert Job.objects.get(pk=world.job.pk).outcome == JobOutcome.FILLED


def test_a_closed_job_cannot_say_it_was_filled(world, clock):
    with pytest.raises(ValidationError):
        job_update(job=world.job, by=world.rita, data={"status": "closed", "outcome": "filled"})
    assert not SearchSurvey.objects.exists()
    assert Job.objects.get(pk=world.job.pk).status == JobStatus.OPEN


def test_saving_a_closed_job_again_sends_no_second_survey(world, clock):
    close_job(world, "failed")
    job_update(job=world.job, by=world.rita, data={"title": "Backend Engineer II"})
    assert SearchSurvey.objects.count() == 1


def test_reopening_clears_the_outcome_and_a_new_close_asks_again(world, clock):
    close_job(world, "failed")
    job_update(job=world.job, by=world.rita, data={"status": "open"})
    assert Job.objects.get(pk=world.job.pk).outcome == ""
    clock.shift(3600)
    job_update(job=world.job, by=world.rita, data={"status": "closed", "outcome": "cancelled"})
    assert list(SearchSurvey.objects.values_list("outcome", flat=True)) == ["cancelled", "failed"]


def _form(job, **changes):
    data = {
        "title": job.title, "team": job.team, "location": "", "headcount": 1,
        "status": "open", "outcome": "", "recruiter": job.recruiter_id,
        "hiring_manager": job.hiring_manager_id, "must_haves": job.must_haves,
    }  # fmt: skip
    return {**data, **changes}


def test_the_job_form_asks_how_the_search_ended_when_closing(login, world, clock):
    client = login(world.rita)
    url = f"/jobs/{world.job.pk}/edit/"
    response = client.post(url, _form(world.job, status="closed"))
    assert response.status_code == 400
    assert "Say how the search ended" in response.content.decode()
    assert Job.objects.get(pk=world.job.pk).status == JobStatus.OPEN
    assert not SearchSurvey.objects.exists()
    response = client.post(url, _form(world.job, status="closed", outcome="nonsense"))
    assert response.status_code == 400 and not SearchSurvey.objects.exists()
    # The box that confirms closing the job's candidates with it (tests/pipeline).
    confirmed = {"ending_confirmed": "on"}
    response = client.post(url, _form(world.job, status="closed", outcome="failed", **confirmed))
    assert response.status_code == 302
    assert SearchSurvey.objects.get().outcome == "failed"
