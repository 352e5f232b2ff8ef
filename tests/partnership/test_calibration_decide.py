"""Calibration on every decision: what submission_decide stores, requires and refuses."""

from __future__ import annotations

import pytest
from calibration_helpers import rate, submit
from django.core.exceptions import ValidationError

from closeloop.notify.models import Message
from closeloop.pipeline.models import Closeness, Submission, SubmissionDecision
from closeloop.pipeline.services import (
    Calibration,
    submission_decide,
    submission_pass_citing,
)


def fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def test_the_jobs_first_submissions_make_its_calibration_round(world, settings):
    settings.CALIBRATION_ROUND_SIZE = 2
    first, second, third = (submit(world.job) for _ in range(3))
    assert [s.in_calibration_round for s in (first, second, third)] == [True, True, False]
    # Another job counts its own.
    assert submit(world.other_job).in_calibration_round


def test_a_rating_stores_closeness_and_the_must_haves_met_and_missed(world, settings):
    settings.CALIBRATION_ROUND_SIZE = 0
    submission = submit(world.job, met=["Python", "PostgreSQL"])
    rate(submission, Closeness.CLOSE, met=["Python", "Not a must-have"], note="")
    got = fresh(submission)
    assert got.decision == SubmissionDecision.ADVANCED
    assert got.closeness == Closeness.CLOSE
    assert got.hm_must_haves_met == ["Python"]
    assert got.hm_must_haves_missed == ["PostgreSQL", "On-call experience"]
    assert got.must_haves_met == ["Python", "PostgreSQL"]  # the recruiter's claim stays


def test_in_the_round_a_decision_without_a_sentence_is_refused_and_changes_nothing(world):
    submission = submit(world.job)
    assert submission.in_calibration_round
    with pytest.raises(ValidationError, match="calibration round"):
        rate(submission, Closeness.FAR_OFF, note="   ")
    got = fresh(submission)
    assert (got.decision, got.closeness) == (SubmissionDecision.PENDING, None)
    assert got.application.is_active


def test_the_sentence_is_kept_on_one_line(world):
    submission = rate(submit(world.job), Closeness.SPOT_ON, note="  Exactly\n what we need. ")
    assert fresh(submission).calibration_note == "Exactly what we need."


@pytest.mark.parametrize(
    ("closeness", "note", "problem"),
    [
        (0, "Why.", "how close"),
        (5, "Why.", "how close"),
        (Closeness.CLOSE, "x" * 501, "under 500"),
        (Closeness.CLOSE, "bell\x07", "control character"),
    ],
)
def test_bad_calibration_is_refused_whole(world, closeness, note, problem):
    submission = submit(world.job)
    with pytest.raises(ValidationError) as refused:
        rate(submission, closeness, note=note)
    assert problem in " ".join(refused.value.messages).lower()
    assert fresh(submission).decision == SubmissionDecision.PENDING


def test_a_decision_without_calibration_keeps_none(world):
    """Imports and scripts may decide without a rating; old decisions keep none."""
    submission = submit(world.job)
    submission_decide(submission=submission, by=world.hank, decision="advanced")
    got = fresh(submission)
    assert got.decision == SubmissionDecision.ADVANCED
    assert (got.closeness, got.hm_must_haves_met, got.calibration_note) == (None, [], "")


def test_a_pass_citing_a_must_have_counts_it_as_missed(world):
    submission = submit(world.job, met=["Python", "PostgreSQL"])
    submission_pass_citing(
        submission=submission,
        by=world.hank,
        kind="must_have",
        criterion="PostgreSQL",
        calibration=Calibration(Closeness.SOME_WAY_OFF, ("Python", "PostgreSQL"), "No Postgres."),
    )
    got = fresh(submission)
    assert got.hm_must_haves_met == ["Python"]
    assert "PostgreSQL" in got.hm_must_haves_missed


def test_the_recruiter_hears_how_close_and_why(world):
    rate(submit(world.job), Closeness.SOME_WAY_OFF, note="Too junior for on-call.")
    message = Message.objects.filter(recipient=world.rita).latest("pk")
    assert "Closeness: Some way off." in message.body_text
    assert "Too junior for on-call." in message.body_text
