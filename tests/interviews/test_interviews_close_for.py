"""Closing an application closes its interview loop (`interviews_close_for`, called by the
pipeline): coming interviews are cancelled with a calendar CANCEL, scorecard asks and the
HM's decide ask are cancelled, an open debrief closes with the application, and the worker
opens nothing for a candidate who left."""

from __future__ import annotations

import datetime as dt

import pytest
from interview_helpers import end, open_asks, score

from closeloop.followups.models import Ask, AskStatus
from closeloop.interviews.models import Debrief, DebriefStatus, InterviewStatus
from closeloop.interviews.services import debriefs_open_due, interviews_complete
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message
from closeloop.pipeline.models import WithdrawalReason
from closeloop.pipeline.services import application_move, application_reject, application_withdraw


def _withdraw(world):
    application_withdraw(
        application=world.interviewed, by=world.rita, reason=WithdrawalReason.values[0]
    )


@pytest.fixture
def open_debrief(world, clock, interview, jonas):
    end(clock, interview)
    score(interview, world.ivy)
    score(interview, jonas)
    assert open_asks("decide_after_debrief")
    return Debrief.objects.get()


def test_a_withdrawal_cancels_coming_interviews_with_a_calendar_cancel(world, interview, jonas):
    before = interview.sequence
    _withdraw(world)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert interview.sequence == before + 1
    cancels = Message.objects.filter(recipient=world.ivy, template="interview-cancelled")
    files = [message.attachments[0]["content"] for message in cancels]
    assert any("METHOD:CANCEL" in ics and interview.uid in ics for ics in files)
    assert world.interviewed.activities.filter(kind="closeloop.interview.cancelled").exists()


def test_the_panel_is_not_told_why_the_candidate_left(world, interview, jonas):
    application_reject(application=world.interviewed, by=world.hank, reason="skills")
    interview.refresh_from_db()
    assert interview.cancel_reason == "The candidate was rejected."
    told = Message.objects.filter(recipient=world.ivy, template="interview-cancelled")
    assert told and not any("skill" in message.body_text.lower() for message in told)


def _reject(world):
    application_reject(application=world.interviewed, by=world.hank, reason="skills")


@pytest.mark.parametrize(
    ("close", "said", "logged"),
    [
        (_reject, "The candidate was rejected.", "as the candidate was rejected"),
        (_withdraw, "The candidate withdrew.", "as the candidate withdrew"),
    ],
)
def test_an_interview_called_off_because_the_candidate_left_says_so_and_names_no_canceller(
    world, interview, jonas, close, said, logged
):
    """Hank rejected Carla (or Rita recorded her withdrawal); neither cancelled her interview
    by hand: the notice and the timeline say what happened instead."""
    close(world)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert interview.cancel_reason == said
    told = Message.objects.filter(template="interview-cancelled")
    assert {message.recipient for message in told} >= {world.ivy, jonas, world.hank}
    for message in told:
        for body in (message.body_text, message.body_html):
            assert "cancelled the" not in body  # "Hank Hill cancelled the …", "You cancelled the …"
            assert "Why:" not in body  # the sentence says it once
            assert "no longer in the process" not in body
        assert f"is cancelled. {said}" in message.body_text
        assert f"is cancelled. {said}" in message.body_html
    entries = world.interviewed.activities.filter(kind="closeloop.interview.cancelled")
    assert "The Technical interview of Carla Candidate was called off " + logged in {
        entry.summary for entry in entries
    }
    for entry in entries:
        assert entry.summary.endswith(f"was called off {logged}")


def test_a_withdrawal_after_the_debrief_opened_cancels_the_decide_ask(world, open_debrief, login):
    _withdraw(world)
    assert not open_asks("decide_after_debrief")
    ask = Ask.objects.get(kind="decide_after_debrief")
    assert ask.status == AskStatus.CANCELLED
    open_debrief.refresh_from_db()
    assert open_debrief.status == DebriefStatus.CLOSED and not open_debrief.is_open
    page = login(world.hank).get(f"/debriefs/{open_debrief.pk}/").content.decode()
    assert "Closed with the application" in page and "Record the decision" not in page


def test_a_rejection_elsewhere_cancels_open_scorecard_asks(world, clock, interview, jonas):
    end(clock, interview)
    assert len(open_asks("submit_scorecard")) == 2
    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    assert not open_asks("submit_scorecard")
    assert not Debrief.objects.exists()


