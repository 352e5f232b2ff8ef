"""Writes about interviews, scorecards and debriefs (DESIGN.md §2–§3).

Each service runs in one transaction: the change, its asks, its Activity rows and its
messages commit together. The loop this closes:

1. the hiring team books an interview of a round (interviewers hear, with an .ics);
2. when it ends, the worker marks it completed and opens a `submit_scorecard` ask per
   interviewer (opened at the end, so the first reminder is an hour after it);
3. the last scorecard of the round, or the agreed time passing, opens the debrief with a
   `decide_after_debrief` ask for the hiring manager;
4. the HM decides (advance / reject with a reason / hold) with a rationale, which moves the
   candidate and opens the recruiter's `inform_candidate` ask;
5. the recruiter records that the candidate was told: the loop is closed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from closeloop.activity.services import activity_record
from closeloop.followups.services import ask_cancel, ask_close, ask_due_at, ask_open
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.interviews import notices
from closeloop.interviews.models import (
    RATING_LABELS,
    Debrief,
    DebriefDecision,
    DebriefOpenedBecause,
    DebriefStatus,
    Interview,
    InterviewStatus,
    Recommendation,
    Scorecard,
    ScorecardStatus,
    notes_clean,
)
from closeloop.interviews.selectors import (
    debrief_attendees_allowed,
    debrief_can_decide,
    debrief_can_inform,
    interview_can_book,
    interview_focus_attributes,
    round_same_q,
)
from closeloop.jobs.models import MoveOwner, StageKind
from closeloop.lib.sweep import Swept, sweep
from closeloop.lib.timefmt import absolute
from closeloop.pipeline import services as pipeline
from closeloop.pipeline.models import Application, ApplicationStatus, RejectionReason

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User
    from closeloop.jobs.models import InterviewRound, Stage

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
    return f"scorecard:{interview.pk}:{getattr(user, 'pk', user)}"


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": "Choose a time zone from the list."}) from None


def _names(people: Iterable[User]) -> str:
    names = [person.full_name for person in people]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


# --- Booking, rescheduling, cancelling -------------------------------------------------------


@dataclass
class Slot:
    """What a booking or a reschedule says: when, where, who, and what to probe."""

    starts_at: dt.datetime
    time_zone: str
    interviewers: list[User]
    ends_at: dt.datetime | None = None
    location: str = ""
    video_url: str = ""
    notes: str = ""


def _check_slot(slot: Slot, *, duration_minutes: int, now: dt.datetime) -> dt.datetime:
    """The slot's end; ValidationError with a clear message when the slot cannot be booked."""
    _zone(slot.time_zone)
    if slot.starts_at.tzinfo is None:
        raise ValidationError({"starts_at": "Give the start time with its time zone."})
    _check_when(slot.starts_at, "starts_at", now)
    ends_at = slot.ends_at or slot.starts_at + dt.timedelta(minutes=duration_minutes)
    if slot.starts_at <= now:
        raise ValidationError({"starts_at": "Pick a start time in the future."})
    if ends_at <= slot.starts_at:
        raise ValidationError({"ends_at": "An interview must end after it starts."})
    if ends_at - slot.starts_at > MAX_INTERVIEW:
        raise ValidationError({"ends_at": "An interview lasts at most 8 hours."})
    people = [person for person in slot.interviewers if person.is_active]
    if not people:
        raise ValidationError({"interviewers": "Choose at least one interviewer."})
    return ends_at


def _refresh_next_move(application: Application) -> None:
    """Whose move it is after interviews change, by the pipeline's own rule (the next
    interviewer while interviews are pending), unless a debrief waits on the HM."""
    if not application.is_active or application.stage.move_owner != MoveOwner.INTERVIEWERS:
        return
    if application.debriefs.filter(status=DebriefStatus.OPEN).exists():
        return
    owner = pipeline.next_move_owner_for(application=application, stage=application.stage)
    pipeline.application_next_move_set(
        application=application, owner=owner, at=timezone.now(), keep_since=True
    )


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("job", "stage", "candidate")
        .get(pk=application.pk)
    )


