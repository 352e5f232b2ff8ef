"""A move out of the Debrief stage settles the debriefs it waited for (the move decided)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closeloop.accounts.models import User
from closeloop.activity.services import activity_record
from closeloop.followups.selectors import ask_owner_open
from closeloop.followups.services import ask_cancel, ask_close
from closeloop.interviews import notices
from closeloop.interviews.kinds import DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF
from closeloop.interviews.models import Debrief, DebriefDecision, DebriefStatus
from closeloop.interviews.services.common import (
    _cancel_scorecard_asks,
    _lock_debrief,
    _open_inform_ask,
)

if TYPE_CHECKING:
    import datetime as dt

    from closeloop.jobs.models import Stage
    from closeloop.pipeline.models import Application

# How a decide ask closed by a move of the candidate says so (`Ask.closed_via`).
CLOSED_BY_MOVE = "move"


# How a decide ask called off by someone else's move says so (`Ask.closed_via`).
DECIDED_BY_A_MOVE = "decided by a move"


def _decide_asks_settle(debrief: Debrief, by: User | None, now: dt.datetime) -> None:
    """The debrief's decide ask closes: answered when whoever owes it moved the candidate
    (the HM, or whoever holds it for them), called off when someone else did, so nobody's
    record counts an answer they did not give."""
    for kind in (DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF):
        owes = ask_owner_open(kind=kind, subject=debrief.subject)
        if owes is None:
            continue
        if by is not None and owes == by.pk:
            ask_close(kind=kind, subject=debrief.subject, by=by, via=CLOSED_BY_MOVE, at=now)
        else:
            ask_cancel(kind=kind, subject=debrief.subject, reason=DECIDED_BY_A_MOVE)
            notices.debrief_settled_by_move_send(
                debrief=debrief, by=by, owed=User.objects.get(pk=owes)
            )


def debriefs_settle_by_move(
    *,
    application: Application,
    by: User | None,
    decision: str,
    to_stage: Stage | None,
    now: dt.datetime,
    reject_reason: str = "",
) -> list[Debrief]:
    """The candidate left the Debrief stage by hand: the decision the stage waited for was
    taken by the move. Each debrief still open (or on hold) is recorded as decided by the
    mover: `decision` advance (to `to_stage`, a later stage or Hired), reject (with
    `reject_reason`), or none for a move back to an earlier stage `to_stage` (the debrief
    is over and the candidate goes round again: no outcome to tell). Its decide ask closes
    as answered by the mover, `via` the move, and the round's scorecard asks still open are
    called off, as a decision on the debrief's page does. Nobody is sent anything: the move
    says it to the mover (`moves.move_settled_words`)."""
    waiting = list(
        application.debriefs.filter(status__in=[DebriefStatus.OPEN, DebriefStatus.HELD]).order_by(
            "opened_at", "pk"
        )
    )
    name = application.candidate.full_name
    mover = str(by) if by is not None else "Someone"
    if decision == DebriefDecision.REJECT:
        words = f"{mover} rejected {name}"
    elif decision == DebriefDecision.ADVANCE and to_stage is not None:
        words = f"{mover} moved {name} to {to_stage.name}"
    elif to_stage is not None:
        words = f"{mover} moved {name} back to {to_stage.name}, for another round"
    else:
        raise ValueError("A move back names the stage it moved the candidate to.")
    settled = []
    for found in waiting:
        debrief = _lock_debrief(found)
        if not debrief.is_open:
            continue
        debrief.status, debrief.decision = DebriefStatus.DECIDED, decision
        debrief.reject_reason = reject_reason if decision == DebriefDecision.REJECT else ""
        debrief.to_stage = None if decision == DebriefDecision.REJECT else to_stage
        debrief.for_next_round = False
        debrief.decided_by, debrief.decided_at = by, now
        debrief.informed_at, debrief.informed_by = None, None
        debrief.rationale = f"Decided by a move, not on this page: {words}."
        debrief.save()
        _decide_asks_settle(debrief, by, now)
        notices.debrief_opened_withdraw(debrief=debrief)
        for interview in debrief.interviews.prefetch_related("interviewers"):
            _cancel_scorecard_asks(
                [interview],
                [p.pk for p in interview.interviewers.all()],
                reason="debrief decided by a move",
            )
        activity_record(
            kind="closeloop.debrief.decided",
            actor=by,
            application=application,
            at=now,
            summary=f"The {debrief.round_name} debrief of {name} was decided by a move: {words}",
            data={"debrief": debrief.pk, "decision": decision, "by_move": True},
            team_only=True,
        )
        settled.append(debrief)
    if settled and by is not None and decision == DebriefDecision.ADVANCE:
        application.refresh_from_db(fields=["status"])
        if application.is_active:
            # Moved on, as the HM's own Advance: the candidate is owed the outcome (a
            # rejection opens that through the pipeline; a hire needs no telling).
            _open_inform_ask(settled[-1], by=by)
    return settled