def test_a_hire_closes_the_loop_too(world, open_debrief):
    hired = world.job.stages.get(kind="hired")
    application_move(application=world.interviewed, by=world.rita, to_stage=hired)
    assert not open_asks("decide_after_debrief")
    open_debrief.refresh_from_db()
    assert open_debrief.status == DebriefStatus.CLOSED


def test_the_worker_opens_no_scorecard_asks_for_a_candidate_who_left(world, clock, interview):
    # The interview ended before anybody recorded the withdrawal (the worker had not run).
    clock.move_to(interview.ends_at + dt.timedelta(minutes=1))
    _withdraw_without_cancelling(world)
    assert interviews_complete().handled == 1
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED
    assert not open_asks("submit_scorecard")


def test_the_worker_opens_no_debrief_for_a_candidate_who_left(world, clock, interview, jonas):
    end(clock, interview)
    _withdraw_without_cancelling(world)
    clock.move_to(dt.datetime(2026, 12, 10, tzinfo=dt.UTC))
    assert debriefs_open_due().handled == 0
    assert not Debrief.objects.exists()


def test_deciding_on_a_closed_application_closes_the_debrief_instead_of_refusing(
    world, open_debrief, login
):
    _withdraw_without_cancelling(world)  # data from before the pipeline closed the loop
    assert open_asks("decide_after_debrief")
    client = login(world.hank)
    page = client.get(f"/debriefs/{open_debrief.pk}/").content.decode()
    assert "Close the debrief" in page and "Record the decision" not in page
    response = client.post(f"/debriefs/{open_debrief.pk}/decide/", {})
    assert response.status_code == 302
    assert not open_asks("decide_after_debrief")
    open_debrief.refresh_from_db()
    assert open_debrief.status == DebriefStatus.CLOSED


def test_only_the_hiring_manager_closes_it(world, open_debrief, login):
    _withdraw_without_cancelling(world)
    # ivy (on the panel) reads the debrief but never decides or closes it.
    assert login(world.ivy).post(f"/debriefs/{open_debrief.pk}/decide/", {}).status_code == 403
    assert login(world.rita).post(f"/debriefs/{open_debrief.pk}/decide/", {}).status_code == 403
    assert open_asks("decide_after_debrief")


def _withdraw_without_cancelling(world):
    """Close the application behind the interviews app's back (as rows from before the fix,
    or a bulk import, would): the worker and the debrief page must still behave."""
    from closeloop.pipeline.models import Application, ApplicationStatus

    Application.objects.filter(pk=world.interviewed.pk).update(status=ApplicationStatus.WITHDRAWN)
    world.interviewed.refresh_from_db()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"status": "filled"}, "The job was filled, so the search is over."),
        (
            {"status": "closed", "outcome": "cancelled"},
            "The job was closed, so the search is over.",
        ),
    ],
)
def test_an_interview_called_off_because_the_job_ended_says_so(world, interview, jonas, data, said):
    job_update(job=world.job, by=world.rita, data=data)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert interview.cancel_reason == said
    told = Message.objects.filter(recipient=world.ivy, template="interview-cancelled")
    assert told and all(said in message.body_text for message in told)
    assert not any("no longer in the process" in message.body_text for message in told)


@pytest.mark.parametrize("status", ["filled", "closed"])
def test_the_notice_of_an_interview_the_search_ended_names_nobody_as_its_canceller(
    world, interview, jonas, status
):
    """Rita ended the search; she did not cancel Carla's interview by hand."""
    job_update(job=world.job, by=world.rita, data={"status": status})
    said = f"The job was {status}, so the search is over."
    told = Message.objects.filter(template="interview-cancelled")
    assert {message.recipient for message in told} >= {world.ivy, jonas, world.hank}
    for message in told:
        for body in (message.body_text, message.body_html):
            assert "Rita Recruiter cancelled" not in body and "You cancelled" not in body
            assert "Why:" not in body  # the sentence says it once
        assert "Technical interview with Carla" in message.body_text
        assert f"is cancelled. {said}" in message.body_text
        assert f"is cancelled. {said}" in message.body_html
    logged = world.interviewed.activities.filter(kind="closeloop.interview.cancelled")
    assert "The Technical interview of Carla Candidate was called off with the search" in {
        entry.summary for entry in logged
    }
    for entry in logged:
        assert entry.actor == world.rita  # the audit trail keeps who ended the search
        assert entry.summary.endswith("was called off with the search")
