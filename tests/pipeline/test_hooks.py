"""The pipeline announces "an application closed" to the apps above it (interviews subscribe
from their AppConfig): receivers run inside the closing transaction, so a receiver that fails
leaves the application open."""

from __future__ import annotations

import pytest
from django.db import connection

from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.pipeline.hooks import application_closed
from closeloop.pipeline.models import ApplicationStatus, RejectionReason, WithdrawalReason
from closeloop.pipeline.services import (
    application_reject,
    application_submit,
    application_withdraw,
    submission_decide,
)


@pytest.fixture
def heard():
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        calls.append({**kwargs, "atomic": connection.in_atomic_block})

    application_closed.connect(receiver, dispatch_uid="test-heard")
    yield calls
    application_closed.disconnect(dispatch_uid="test-heard")


def test_a_rejection_is_announced_inside_its_transaction(world, heard):
    application_reject(application=world.sourced, by=world.rita, reason=RejectionReason.SKILLS)
    assert [(c["application"].pk, c["by"], c["reason"]) for c in heard] == [
        (world.sourced.pk, world.rita, "application rejected")
    ]
    assert heard[0]["application"].status == ApplicationStatus.REJECTED
    assert heard[0]["atomic"] is True


def test_a_withdrawal_is_announced_with_its_reason(world, heard):
    application_withdraw(
        application=world.sourced, by=world.rita, reason=WithdrawalReason.values[0]
    )
    assert [c["reason"] for c in heard] == ["candidate withdrew"]


def test_interviews_subscribe_from_their_app_config():
    uids = [lookup[0] for lookup, *_ in application_closed.receivers]
    assert "interviews" in uids


def test_a_failing_receiver_leaves_the_application_open(world):
    def refuse(sender, **kwargs):
        raise RuntimeError("interviews could not close")

    application_closed.connect(refuse, dispatch_uid="test-refuse")
    try:
        with pytest.raises(RuntimeError):
            application_reject(
                application=world.sourced, by=world.rita, reason=RejectionReason.SKILLS
            )
    finally:
        application_closed.disconnect(dispatch_uid="test-refuse")
    world.sourced.refresh_from_db()
    assert world.sourced.status == ApplicationStatus.ACTIVE


def test_a_pass_on_a_submission_is_announced_and_calls_off_the_interviews(world):
    submission = application_submit(application=world.interviewed, by=world.rita, pitch="Fit.")
    submission_decide(
        submission=submission,
        by=world.hank,
        decision="passed",
        reason=RejectionReason.SKILLS,
    )
    world.interviewed.refresh_from_db()
    assert world.interviewed.status == ApplicationStatus.REJECTED
    interview = Interview.objects.get(application=world.interviewed)
    assert interview.status == InterviewStatus.CANCELLED