@transaction.atomic
def interview_book(
    *,
    application: Application,
    by: User,
    round: InterviewRound | None,
    slot: Slot,
    round_name: str = "",
) -> Interview:
    """Book an interview of one round of the job's plan; the panel gets an invitation (.ics).

    The end defaults to the start plus the round's duration; the interviewers default to
    the round's (the form prefills them), the notes to what the round probes.
    """
    application = _lock_application(application)
    job = application.job
    _require(interview_can_book(user=by, job=job), "Only the job's hiring team books interviews.")
    if not application.is_active:
        raise ValidationError("This candidate's application is closed.")
    if round is not None and round.job_id != job.pk:
        raise ValidationError({"round": "That round belongs to another job's plan."})
    name = round.name if round is not None else round_name.strip()
    if not name:
        raise ValidationError({"round": "Choose the round of the interview plan."})
    now = timezone.now()
    ends_at = _check_slot(slot, duration_minutes=round.duration_minutes if round else 45, now=now)
    interview = Interview.objects.create(
        application=application,
        round=round,
        round_name=name[:80],
        # Kept with the interview: the intake may remove the round from the plan later.
        focus_attributes=interview_focus_attributes(Interview(round=round)),
        starts_at=slot.starts_at,
        ends_at=ends_at,
        time_zone=slot.time_zone,
        location=slot.location.strip()[:200],
        video_url=slot.video_url.strip()[:500],
        notes=slot.notes.strip(),
        booked_by=by,
        created_at=now,
        updated_at=now,
    )
    panel = [person for person in slot.interviewers if person.is_active]
    interview.interviewers.set(panel)
    application = _move_to_interviewing(application, by, interview)
    _refresh_next_move(application)
    when = absolute(interview.starts_at, _zone(interview.time_zone))
    activity_record(
        kind="closeloop.interview.scheduled",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} scheduled the {interview.round_label} of {application.candidate.full_name} "
        f"with {_names(panel)} for {when} ({interview.time_zone})",
        data={"interview": interview.pk, "round": name},
    )
    notices.interview_invitation_send(
        interview=interview, by=by, change="booked", interviewers=panel
    )
    return interview


def _move_to_interviewing(application: Application, by: User, interview: Interview) -> Application:
    """A booked interview means the candidate is interviewing: one in an earlier stage moves
    on, through the pipeline's own move (StageChange, timeline); a later stage stays."""
    stage = application.job.stages.filter(kind=StageKind.INTERVIEWING).order_by("position").first()
    if stage is None or application.stage.position >= stage.position:
        return application
    return pipeline.application_move(
        application=application, by=by, to_stage=stage, reason=f"{interview.round_label} booked"
    )


def _lock_interview(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("application__job", "application__candidate", "application__stage")
        .get(pk=interview.pk)
    )


@transaction.atomic
def interview_reschedule(
    *, interview: Interview, by: User, slot: Slot, reason: str = ""
) -> Interview:
    """Move an interview (time, place, panel, notes): same UID, SEQUENCE + 1 in the .ics.

    Interviewers taken off the panel get a cancellation for their calendar; those on it
    get the updated invitation.
    """
    interview = _lock_interview(interview)
    application = interview.application
    _require(
        interview_can_book(user=by, job=application.job),
        "Only the job's hiring team reschedules interviews.",
    )
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(f"This interview is {interview.get_status_display().lower()}.")
    now = timezone.now()
    if interview.starts_at <= now:
        raise ValidationError("This interview has already started; it cannot be moved.")
    ends_at = _check_slot(slot, duration_minutes=interview.duration_minutes, now=now)
    before = set(interview.interviewers.values_list("pk", flat=True))
    panel = [person for person in slot.interviewers if person.is_active]
    removed = list(interview.interviewers.exclude(pk__in=[p.pk for p in panel]))
    moved = (slot.starts_at, ends_at) != (interview.starts_at, interview.ends_at)
    interview.starts_at, interview.ends_at = slot.starts_at, ends_at
    interview.time_zone = slot.time_zone
    interview.location = slot.location.strip()[:200]
    interview.video_url = slot.video_url.strip()[:500]
    interview.notes = slot.notes.strip()
    interview.sequence += 1
    interview.updated_at = now
    interview.save()
    interview.interviewers.set(panel)
    _cancel_scorecard_asks([interview], [p.pk for p in removed], reason="taken off the panel")
    _refresh_next_move(application)
    when = absolute(interview.starts_at, _zone(interview.time_zone))
    what = f"moved the {interview.round_label} to {when} ({interview.time_zone})"
    if not moved:
        what = f"updated the {interview.round_label}"
    added = [p for p in panel if p.pk not in before]
    changes = [
        f"{_names(added)} joined" if added else "",
        f"{_names(removed)} left" if removed else "",
    ]
    detail = "; ".join(part for part in [*changes, reason.strip()] if part)
    activity_record(
        kind="closeloop.interview.rescheduled",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} {what} of {application.candidate.full_name}",
        detail=detail,
        data={"interview": interview.pk, "sequence": interview.sequence},
    )
    notices.interview_invitation_send(
        interview=interview, by=by, change="rescheduled", interviewers=panel, reason=reason
    )
    if removed:
        notices.interview_cancellation_send(
            interview=interview, by=by, interviewers=removed, reason=reason, removed_only=True
        )
    return interview


