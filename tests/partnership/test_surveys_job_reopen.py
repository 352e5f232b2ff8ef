"""A job reopened (set Open again) was not over after all: the end-of-search survey still
waiting for answers is called off. Nobody is asked how the search went any more, the job's
panel says the job was reopened instead of "Ended … answer the survey", what was answered is
shown to both sides, and the next close asks again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from surveys_world import close_job, links_in

from closeloop.activity.models import Activity
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message
from closeloop.partnership.surveys.models import SearchSurvey, SurveyAnswer
from closeloop.partnership.surveys.services import CALLED_OFF, survey_answer

pytestmark = pytest.mark.usefixtures("clock")


def reopen(world, status=JobStatus.OPEN):
    job_update(job=world.job, by=world.rita, data={"status": status})


def panel(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html.split('id="survey-panel-heading"')[1].split("</section>")[0]


def test_reopening_calls_off_the_survey_and_stops_asking(world, login):
    survey = close_job(world, status=JobStatus.FILLED)
    reopen(world)

    survey.refresh_from_db()
    assert survey.called_off_at is not None and survey.revealed_at == survey.called_off_at
    asks = Ask.objects.filter(kind="answer_survey")
    assert {(ask.status, ask.closed_via) for ask in asks} == {(AskStatus.CANCELLED, "job reopened")}
    assert Activity.objects.filter(kind="closeloop.survey.called_off", job=world.job).exists()

    client = login(world.hank)
    text = panel(client, world.job)
    assert "so the survey was called off before anyone answered" in text
    assert "answer the survey" not in text and "blind until" not in text
    assert (
        "Answer the end-of-search survey of Backend Engineer"
        not in client.get(reverse("pipeline:queue")).content.decode()
    )


@pytest.mark.parametrize("status", [JobStatus.OPEN, JobStatus.ON_HOLD, JobStatus.DRAFT])
def test_any_status_that_is_not_an_end_calls_it_off(world, status):
    survey = close_job(world)
    reopen(world, status)
    survey.refresh_from_db()
    assert survey.called_off_at is not None


def test_what_was_answered_is_shown_and_the_other_side_cannot_answer_any_more(world, login):
    survey = close_job(world)
    survey_answer(survey=survey, by=world.rita, again="yes", what_worked="Quick slates")
    reopen(world)

    text = panel(login(world.hank), world.job)
    assert "so the survey was called off" in text
    assert "Rita Recruiter: work together again <strong>yes</strong>" in text
    assert "Hank Manager: no answer" in text
    with pytest.raises(ValidationError, match="called off"):
        survey_answer(survey=survey, by=world.hank, again="no")
    page = login(world.hank).get(reverse("partnership:surveys-survey", args=[survey.pk]))
    html = page.content.decode()
    assert "so the survey was called off: the search was not over" in html
    assert "Quick slates" in html and "Did not answer before the job was reopened." in html
    assert 'name="again"' not in html


def test_the_emailed_answers_say_it_was_called_off(client, world):
    close_job(world)
    asks_advance()
    notices_compose()
    invitation = Message.objects.get(recipient=world.hank, template="nudge")
    link = links_in(invitation)["Work together again: No"]
    reopen(world)

    response = client.post(link, {})
    assert response.status_code == 410
    assert not SurveyAnswer.objects.exists()
    assert CALLED_OFF in response.content.decode()


def test_a_revealed_survey_stays_the_record_of_that_close(world):
    survey = close_job(world)
    survey_answer(survey=survey, by=world.rita, again="yes")
    survey_answer(survey=survey, by=world.hank, again="maybe")
    revealed_at = SearchSurvey.objects.get(pk=survey.pk).revealed_at
    reopen(world)
    survey.refresh_from_db()
    assert survey.called_off_at is None and survey.revealed_at == revealed_at


def test_the_next_close_asks_again(world, clock):
    first = close_job(world)
    reopen(world)
    clock.shift(3600)
    job_update(job=world.job, by=world.rita, data={"status": "filled"})
    second = SearchSurvey.objects.exclude(pk=first.pk).get()
    assert second.called_off_at is None and second.revealed_at is None
    open_asks = Ask.objects.filter(kind="answer_survey", status=AskStatus.OPEN)
    assert {ask.subject.split(":")[1] for ask in open_asks} == {str(second.pk)}
