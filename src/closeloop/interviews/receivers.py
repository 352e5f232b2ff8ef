"""What interviews do when lower apps announce a change (connected in `InterviewsConfig.ready`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closeloop.interviews.services import interviews_close_for

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.pipeline.models import Application


def on_application_closed(
    sender: Any, *, application: Application, by: User | None, reason: str, **kwargs: Any
) -> None:
    """Rejected, withdrawn or hired: nothing of this candidate's interview loop stays open."""
    interviews_close_for(application=application, by=by, reason=reason)
