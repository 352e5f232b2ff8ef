"""Debriefs: the meeting, the HM's decision (advance / reject / hold) and the candidate told."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from closeloop.activity.services import activity_record
from closeloop.followups.services import ask_cancel, ask_close
from closeloop.interviews import notices
from closeloop.interviews.kinds import DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF
from closeloop.interviews.models import (
    Debrief,
    DebriefDecision,
    DebriefStatus,
)
from closeloop.interviews.selectors import (
    debrief_advance_stages,
    debrief_attendees_allowed,
    debrief_can_inform,
    debrief_decision_right,
    interview_can_book,
)
from closeloop.interviews.services.common import (
    _cancel_scorecard_asks,
    _check_when,
    _lock_debrief,
    _open_inform_ask,
    _require,
    _zone,
)
from closeloop.interviews.services.holds import _debrief_hold, _hold_day_check, _hold_words
from closeloop.jobs.models import StageKind
from closeloop.lib.seen import seen_check, seen_stamp
from closeloop.lib.timefmt import absolute
from closeloop.pipeline import services as pipeline
from closeloop.pipeline.models import Application, RejectionReason

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User
    from closeloop.jobs.models import Stage
    from closeloop.pipeline.selectors import DecisionRight


def _debrief_close_with_application(
    debrief: Debrief, by: User | None, reason: str, now: dt.datetime
) -> None:
    debrief.status = DebriefStatus.CLOSED
    debrief.rationale = f"Closed with the application: {reason}"[:10000]
    debrief.save(update_fields=["status", "rationale"])
    for kind in (DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF):
        ask_cancel(kind=kind, subject=debrief.subject, reason=reason)
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


# What the meeting form edits (its fields' names), and how a refusal names them: the debrief
# page's fingerprint (docs/architecture.md#where-rules-live).
MEETING_LABELS = {
    "meets_at": "meeting time", "time_zone": "time zone", "minutes": "length",
    "location": "place", "attendees": "attendees",
}  # fmt: skip


def _meeting_values(debrief: Debrief) -> dict[str, object]:
    """The meeting as its form shows it (the time to the minute, as the form gives it)."""
    meets_at = debrief.meets_at
    return {
        "meets_at": meets_at.replace(second=0, microsecond=0) if meets_at else None,
        "time_zone": debrief.time_zone,
        "minutes": debrief.meeting_minutes,
        "location": debrief.location,
        "attendees": set(debrief.attendees.values_list("pk", flat=True)),
    }


def _meeting_shown(debrief: Debrief, name: str) -> object:
    if name == "meets_at":
        if debrief.meets_at is None:
            return "not booked"
        return f"{absolute(debrief.meets_at, _zone(debrief.time_zone))} ({debrief.time_zone})"
    if name == "minutes":
        return f"{debrief.meeting_minutes} minutes"
    if name == "attendees":
        return [str(person) for person in debrief.attendees.order_by("full_name")]
    return getattr(debrief, name)


def debrief_meeting_seen(debrief: Debrief) -> str:
    """The fingerprint of what the meeting form shows (`debrief_schedule` checks it)."""
    return seen_stamp(_meeting_values(debrief))


@transaction.atomic
def debrief_schedule(
    *,
    debrief: Debrief,
    by: User,
    meeting: Meeting,
    attendees: list[User],
    seen: str | None = None,
) -> Debrief:
    """Book (or move) the debrief meeting; attendees get an invitation with an .ics.

    `seen`: the page's fingerprint (`debrief_meeting_seen`). When the meeting was booked or
    changed since that page was rendered, nothing changes and nobody is sent anything
    (`SavedSince`): the page would move it back. None checks nothing (a script's call)."""
    debrief = _lock_debrief(debrief)
    job = debrief.application.job
    _require(interview_can_book(user=by, job=job), "Only the job's hiring team books debriefs.")
    if not debrief.is_open:
        raise ValidationError("This debrief is decided; there is no meeting to book.")
    seen_check(
        seen=seen,
        values=_meeting_values(debrief),
        what="this debrief's meeting",
        labels=MEETING_LABELS,
        shown=lambda name: _meeting_shown(debrief, name),
        outcome="Nothing was changed and nobody was sent anything; here is the page as it is "
        "now, with what you typed kept.",
    )
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
    # A hold: the day the decider will decide again by (None: within the kind's due time).
    decide_again_on: dt.date | None = None


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
    if decision.decision == DebriefDecision.ADVANCE and stage and stage.kind == StageKind.DEBRIEF:
        # Decided, the debrief leaves nothing to do in that stage: the candidate would sit
        # there with the HM's queue still asking for this decision.
        raise ValidationError(
            {"to_stage": f"Advance past {stage.name}: this decision is what it waits for."}
        )
    if (
        decision.decision == DebriefDecision.ADVANCE
        and stage is not None
        and not debrief_advance_stages(debrief=debrief).filter(pk=stage.pk).exists()
    ):
        raise ValidationError(
            {"to_stage": f"Advance to a stage after {debrief.application.stage.name}."}
        )
    _hold_day_check(debrief, decision.decision, decision.decide_again_on)


@transaction.atomic
def debrief_decide(*, debrief: Debrief, by: User, decision: Decision) -> Debrief:
    """The HM's decision after the debrief: advance, reject with a reason, or hold.

    Closes the decide ask (or, decided again, the ask of the hold) and any scorecard ask of
    the round still open, moves the candidate (through the pipeline's own services, which
    record the stage change), and opens the recruiter's ask to tell the candidate (a
    rejection opens it already; a hold, which has no outcome to tell, leaves the candidate's
    news clock running instead). A hold opens the hiring manager's ask to decide again,
    due on the day given: the decision stays owed, and chased, until it is made.
    """
    # The candidate's row first, then the debrief's: the order a move of the candidate takes
    # them in (it settles the debrief it leaves), so a decision here and a move on the board
    # at the same moment wait for each other instead of deadlocking.
    Application.objects.select_for_update(of=("self",)).only("pk").get(pk=debrief.application_id)
    debrief = _lock_debrief(debrief)
    application = debrief.application
    # Taken before the decide ask closes: a delegate's right rests on that ask.
    right = debrief_decision_right(user=by, debrief=debrief)
    if right is None:
        raise PermissionDenied("Only the hiring manager decides.")
    if not debrief.is_open:
        raise ValidationError("This debrief is already decided.")
    now = timezone.now()
    if not application.is_active:
        # Closed elsewhere while the debrief waited (data from before the pipeline closed
        # the loop itself): close it with the application instead of refusing forever.
        _debrief_close_with_application(debrief, by, "the application is closed", now)
        return debrief
    _check_decision(debrief, decision)
    attendees = None if decision.attendees is None else _attendees(application, decision.attendees)
    stage_before = application.stage_id  # an advance that keeps it is for the next round
    rationale = decision.rationale.strip()[:10000]
    # Decided before the candidate moves: a rejection closes the interview loop through the
    # pipeline, which must find this debrief decided (its ask done, not cancelled).
    debrief.status = (
        DebriefStatus.HELD if decision.decision == DebriefDecision.HOLD else DebriefStatus.DECIDED
    )
    debrief.save(update_fields=["status"])
    for kind in (DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF):
        ask_close(kind=kind, subject=debrief.subject, by=by, at=now)
    notices.debrief_opened_withdraw(debrief=debrief)
    moved_to = _apply_decision(debrief, right, decision)
    debrief.decision, debrief.rationale = decision.decision, rationale
    debrief.reject_reason = (
        decision.reject_reason if decision.decision == DebriefDecision.REJECT else ""
    )
    debrief.to_stage = moved_to
    debrief.for_next_round = moved_to is not None and moved_to.pk == stage_before
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


def _apply_decision(debrief: Debrief, right: DecisionRight, decision: Decision) -> Stage | None:
    """Move the candidate as decided, on the decider's right (the hiring team's rule would
    refuse a delegate); returns the stage they are in after an advance."""
    application = debrief.application
    note = f"After the {debrief.round_name} debrief: {decision.rationale.strip()}"[:2000]
    if decision.decision == DebriefDecision.REJECT:
        pipeline.application_reject_decided(
            application=application, right=right, reason=decision.reject_reason, note=note
        )
        return None
    if decision.decision == DebriefDecision.ADVANCE:
        stage = decision.to_stage or application.stage
        if stage.pk != application.stage_id:
            pipeline.application_move_decided(
                application=application, right=right, to_stage=stage, reason=note
            )
        else:
            _refresh_after_stay(application)
        _open_inform_ask(debrief, by=right.by)
        return stage
    # On hold there is no outcome to tell: the candidate's news clock runs on (the
    # recruiter keeps them posted), and the outcome is owed once the decision is made.
    _debrief_hold(debrief, decision.decide_again_on, by=right.by)
    return None


def _refresh_after_stay(application: Application) -> None:
    """Still in the same stage for the next round: the recruiting side moves next."""
    application.refresh_from_db()
    owner = pipeline.next_move_owner_for(application=application, stage=application.stage)
    pipeline.application_next_move_set(application=application, owner=owner, at=timezone.now())


def _record_decision(debrief: Debrief, by: User, now: dt.datetime) -> None:
    candidate = debrief.application.candidate.full_name
    outcome = {
        DebriefDecision.ADVANCE: f"advance {candidate}"
        + (f" to {debrief.advanced_to}" if debrief.to_stage else ""),
        DebriefDecision.REJECT: f"reject {candidate} ({debrief.get_reject_reason_display()})",
        DebriefDecision.HOLD: f"put {candidate} on hold" + _hold_words(debrief),
    }[DebriefDecision(debrief.decision)]
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
    if debrief.status == DebriefStatus.HELD:
        raise ValidationError(
            "The decision is on hold: there is no outcome to tell yet. Keep the candidate "
            "posted with Candidate updated on their application."
        )
    if debrief.sent_back:
        raise ValidationError(
            "This debrief was closed by a move back for another round: there is no outcome "
            "to tell yet. Keep the candidate posted with Candidate updated on their application."
        )
    if not debrief.has_outcome:  # closed with its application before a decision
        raise ValidationError(
            "Their application closed before this debrief was decided: the outcome to tell "
            "is on their application."
        )
    if debrief.informed_at is not None:
        raise ValidationError("The candidate was already told.")
    outcome = debrief.get_decision_display().lower()
    told = f"Told them the outcome of the {debrief.round_name} debrief ({outcome})."
    pipeline.candidate_updated(
        application=debrief.application, by=by, note=f"{told} {note.strip()}".strip()
    )
    debrief.informed_at, debrief.informed_by = timezone.now(), by
    debrief.save(update_fields=["informed_at", "informed_by"])
    return debrief