@transaction.atomic
def interview_cancel(*, interview: Interview, by: User, reason: str) -> Interview:
    """Call an interview off: its calendar entry is cancelled (.ics CANCEL) for everyone."""
    interview = _lock_interview(interview)
    _require(
        interview_can_book(user=by, job=interview.application.job),
        "Only the job's hiring team cancels interviews.",
    )
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(f"This interview is {interview.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why, so the panel knows."})
    _call_off(interview, by, reason)
    _refresh_next_move(interview.application)
    return interview


def _call_off(interview: Interview, by: User | None, reason: str) -> None:
    """Cancel one locked, scheduled interview: its asks, the timeline, the panel's CANCEL."""
    application = interview.application
    now = timezone.now()
    interview.status = InterviewStatus.CANCELLED
    interview.cancelled_at = now
    interview.cancel_reason = reason.strip()[:300]
    interview.sequence += 1
    interview.updated_at = now
    interview.save()
    panel = list(interview.interviewers.all())
    _cancel_scorecard_asks([interview], [p.pk for p in panel], reason="interview cancelled")
    activity_record(
        kind="closeloop.interview.cancelled",
        actor=by,
        application=application,
        at=now,
        summary=f"{by or 'Closeloop'} cancelled the {interview.round_label} of "
        f"{application.candidate.full_name}",
        detail=interview.cancel_reason,
        data={"interview": interview.pk},
    )
    notices.interview_cancellation_send(
        interview=interview, by=by, interviewers=panel, reason=interview.cancel_reason
    )


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
    for interview in coming:
        # The panel hears only that it is off, not why the candidate left (that is the
        # hiring team's to know).
        _call_off(_lock_interview(interview), by, "The candidate is no longer in the process.")
        closed += 1
    for interview in application.interviews.prefetch_related("interviewers"):
        _cancel_scorecard_asks(
            [interview], [p.pk for p in interview.interviewers.all()], reason=why
        )
    for debrief in application.debriefs.filter(status__in=[DebriefStatus.OPEN, DebriefStatus.HELD]):
        _debrief_close_with_application(_lock_debrief(debrief), by, why, now)
        closed += 1
    return closed


