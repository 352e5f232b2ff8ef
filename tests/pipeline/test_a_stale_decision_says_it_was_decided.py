"""A delegate's second decision on a submission already decided (a stale tab) is told that
it was decided, and by whom: her right to decide ended with her review ask, but she was the
one deciding. Anyone else who may not decide is refused as before, and someone who may not
even see the candidate learns nothing of the decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pipeline_helpers import PITCH

from closeloop.followups.models import Ask
from closeloop.pipeline.models import SubmissionDecision
from closeloop.pipeline.services import submission_ask_question, submission_decide

AWAY_FROM = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
BACK_ON = dt.datetime(2026, 12, 11, 0, 0, tzinfo=dt.UTC)
ADVANCE = {"decision": "advanced", "note": "", "closeness": 4, "calibration_note": "Spot on."}
PASS = {"decision": "passed", "reason": "skills", "closeness": 2, "calibration_note": "Far."}


@pytest.fixture
def covered(world, clock, login):
    """Hank is away with olga covering; as in the demo (Sofia for Tomasz) she is also the
    job's escalation contact, so the candidate stays open to her after her review."""
    world.hank.out_of_office_from, world.hank.out_of_office_until = AWAY_FROM, BACK_ON
    world.hank.delegate = world.olga
    world.hank.save()
    world.job.escalation_contact = world.olga
    world.job.save()
    login(world.rita).post(
        reverse("pipeline:application-submit", args=[world.sourced.pk]),
        {"pitch": PITCH, "must_haves_met": ["Python"]},
    )
    review = Ask.objects.get(kind="review_submission", application=world.sourced)
    assert (review.owner, review.original_owner) == (world.olga, world.hank)
    return world.sourced.submissions.get()


def _decide(client, world, submission, data):
    return client.post(
        reverse("pipeline:submission-decide", args=[world.sourced.pk]),
        {"submission": submission.pk, **data},
    )


def test_her_second_tab_hears_she_advanced_already(world, login, covered):
    client = login(world.olga)
    assert _decide(client, world, covered, ADVANCE).status_code == 302
    response = _decide(client, world, covered, PASS)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Advanced already by you." in html
    assert "Only the job&#x27;s hiring manager decides" not in html
    covered.refresh_from_db()
    assert covered.decision == SubmissionDecision.ADVANCED


def test_she_hears_who_decided_when_he_did_while_her_tab_was_open(world, login, covered):
    submission_decide(submission=covered, by=world.hank, decision=SubmissionDecision.ADVANCED)
    response = _decide(login(world.olga), world, covered, PASS)
    assert response.status_code == 400
    assert "Advanced already by Hank Manager." in response.content.decode()


def test_nor_does_a_stale_question_say_she_may_not_ask(world, covered):
    submission_decide(submission=covered, by=world.olga, decision=SubmissionDecision.ADVANCED)
    with pytest.raises(ValidationError, match=r"Advanced already by you\."):
        submission_ask_question(submission=covered, by=world.olga, text="On-call?")


def test_someone_who_may_not_decide_is_refused_as_before(world, login, covered):
    submission_decide(submission=covered, by=world.olga, decision=SubmissionDecision.ADVANCED)
    response = _decide(login(world.rita), world, covered, PASS)
    assert response.status_code == 403
    assert "Only the job&#x27;s hiring manager decides on submissions" in (
        response.content.decode()
    )
    # ivy does not even see Sam: the refusal must not tell her he was advanced, or by whom.
    for person in (world.rita, world.ivy):
        with pytest.raises(PermissionDenied, match="Only the job's hiring manager decides"):
            submission_decide(submission=covered, by=person, decision=SubmissionDecision.PASSED)
