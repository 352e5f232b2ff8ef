"""The interview loop closes with its application (rejected, withdrew, hired)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from closeloop.interviews.models import (
    DebriefDecision,
    DebriefStatus,
    Interview,
    InterviewStatus,
)
from closeloop.interviews.services.booking import _call_off
from closeloop.interviews.services.common import (
    _cancel_scorecard_asks,
    _lock_debrief,
    _lock_interview,
)
from closeloop.interviews.services.debriefs import _debrief_close_with_application
from closeloop.interviews.services.settling import debriefs_settle_by_move
from closeloop.jobs.models import StageKind
from closeloop.pipeline.models import (
    JOB_CLOSED_REASON,
    Application,
    ApplicationStatus,
)

if TYPE_CHECKING:
    import datetime as dt

    from closeloop.accounts.models import User


def _called_off_words(application: Application) -> tuple[str, str]:
    """Why the panel hears an interview is off, and how the timeline ends "… was called
    off". What closed the application is said (the job ended, the candidate was rejected,
    withdrew or was hired), so nobody reads as having cancelled it by hand; not the reason
    the candidate was rejected or left (that is the hiring team's to know)."""
    if application.closed_reason == JOB_CLOSED_REASON:
        ended = application.job.get_status_display().lower()
        return f"The job was {ended}, so the search is over.", "with the search"
    what = {
        ApplicationStatus.REJECTED.value: "was rejected",
        ApplicationStatus.WITHDRAWN.value: "withdrew",
        ApplicationStatus.HIRED.value: "was hired",
    }.get(application.status)
    if what is None:
        return "The candidate is no longer in the process.", "as the application closed"
    return f"The candidate {what}.", f"as the candidate {what}"


@transaction.atomic
def interviews_close_for(*, application: Application, by: User | None, reason: str) -> int:
    """Close the interview loop of an application that closed (rejected, withdrew, hired).

    Called by the pipeline's closing services in their transaction. Interviews still to
    come are cancelled (the panel's calendars get a CANCEL), every open scorecard ask is
    cancelled, and an open (or held) debrief closes with the application, cancelling the
    HM's decide ask: nobody is chased about a candidate who is no longer in the process.
    A candidate hired straight from the Debrief stage was decided on by that move: its
    debriefs are recorded as decided by it instead (`_settle_by_closing`). A rejection there
    closes them with the application like any close: reopened, the candidate's debrief
    opens again (`_debrief_reopen`), which a debrief recorded as rejected would not.
    Returns how many interviews and debriefs it closed.
    """
    now = timezone.now()
    why = reason.strip() or "application closed"
    closed = 0
    coming = Interview.objects.filter(
        application=application, status=InterviewStatus.SCHEDULED, ends_at__gt=now
    ).order_by("starts_at", "pk")
    said, because = _called_off_words(application)
    for interview in coming:
        _call_off(_lock_interview(interview), by, said, because=because)
        closed += 1
    for interview in application.interviews.prefetch_related("interviewers"):
        _cancel_scorecard_asks(
            [interview], [p.pk for p in interview.interviewers.all()], reason=why
        )
    _settle_by_closing(application, by, now)
    for debrief in application.debriefs.filter(status__in=[DebriefStatus.OPEN, DebriefStatus.HELD]):
        _debrief_close_with_application(_lock_debrief(debrief), by, why, now)
        closed += 1
    return closed


def _settle_by_closing(application: Application, by: User | None, now: dt.datetime) -> None:
    """Hired straight from a Debrief stage: the team took the decision the stage waited for
    (`debriefs_settle_by_move`). A rejection, a withdrawal or the job ending closes those
    debriefs with the application."""
    if application.status == ApplicationStatus.HIRED:
        hire = application.stage_changes.select_related("from_stage").order_by("-at", "-pk")
        last = hire.first()
        if last is None or last.from_stage is None or last.from_stage.kind != StageKind.DEBRIEF:
            return
        debriefs_settle_by_move(
            application=application,
            by=by,
            decision=DebriefDecision.ADVANCE,
            to_stage=application.stage,
            now=application.entered_stage_at,
        )
