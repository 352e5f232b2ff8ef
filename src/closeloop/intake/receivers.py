"""What the intake does when lower apps announce a change (connected in `IntakeConfig.ready`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closeloop.intake.models import PassCitation

if TYPE_CHECKING:
    from closeloop.pipeline.models import Submission


def on_submission_passed_citing(
    sender: Any, *, submission: Submission, kind: str, criterion: str, **kwargs: Any
) -> None:
    """Keep what the pass cited: the drift watch compares it with the agreement."""
    PassCitation.objects.create(submission=submission, kind=kind, criterion=criterion)