def _debrief_close_with_application(
    debrief: Debrief, by: User | None, reason: str, now: dt.datetime
) -> None:
    debrief.status = DebriefStatus.CLOSED
    debrief.rationale = notes_clean(f"Closed with the application: {reason}")[:10000]
    debrief.save(update_fields=["status", "rationale"])
    ask_cancel(kind="decide_after_debrief", subject=debrief.subject, reason=reason)
    activity_record(
        kind="closeloop.debrief.closed",
        actor=by,
        application=debrief.application,
        at=now,
        summary=f"The {debrief.round_name} debrief of "
        f"{debrief.application.candidate.full_name} closed with the application",
        detail=reason,
        data={"debrief": debrief.pk},
        team_only=True,
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


# --- The worker: interviews that ended, debriefs that are due -------------------------------


COMPLETE_STEP = "interviews_complete"
DEBRIEF_STEP = "debriefs_open_due"


def interviews_complete(*, now: dt.datetime | None = None, limit: int = 200) -> Swept:
    """Worker step: mark ended interviews completed and open each interviewer's scorecard
    ask; handled = interviews this worker completed.

    Safe with several workers: each interview is claimed with a conditional UPDATE on its
    status, and only the worker whose UPDATE changed the row opens the asks. An interview
    that raises is held back (closeloop.followups.sweep), so the later ones still complete.
    """
    now = now or timezone.now()
    ids = list(
        Interview.objects.filter(status=InterviewStatus.SCHEDULED, ends_at__lte=now)
        .exclude(pk__in=sweep_held(COMPLETE_STEP, now=now))
        .order_by("ends_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        COMPLETE_STEP,
        ids,
        lambda pk: interview_complete(pk=pk, now=now),
        push_back=lambda pk, error: sweep_hold_push(COMPLETE_STEP, pk, error, now=now),
        row_id=lambda pk: f"interview {pk}",
    )


@transaction.atomic
def interview_complete(*, pk: int, now: dt.datetime) -> int:
    """Complete one ended interview if no other worker did; 1 if we did."""
    won = Interview.objects.filter(
        pk=pk, status=InterviewStatus.SCHEDULED, ends_at__lte=now
    ).update(status=InterviewStatus.COMPLETED, completed_at=now)
    if won != 1:
        return 0
    interview = (
        Interview.objects.select_related(
            "application__job", "application__candidate", "application__stage", "round"
        )
        .prefetch_related("interviewers")
        .get(pk=pk)
    )
    if not interview.application.is_active:
        return 1  # it took place, but the candidate left since: nobody owes a scorecard
    interview.scorecards_due_at = _open_scorecard_asks(interview)
    interview.save(update_fields=["scorecards_due_at"])
    _refresh_next_move(interview.application)
    _debrief_if_round_complete(interview, now=now)
    return 1


def _open_scorecard_asks(interview: Interview) -> dt.datetime:
    """One ask per interviewer still owing a scorecard; returns when the last one is due."""
    application = interview.application
    submitted = set(
        interview.scorecards.filter(status=ScorecardStatus.SUBMITTED).values_list(
            "interviewer_id", flat=True
        )
    )
    latest = interview.ends_at
    for person in interview.interviewers.all():
        if person.pk in submitted or not person.is_active:
            continue
        ask = ask_open(
            kind="submit_scorecard",
            subject=scorecard_subject(interview, person),
            title=f"Scorecard: {application.candidate.full_name}, {interview.round_name} "
            f"({application.job.title})",
            owner=person,
            application=application,
            requested_by=application.job.recruiter,
            opened_at=interview.ends_at,
            facts={"round": interview.round_name},
        )
        if ask is not None:
            latest = max(latest, ask.due_at)
        else:  # the kind is switched off: the debrief still waits the agreed time
            due_at = ask_due_at(
                kind="submit_scorecard",
                owner=person,
                opened_at=interview.ends_at,
                job=application.job,
            )
            latest = max(latest, due_at)
    return latest


def _round_interviews(
    application: Application, round_id: int | None, round_name: str
) -> QuerySet[Interview]:
    return Interview.objects.filter(
        round_same_q(round_id=round_id, round_name=round_name), application=application
    ).exclude(status=InterviewStatus.CANCELLED)


def _round_missing(interviews: Iterable[Interview]) -> list[tuple[Interview, User]]:
    """(interview, interviewer) pairs whose scorecard is not submitted."""
    missing = []
    for interview in interviews:
        done = {
            card.interviewer_id
            for card in interview.scorecards.all()
            if card.status == ScorecardStatus.SUBMITTED
        }
        missing += [(interview, p) for p in interview.interviewers.all() if p.pk not in done]
    return missing


def _debrief_if_round_complete(interview: Interview, *, now: dt.datetime) -> Debrief | None:
    """Open the round's debrief when every interview of it has ended and every scorecard
    is in (and the candidate is still in the process)."""
    if not interview.application.is_active:
        return None
    interviews = list(
        _round_interviews(interview.application, interview.round_id, interview.round_name)
        .prefetch_related("interviewers", "scorecards")
        .order_by("ends_at")
    )
    if not interviews or any(i.ends_at > now for i in interviews):
        return None
    if _round_missing(interviews):
        return None
    return debrief_open(
        interview=interview, because=DebriefOpenedBecause.ALL_IN, interviews=interviews, now=now
    )


def debriefs_open_due(*, now: dt.datetime | None = None, limit: int = 100) -> Swept:
    """Worker step: open the debriefs of rounds whose scorecards are overdue (the agreed
    time after the round's last interview has passed); handled = debriefs opened. An
    interview whose debrief raises is held back, so the other rounds' debriefs still open."""
    now = now or timezone.now()
    ids = list(
        Interview.objects.filter(
            status=InterviewStatus.COMPLETED,
            debrief__isnull=True,
            scorecards_due_at__lte=now,
            # A closed application has nothing to decide (if it reopens, the round's
            # debrief becomes due again).
            application__status=ApplicationStatus.ACTIVE,
        )
        .exclude(pk__in=sweep_held(DEBRIEF_STEP, now=now))
        .order_by("scorecards_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        DEBRIEF_STEP,
        ids,
        lambda pk: debrief_open_if_due(pk=pk, now=now),
        push_back=lambda pk, error: sweep_hold_push(DEBRIEF_STEP, pk, error, now=now),
        row_id=lambda pk: f"interview {pk}",
    )


@transaction.atomic
def debrief_open_if_due(*, pk: int, now: dt.datetime) -> int:
    """Open the debrief of one overdue interview's round (1), or push it back while another
    interview of the round is still to come (0)."""
    interview = (
        Interview.objects.select_related("application__job", "application__candidate", "round")
        .filter(pk=pk, debrief__isnull=True)
        .first()
    )
    if interview is None or not interview.application.is_active:
        return 0
    interviews = list(
        _round_interviews(interview.application, interview.round_id, interview.round_name)
        .prefetch_related("interviewers", "scorecards")
        .order_by("ends_at")
    )
    later = max(i.ends_at for i in interviews)
    if later > now:
        # The round's last interview is still ahead: its own completion sets the next due.
        Interview.objects.filter(pk=pk, debrief__isnull=True).update(scorecards_due_at=later)
        return 0
    due = max((i.scorecards_due_at or i.ends_at) for i in interviews)
    if due > now:
        Interview.objects.filter(pk=pk, debrief__isnull=True).update(scorecards_due_at=due)
        return 0
    debrief = debrief_open(
        interview=interview,
        because=DebriefOpenedBecause.TIME_PASSED,
        interviews=interviews,
        now=now,
    )
    return 1 if debrief is not None else 0


def _debrief_find(
    application: Application, round_id: int | None, round_name: str
) -> Debrief | None:
    return Debrief.objects.filter(
        round_same_q(round_id=round_id, round_name=round_name), application=application
    ).first()


def debrief_open(
    *,
    interview: Interview,
    because: str,
    interviews: list[Interview],
    now: dt.datetime,
) -> Debrief | None:
    """Open the debrief of `interview`'s round for its application (once), link the round's
    interviews to it, and ask the HM for the decision.

    Returns the new debrief, or None when one already existed (another worker, or the last
    scorecard, got there first: the unique constraint decides).
    """
    application = interview.application
    existing = _debrief_find(application, interview.round_id, interview.round_name)
    if existing is not None:
        Interview.objects.filter(pk__in=[i.pk for i in interviews], debrief__isnull=True).update(
            debrief=existing
        )
        return None
    last_end = max(i.ends_at for i in interviews)
    try:
        with transaction.atomic():
            debrief = Debrief.objects.create(
                application=application,
                round_id=interview.round_id,
                round_name=interview.round_name,
                opened_at=now,
                opened_because=because,
                last_interview_ended_at=last_end,
                time_zone=application.job.hiring_manager.time_zone or "UTC",
            )
    except IntegrityError:
        return None  # opened concurrently by another worker or a scorecard
    Interview.objects.filter(pk__in=[i.pk for i in interviews]).update(debrief=debrief)
    _debrief_opened(debrief, interviews, because, now)
    return debrief


def _debrief_opened(
    debrief: Debrief, interviews: list[Interview], because: str, now: dt.datetime
) -> None:
    application = debrief.application
    job = application.job
    ask_open(
        kind="decide_after_debrief",
        subject=debrief.subject,
        title=f"Decide on {application.candidate.full_name} after the {debrief.round_name} "
        f"debrief ({job.title})",
        owner=job.hiring_manager,
        application=application,
        requested_by=job.recruiter,
        # Due the agreed time after the round's last interview, not after the debrief opens.
        opened_at=min(debrief.last_interview_ended_at, now),
        facts={"round": debrief.round_name},
    )
    if application.is_active:
        pipeline.application_next_move_set(
            application=application, owner=job.hiring_manager, at=now
        )
    missing = [person.full_name for _, person in _round_missing(interviews)]
    why = DebriefOpenedBecause(because).label.lower()
    activity_record(
        kind="closeloop.debrief.opened",
        application=application,
        at=now,
        summary=f"The {debrief.round_name} debrief of {application.candidate.full_name} is "
        f"open ({why}); {job.hiring_manager} decides",
        detail=f"Missing scorecards: {', '.join(missing)}" if missing else "",
        data={"debrief": debrief.pk, "because": because},
    )
    notices.debrief_opened_send(debrief=debrief, missing=missing)


# --- Scorecards ------------------------------------------------------------------------------


@dataclass
class ScorecardInput:
    ratings: dict[str, Any]
    recommendation: str
    notes: str


def _clean_ratings(raw: dict[str, Any], attributes: list[str], *, submit: bool) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for attribute in attributes:
        value = raw.get(attribute)
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number not in RATING_LABELS:
            raise ValidationError({"ratings": f"Rate {attribute} from 1 to 4."})
        ratings[attribute] = number
    unrated = [attribute for attribute in attributes if attribute not in ratings]
    if submit and unrated:
        raise ValidationError({"ratings": f"Rate every focus attribute: {', '.join(unrated)}."})
    return ratings


@transaction.atomic
def scorecard_save(
    *, interview: Interview, by: User, data: ScorecardInput, submit: bool
) -> Scorecard:
    """Save the interviewer's scorecard as a draft, or submit it (final: no edits after).

    Submitting closes their ask, reveals the others' scorecards to them (blindness), and
    opens the debrief when it was the round's last one.
    """
    interview = _lock_interview(interview)
    if not interview.interviewers.filter(pk=by.pk).exists():
        raise PermissionDenied("Only the interview's own interviewers write its scorecards.")
    if interview.status == InterviewStatus.CANCELLED:
        raise ValidationError("This interview was cancelled; there is nothing to score.")
    now = timezone.now()
    if submit and interview.starts_at > now:
        raise ValidationError("Submit your scorecard once the interview has taken place.")
    card = Scorecard.objects.select_for_update().filter(interview=interview, interviewer=by).first()
    if card is not None and card.is_submitted:
        raise ValidationError("Your scorecard is already submitted; it can no longer change.")
    attributes = interview_focus_attributes(interview)
    if interview.round_id is not None and interview.focus_attributes != attributes:
        # The plan's attributes changed since booking: keep what this scorecard rates, so
        # it still reads right if the intake removes the round later.
        interview.focus_attributes = attributes
        interview.save(update_fields=["focus_attributes"])
    ratings = _clean_ratings(data.ratings, attributes, submit=submit)
    recommendation = data.recommendation or ""
    if recommendation and recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": "Choose strong no, no, yes or strong yes."})
    if submit and not recommendation:
        raise ValidationError({"recommendation": "Take a side: strong no, no, yes or strong yes."})
    card = card or Scorecard(interview=interview, interviewer=by, created_at=now)
    card.ratings, card.recommendation = ratings, recommendation
    card.notes = notes_clean(data.notes or "")[:20000]
    card.updated_at = now
    if submit:
        card.status, card.submitted_at = ScorecardStatus.SUBMITTED, now
    card.save()
    if submit:
        _scorecard_submitted(interview, by, now)
    return card


def _scorecard_submitted(interview: Interview, by: User, now: dt.datetime) -> None:
    application = interview.application
    ask_close(kind="submit_scorecard", subject=scorecard_subject(interview, by), by=by, at=now)
    # No ratings or words in the timeline: interviewers read it too (blind scorecards).
    activity_record(
        kind="closeloop.scorecard.submitted",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} submitted a scorecard for the {interview.round_label} of "
        f"{application.candidate.full_name}",
        data={"interview": interview.pk},
    )
    if interview.debrief_id is None:
        _debrief_if_round_complete(interview, now=now)


# --- Debriefs --------------------------------------------------------------------------------


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


@dataclass
class Meeting:
    meets_at: dt.datetime
    minutes: int
    time_zone: str
    location: str = ""


def _attendees(application: Application, people: Iterable[User]) -> list[User]:
    """Only people who can open the debrief attend it (an invitation links to the page)."""
    chosen = [person for person in people if person.is_active]
    allowed = debrief_attendees_allowed(application=application, people=chosen)
    if len(allowed) != len(chosen):
        raise ValidationError(
            {
                "attendees": "Only the job's hiring team and the candidate's interviewers can "
                "attend the debrief."
            }
        )
    return allowed


@transaction.atomic
def debrief_schedule(
    *, debrief: Debrief, by: User, meeting: Meeting, attendees: list[User]
) -> Debrief:
    """Book (or move) the debrief meeting; attendees get an invitation with an .ics."""
    debrief = _lock_debrief(debrief)
    job = debrief.application.job
    _require(interview_can_book(user=by, job=job), "Only the job's hiring team books debriefs.")
    if not debrief.is_open:
        raise ValidationError("This debrief is decided; there is no meeting to book.")
    _zone(meeting.time_zone)
    _check_when(meeting.meets_at, "meets_at", timezone.now())
    if meeting.meets_at <= timezone.now():
        raise ValidationError({"meets_at": "Pick a time in the future."})
    if not 10 <= meeting.minutes <= 240:
        raise ValidationError({"minutes": "A debrief lasts between 10 minutes and 4 hours."})
    moved = debrief.meets_at is not None
    debrief.meets_at, debrief.meeting_minutes = meeting.meets_at, meeting.minutes
    debrief.time_zone, debrief.location = meeting.time_zone, meeting.location.strip()[:200]
    debrief.sequence += 1 if moved else 0
    debrief.save()
    debrief.attendees.set(_attendees(debrief.application, attendees))
    when = absolute(debrief.meets_at, _zone(debrief.time_zone))
    activity_record(
        kind="closeloop.debrief.scheduled",
        actor=by,
        application=debrief.application,
        summary=f"{by} {'moved' if moved else 'booked'} the {debrief.round_name} debrief "
        f"meeting for {when} ({debrief.time_zone})",
        data={"debrief": debrief.pk},
        team_only=True,
    )
    notices.debrief_invitation_send(debrief=debrief, by=by)
    return debrief


@dataclass
class Decision:
    decision: str
    rationale: str
    reject_reason: str = ""
    to_stage: Stage | None = None
    attendees: list[User] | None = None


def _check_decision(debrief: Debrief, decision: Decision) -> None:
    if decision.decision not in DebriefDecision.values:
        raise ValidationError({"decision": "Choose advance, reject or hold."})
    if not decision.rationale.strip():
        raise ValidationError({"rationale": "Write the rationale: why this decision."})
    if decision.decision == DebriefDecision.REJECT and (
        decision.reject_reason not in RejectionReason.values
    ):
        raise ValidationError({"reject_reason": "Choose the reason for rejecting."})
    stage = decision.to_stage
    if stage is not None and stage.job_id != debrief.application.job_id:
        raise ValidationError({"to_stage": "That stage belongs to another job."})


@transaction.atomic
def debrief_decide(*, debrief: Debrief, by: User, decision: Decision) -> Debrief:
    """The HM's decision after the debrief: advance, reject with a reason, or hold.

    Closes the decide ask and any scorecard ask of the round still open, moves the
    candidate (through the pipeline's own services, which record the stage change), and
    opens the recruiter's ask to tell the candidate (a rejection opens it already).
    """
    debrief = _lock_debrief(debrief)
    application = debrief.application
    _require(debrief_can_decide(user=by, debrief=debrief), "Only the hiring manager decides.")
    if not debrief.is_open:
        raise ValidationError("This debrief is already decided; nothing changed.")
    now = timezone.now()
    if not application.is_active:
        # Closed elsewhere while the debrief waited (data from before the pipeline closed
        # the loop itself): close it with the application instead of refusing forever.
        _debrief_close_with_application(debrief, by, "the application is closed", now)
        return debrief
    _check_decision(debrief, decision)
    attendees = None if decision.attendees is None else _attendees(application, decision.attendees)
    rationale = notes_clean(decision.rationale)[:10000]
    # Decided before the candidate moves: a rejection closes the interview loop through the
    # pipeline, which must find this debrief decided (its ask done, not cancelled).
    debrief.status = (
        DebriefStatus.HELD if decision.decision == DebriefDecision.HOLD else DebriefStatus.DECIDED
    )
    debrief.save(update_fields=["status"])
    ask_close(kind="decide_after_debrief", subject=debrief.subject, by=by, at=now)
    moved_to = _apply_decision(debrief, by, decision, rationale)
    debrief.decision, debrief.rationale = decision.decision, rationale
    debrief.reject_reason = (
        decision.reject_reason if decision.decision == DebriefDecision.REJECT else ""
    )
    debrief.to_stage = moved_to
    debrief.decided_by, debrief.decided_at = by, now
    debrief.informed_at, debrief.informed_by = None, None
    debrief.save()
    if attendees is not None:
        debrief.attendees.set(attendees)
    if debrief.status == DebriefStatus.DECIDED:
        interviews = list(debrief.interviews.prefetch_related("interviewers"))
        for interview in interviews:
            _cancel_scorecard_asks(
                [interview],
                [p.pk for p in interview.interviewers.all()],
                reason="debrief decided",
            )
    _record_decision(debrief, by, now)
    notices.debrief_decided_send(debrief=debrief, by=by)
    return debrief


def _apply_decision(debrief: Debrief, by: User, decision: Decision, rationale: str) -> Stage | None:
    """Move the candidate as decided; returns the stage they are in after an advance."""
    application = debrief.application
    note = f"After the {debrief.round_name} debrief: {decision.rationale.strip()}"[:2000]
    if decision.decision == DebriefDecision.REJECT:
        pipeline.application_reject(
            application=application, by=by, reason=decision.reject_reason, note=note
        )
        return None
    if decision.decision == DebriefDecision.ADVANCE:
        stage = decision.to_stage or application.stage
        if stage.pk != application.stage_id:
            pipeline.application_move(application=application, by=by, to_stage=stage, reason=note)
        else:
            _refresh_after_stay(application)
        _open_inform_ask(debrief)
        return stage
    _refresh_after_stay(application)
    _open_inform_ask(debrief)
    return None


def _refresh_after_stay(application: Application) -> None:
    """Still in the same stage (next round, or on hold): the recruiting side moves next."""
    application.refresh_from_db()
    owner = pipeline.next_move_owner_for(application=application, stage=application.stage)
    pipeline.application_next_move_set(application=application, owner=owner, at=timezone.now())


def _open_inform_ask(debrief: Debrief) -> None:
    """The candidate is owed the outcome soon (a rejection opens this through the pipeline).

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
        requested_by=application.job.hiring_manager,
    )


def _record_decision(debrief: Debrief, by: User, now: dt.datetime) -> None:
    candidate = debrief.application.candidate.full_name
    outcome = {
        DebriefDecision.ADVANCE: f"advance {candidate}"
        + (f" to {debrief.to_stage.name}" if debrief.to_stage else ""),
        DebriefDecision.REJECT: f"reject {candidate} ({debrief.get_reject_reason_display()})",
        DebriefDecision.HOLD: f"put {candidate} on hold",
    }[debrief.decision]
    activity_record(
        kind="closeloop.debrief.decided",
        actor=by,
        application=debrief.application,
        at=now,
        summary=f"{by} decided after the {debrief.round_name} debrief: {outcome}",
        detail=debrief.rationale,
        data={"debrief": debrief.pk, "decision": debrief.decision},
        team_only=True,
    )


@transaction.atomic
def debrief_candidate_informed(*, debrief: Debrief, by: User, note: str = "") -> Debrief:
    """The recruiter told the candidate the outcome: closes their ask; the loop is closed."""
    debrief = _lock_debrief(debrief)
    _require(
        debrief_can_inform(user=by, debrief=debrief),
        "Only the job's recruiting side records news to the candidate.",
    )
    if debrief.decided_at is None:
        raise ValidationError("There is no decision to tell the candidate yet.")
    if debrief.informed_at is not None:
        raise ValidationError("The candidate was already told; nothing changed.")
    outcome = debrief.get_decision_display().lower()
    told = f"Told them the outcome of the {debrief.round_name} debrief ({outcome})."
    pipeline.candidate_updated(
        application=debrief.application, by=by, note=f"{told} {note.strip()}".strip()
    )
    debrief.informed_at, debrief.informed_by = timezone.now(), by
    debrief.save(update_fields=["informed_at", "informed_by"])
    return debrief
