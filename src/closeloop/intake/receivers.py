"""What the intake does when lower apps announce a change (connected in `IntakeConfig.ready`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closeloop.intake.models import PassCitation
from closeloop.intake.services import intake_asks_end_with_job, intake_asks_resume_with_job

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job
    from closeloop.pipeline.models import Submission


def on_submission_passed_citing(
    sender: Any, *, submission: Submission, kind: str, criterion: str, **kwargs: Any
) -> None:
    """Keep what the pass cited: the drift watch compares it with the agreement."""
    PassCitation.objects.create(submission=submission, kind=kind, criterion=criterion)


def on_job_closed(sender: Any, *, job: Job, **kwargs: Any) -> None:
    """The search ended: nobody is chased to sign its intake (signing is refused now)."""
    intake_asks_end_with_job(job=job)


def on_job_reopened(sender: Any, *, job: Job, by: User | None, **kwargs: Any) -> None:
    """The search is on again: the signatures a proposed version still waits for are asked."""
    intake_asks_resume_with_job(job=job, by=by)
