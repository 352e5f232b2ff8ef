"""What the interview services share: the bounds of a bookable moment, locks, the
scorecard ask's subject, who moves next while interviews are pending."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.services import ask_cancel, ask_open
from closeloop.followups.subjects import subject_key
from closeloop.interviews.models import (
    Debrief,
    DebriefStatus,
    Interview,
    InterviewStatus,
)
from closeloop.jobs.models import MoveOwner
from closeloop.lib.text import listed
from closeloop.pipeline import services as pipeline
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import candidate_waiting_since

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User


# Longest interview we accept; anything longer is a typo in the end time.
MAX_INTERVIEW = dt.timedelta(hours=8)
# How far ahead an interview or a debrief may be booked: further is a typo in the year (and
# dates near year 9999 overflow once a time zone or a length is added).
MAX_AHEAD = dt.timedelta(days=2 * 366)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def when_in_range_error(moment: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """Why `moment` cannot be booked at all ("" when it can): before 2000, or more than two
    years ahead. Whether it must be in the future is each service's own rule."""
    now = now or timezone.now()
    if moment < EARLIEST:
        return "Enter a date from the year 2000 on."
    if moment > now + MAX_AHEAD:
        return "Enter a date at most two years ahead."
    return ""


def _check_when(moment: dt.datetime, field: str, now: dt.datetime) -> None:
    problem = when_in_range_error(moment, now=now)
    if problem:
        raise ValidationError({field: problem})


def scorecard_subject(interview: Interview, user: User | int) -> str:
    return subject_key("scorecard", interview.pk, user if isinstance(user, int) else user.pk)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": "Choose a time zone from the list."}) from None


def _names(people: Iterable[User]) -> str:
    return listed(person.full_name for person in people)


def _feedback_owed_by(application: Application) -> User | None:
    """The interviewer whose scorecard the candidate waits for: of the open scorecard asks
    about them, the one owed longest (its owner's, or the absent owner's a delegate holds)."""
    ask = (
        Ask.objects.filter(application=application, kind="submit_scorecard", status=AskStatus.OPEN)
        .select_related("owner", "original_owner")
        .order_by("opened_at", "pk")
        .first()
    )
    return None if ask is None else ask.original_owner or ask.owner


def _refresh_next_move(application: Application) -> None:
    """Whose move it is after interviews change, by the pipeline's own rule (the next
    interviewer while interviews are pending), unless a debrief waits on the HM. With no
    interview to come, an interviewer who still owes a scorecard holds the move: the
    candidate waits on that feedback (their queue lists them, and the job's list says whose
    move it is), not on the recruiter to book a next round nobody can decide on yet."""
    if not application.is_active or application.stage.move_owner != MoveOwner.INTERVIEWERS:
        return
    if application.debriefs.filter(status=DebriefStatus.OPEN).exists():
        return
    owner = pipeline.next_move_owner_for(application=application, stage=application.stage)
    if not application.interviews.filter(status=InterviewStatus.SCHEDULED).exists():
        owner = _feedback_owed_by(application) or owner
    pipeline.application_next_move_set(
        application=application, owner=owner, at=timezone.now(), keep_since=True
    )


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("job", "stage", "candidate")
        .get(pk=application.pk)
    )


def _lock_interview(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("application__job", "application__candidate", "application__stage")
        .get(pk=interview.pk)
    )


def _cancel_scorecard_asks(
    interviews: Iterable[Interview], user_ids: list[int], reason: str
) -> int:
    cancelled = 0
    for interview in interviews:
        for user_id in user_ids:
            cancelled += ask_cancel(
                kind="submit_scorecard",
                subject=scorecard_subject(interview, user_id),
                reason=reason,
            )
    return cancelled


def _lock_debrief(debrief: Debrief) -> Debrief:
    return (
        Debrief.objects.select_for_update(of=("self",))
        .select_related(
            "application__job__hiring_manager",
            "application__job__recruiter",
            "application__candidate",
            "application__stage",
        )
        .get(pk=debrief.pk)
    )


def _open_inform_ask(debrief: Debrief, *, by: User) -> None:
    """The candidate is owed the outcome soon (a rejection opens this through the pipeline),
    asked by whoever decided (the delegate, for an absent hiring manager).

    As in the pipeline, the outcome replaces the candidate's waiting clock: the recruiter
    holds one ask about this candidate, not two.
    """
    application = debrief.application
    ask_cancel(
        kind="update_candidate", subject=pipeline.update_subject(application), reason="decided"
    )
    ask_open(
        kind="inform_candidate",
        subject=pipeline.update_subject(application),
        title=f"Tell {application.candidate.full_name} the outcome of the {debrief.round_name} "
        f"debrief ({application.job.title})",
        owner=application.job.recruiter,
        application=application,
        requested_by=by,
        # Waiting since they last heard from us, as the pipeline's own outcome ask says.
        waiting_since=candidate_waiting_since(application),
    )
