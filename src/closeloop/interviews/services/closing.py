"""The interview loop closes with its application (rejected, withdrew, hired)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from closeloop.interviews.models import (
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
from closeloop.pipeline.models import JOB_CLOSED_REASON, Application

if TYPE_CHECKING:
    from closeloop.accounts.models import User


def _called_off_words(application: Application) -> str:
    """Why the panel hears an interview is off. Not why the candidate left (that is the
    hiring team's to know), but a search that ended is no secret: "the candidate is no
    longer in the process" would read as the candidate's doing."""
    if application.closed_reason == JOB_CLOSED_REASON:
        return f"The job was {application.job.get_status_display().lower()}, so the search is over."
    return "The candidate is no longer in the process."


@transaction.atomic
def interviews_close_for(*, application: Application, by: User | None, reason: str) -> int:
    """Close the interview loop of an application that closed (rejected, withdrew, hired).

    Called by the pipeline's closing services in their transaction. Interviews still to
    come are cancelled (the panel's calendars get a CANCEL), every open scorecard ask is
    cancelled, and an open (or held) debrief closes with the application, cancelling the
    HM's decide ask: nobody is chased about a candidate who is no longer in the process.
    Returns how many interviews and debriefs it closed.
    """
    now = timezone.now()
    why = reason.strip() or "application closed"
    closed = 0
    coming = Interview.objects.filter(
        application=application, status=InterviewStatus.SCHEDULED, ends_at__gt=now
    ).order_by("starts_at", "pk")
    with_search = application.closed_reason == JOB_CLOSED_REASON
    for interview in coming:
        _call_off(
            _lock_interview(interview),
            by,
            _called_off_words(application),
            with_search=with_search,
        )
        closed += 1
    for interview in application.interviews.prefetch_related("interviewers"):
        _cancel_scorecard_asks(
            [interview], [p.pk for p in interview.interviewers.all()], reason=why
        )
    for debrief in application.debriefs.filter(status__in=[DebriefStatus.OPEN, DebriefStatus.HELD]):
        _debrief_close_with_application(_lock_debrief(debrief), by, why, now)
        closed += 1
    return closed
