"""Rejecting and withdrawing close an application through one function, so both always
do every closing effect: the StageChange, the closed fields, no next move, the pending
submission passed, the HM's review and the open question called off, the interviews told
(`application_closed`), the candidate's clock settled, and one line on the timeline."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pipeline_helpers import fresh

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask, AskStatus
from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.pipeline.models import ApplicationStatus, StageChange, SubmissionDecision
from closeloop.pipeline.services import (
    application_reject,
    application_withdraw,
    submission_ask_question,
)

SERVICES = Path(__file__).resolve().parents[2] / "src/closeloop/pipeline/services.py"


def _callers(name: str) -> set[str]:
    """Functions of pipeline/services.py that call `name` (a plain or dotted call)."""
    found = set()
    for function in ast.walk(ast.parse(SERVICES.read_text())):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == name:
                found.add(function.name)
    return found


def test_reject_and_withdraw_close_through_one_function():
    assert _callers("_application_close") == {
        "_reject",
        "application_withdraw",
        "application_withdraw_for_erasure",  # a candidate erased (pipeline.privacy)
        "on_job_closed",  # the search ended with the candidate still active
        "ended_job_close_one",  # and the worker, for a big search's rest
    }
    # A rejection and a move have one body each, whoever may make them: the hiring team, or
    # the one deciding on the candidate (a debrief's decision, on its right).
    assert _callers("_reject") == {"application_reject", "application_reject_decided"}
    assert _callers("_move") == {"application_move", "application_move_decided"}
    # Hired is announced by the move, a pass on a submission by the decision (its review ask is
    # closed by the decision itself); every other announcement is the closing function's.
    assert _callers("application_closed.send") == {
        "_application_close",
        "_move",
        "_pass",
    }


CLOSINGS = {
    "rejected": (
        lambda world: application_reject(
            application=world.interviewed, by=world.rita, reason="skills", note="Thin on SQL."
        ),
        ApplicationStatus.REJECTED,
        (SubmissionDecision.PASSED, "skills"),
        "closeloop.application.rejected",
    ),
    "withdrew": (
        lambda world: application_withdraw(
            application=world.interviewed, by=world.rita, reason="other_offer", note="Took Acme."
        ),
        ApplicationStatus.WITHDRAWN,
        # Not a pass, and nobody decided it: the funnel and calibration leave it out.
        (SubmissionDecision.CLOSED, ""),
        "closeloop.application.withdrawn",
    ),
}


def open_kinds(application) -> set[str]:
    return set(
        Ask.objects.filter(application=application, status=AskStatus.OPEN).values_list(
            "kind", flat=True
        )
    )


@pytest.mark.parametrize("closing", CLOSINGS, ids=list(CLOSINGS))
def test_every_closing_does_every_closing_effect(world, submitted, closing):
    close, status, submission_left, activity_kind = CLOSINGS[closing]
    submission_ask_question(submission=submitted, by=world.hank, text="Any on-call?")
    assert {"review_submission", "answer_question"} <= open_kinds(world.interviewed)
    changes_before = StageChange.objects.filter(application=world.interviewed).count()

    close(world)

    application = fresh(world.interviewed)
    assert application.status == status and application.closed_at is not None
    assert (application.next_move_owner, application.next_move_since) == (None, None)
    last = StageChange.objects.filter(application=application).order_by("pk").last()
    assert StageChange.objects.filter(application=application).count() == changes_before + 1
    assert last.to_status == status
    submission = fresh(submitted)
    assert (submission.decision, submission.pass_reason) == submission_left
    decided = status == ApplicationStatus.REJECTED
    assert (submission.decided_by_id is not None, submission.decided_at is not None) == (
        decided,
        decided,
    )
    # Nobody is chased about a candidate who left: the interviews are called off too.
    assert not Interview.objects.filter(
        application=application, status=InterviewStatus.SCHEDULED
    ).exists()
    expected = {"inform_candidate"} if status == ApplicationStatus.REJECTED else set()
    assert open_kinds(application) == expected
    assert Activity.objects.filter(application=application, kind=activity_kind).count() == 1
