"""What interviews do when lower apps, or Django, announce a change (connected in
`InterviewsConfig.ready`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from closeloop.interviews.models import DebriefDecision, Interview, PanelSeat
from closeloop.interviews.services import (
    debriefs_open_for_move,
    debriefs_settle_by_move,
    interviews_close_for,
    panel_seats_sync,
)
from closeloop.jobs.models import StageKind
from closeloop.pipeline.models import Application

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Stage


def on_application_closed(
    sender: Any, *, application: Application, by: User | None, reason: str, **kwargs: Any
) -> None:
    """Rejected, withdrawn or hired: nothing of this candidate's interview loop stays open."""
    interviews_close_for(application=application, by=by, reason=reason)


def on_application_moved(
    sender: Any,
    *,
    application: Application,
    by: User | None,
    from_stage: Stage,
    to_stage: Stage,
    **kwargs: Any,
) -> None:
    """Moved into a Debrief stage: the hiring manager owes the decision on the rounds held
    (their debrief opens, with its decide ask), or the move is refused when there is none.
    Moved out of one: the move settled the decision it waited for (a move on advances, a
    move back closes the debrief for another round), and the decide ask is answered."""
    if to_stage.kind == StageKind.DEBRIEF:
        debriefs_open_for_move(application=application, by=by, now=timezone.now())
    elif from_stage.kind == StageKind.DEBRIEF:
        onward = to_stage.position > from_stage.position
        debriefs_settle_by_move(
            application=application,
            by=by,
            decision=DebriefDecision.ADVANCE if onward else "",
            to_stage=to_stage,
            now=application.entered_stage_at,
        )


def on_panel_changed(
    sender: Any,
    *,
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """m2m_changed on the interview-interviewers rows: re-sync the applications touched."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        # From the interview's side: its one application.
        if action != "post_clear" and not pk_set:
            return
        panel_seats_sync([instance.application_id])
    elif action == "post_clear":
        # From a user's side, every interview of theirs gone: the applications they held.
        panel_seats_sync(
            PanelSeat.objects.filter(user=instance).values_list("application_id", flat=True)
        )
    elif pk_set:
        # From a user's side, these interviews: their applications.
        panel_seats_sync(
            Interview.objects.filter(pk__in=pk_set).values_list("application_id", flat=True)
        )


def on_interview_deleted(sender: Any, *, instance: Interview, **kwargs: Any) -> None:
    """An interview deleted took its panel rows with it (no m2m signal): re-sync its
    application (when the application goes too, its seats cascade with it anyway)."""
    panel_seats_sync([instance.application_id])
