"""A round completes: its debrief opens (once) and the HM is asked to decide."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from closeloop.activity.services import activity_record
from closeloop.followups.business_time import add_business_days, calendar_for
from closeloop.followups.services import ask_due_at, ask_open
from closeloop.interviews import notices
from closeloop.interviews.kinds import DECIDE_AFTER_DEBRIEF
from closeloop.interviews.models import (
    Debrief,
    DebriefOpenedBecause,
    DebriefStatus,
    Interview,
    InterviewStatus,
    ScorecardStatus,
)
from closeloop.interviews.moves import interviews_ahead_words
from closeloop.interviews.selectors import (
    round_same_q,
)
from closeloop.lib.text import listed, round_label
from closeloop.pipeline import services as pipeline
from closeloop.pipeline.models import Application

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job

# The least working time a hiring manager is given to decide once the debrief opens.
DECIDE_AT_LEAST_DAYS = 1


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
    by: User | None = None,
) -> Debrief | None:
    """Open the debrief of `interview`'s round for its application (once), link the round's
    interviews to it, and ask the HM for the decision.

    Returns the new debrief, or None when one already existed (another worker, or the last
    scorecard, got there first: the unique constraint decides) or the candidate's application
    is closed. `by`: who opened it by moving the candidate (None: it opened on its own).
    """
    application = interview.application
    if not application.is_active:
        return None  # a closed candidate is debriefed only once reopened (the worker's rule)
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
    _debrief_opened(debrief, interviews, because, now, by)
    return debrief


def _decision_owed_from(debrief: Debrief, job: Job, now: dt.datetime) -> dt.datetime:
    """When the hiring manager's decision is owed from: the round's last interview, as
    agreed, so it is due the agreed time after it, when the debrief opens in time to leave
    them at least `DECIDE_AT_LEAST_DAYS` of that; otherwise (the worker was behind, the
    candidate's application was reopened weeks later) the debrief's opening. Nobody can
    decide before the debrief opens: a decision is never overdue, or escalated, the moment
    it is asked for, nor counted as a wait on the hiring manager before it could be made."""
    ended = min(debrief.last_interview_ended_at, now)
    owner = job.hiring_manager
    due = ask_due_at(kind=DECIDE_AFTER_DEBRIEF, owner=owner, opened_at=ended, job=job)
    least = add_business_days(calendar_for(owner), now, DECIDE_AT_LEAST_DAYS)
    return ended if due >= least else now


def _debrief_opened(
    debrief: Debrief,
    interviews: list[Interview],
    because: str,
    now: dt.datetime,
    by: User | None = None,
) -> None:
    application = debrief.application
    job = application.job
    ask = ask_open(
        kind=DECIDE_AFTER_DEBRIEF,
        subject=debrief.subject,
        title=f"Decide on {application.candidate.full_name} after the {debrief.round_name} "
        f"debrief ({job.title})",
        owner=job.hiring_manager,
        application=application,
        requested_by=job.recruiter,
        opened_at=_decision_owed_from(debrief, job, now),
        facts={"round": debrief.round_name},
    )
    if application.is_active:
        pipeline.application_next_move_set(
            application=application, owner=job.hiring_manager, at=now
        )
    missing = [person.full_name for _, person in _round_missing(interviews)]
    # While the hiring manager is away the engine hands the decision to their delegate.
    decider = ask.owner if ask is not None else job.hiring_manager
    covering = f", covering for {job.hiring_manager}" if decider != job.hiring_manager else ""
    why = DebriefOpenedBecause(because).label.lower()
    activity_record(
        kind="closeloop.debrief.opened",
        actor=by,
        application=application,
        at=now,
        summary=f"The {debrief.round_name} debrief of {application.candidate.full_name} is "
        f"open ({why}); {decider} decides{covering}",
        detail=f"Missing scorecards: {', '.join(missing)}" if missing else "",
        data={"debrief": debrief.pk, "because": because},
    )
    notices.debrief_opened_send(
        debrief=debrief,
        missing=missing,
        decider=decider,
        due_at=ask.due_at if ask is not None else None,
        by=by,
    )


def _ahead_words(interviews: Iterable[Interview], reader: User | None) -> str:
    """The interviews still to come, as a sentence names them: "the Technical interview on
    Tue 08 Dec 15:00 with Ivy Morgan" (in the reader's time, "with you" for the reader)."""
    return interviews_ahead_words(interviews, reader)


def debriefs_open_for_move(
    *, application: Application, by: User | None, now: dt.datetime
) -> list[Debrief]:
    """Moved by hand into a Debrief stage: the hiring manager is asked to decide, as when a
    round's debrief opens on its own. Each round held (all its interviews ended) without a
    debrief yet opens its debrief now (opened by the hiring team: missing scorecards are
    shown, and still owed), with the decide ask due the agreed time after the round's end
    (`_decision_owed_from`). A debrief already open or on hold is the decision the stage
    waits for. With none of these there is nothing in the stage to decide, and the move is
    refused, saying why: an interview still to come (named, whose debrief opens on its own
    once its scorecards are in) and no round held, or every round held decided already
    (named beside those to come), or no interview at all. `by` opened the debriefs: the
    timeline names them, and the notices leave them out."""
    interviews = list(
        application.interviews.exclude(status=InterviewStatus.CANCELLED)
        .select_related("round")
        .prefetch_related("interviewers", "scorecards")
        .order_by("ends_at", "pk")
    )
    by_round: dict[tuple[int | None, str], list[Interview]] = {}
    for interview in interviews:
        by_round.setdefault(_round_key(interview), []).append(interview)
    # A round is held once every interview of it has ended: one with an interview still to
    # come opens its debrief on its own when that one's scorecards are in (its decision due
    # from then, not from the first interview's end).
    rounds = {
        key: done
        for key, done in by_round.items()
        if all(interview.ends_at <= now for interview in done)
    }
    opened = []
    for (round_id, round_name), done in rounds.items():
        found = _debrief_find(application, round_id, round_name or done[-1].round_name)
        if found is not None and found.status == DebriefStatus.CLOSED:
            # Closed with the application before a decision, and the candidate reopened
            # since: the decision is owed again.
            opened.append(_debrief_reopen(found, done, now, by))
            continue
        if found is not None:
            continue
        debrief = debrief_open(
            interview=done[-1],
            because=DebriefOpenedBecause.BY_HAND,
            interviews=done,
            now=now,
            by=by,
        )
        if debrief is not None:
            opened.append(debrief)
    waiting = application.debriefs.filter(status__in=[DebriefStatus.OPEN, DebriefStatus.HELD])
    if opened or waiting.exists():
        return opened
    name = application.candidate.full_name
    ahead = [interview for interview in interviews if interview.ends_at > now]
    stage = application.stage.name
    manager = application.job.hiring_manager
    if ahead:
        one = len(ahead) == 1
        # One debrief a round: two interviews of one round still to come share theirs.
        debriefs = "Its debrief opens" if one else "Their debrief opens"
        if len({_round_key(interview) for interview in ahead}) > 1:
            debriefs = "Their debriefs open"
        held_words = (
            f"{name}'s {_held_words(rounds.values())} decided already, and"
            if rounds
            else f"{name} has no interview held for a debrief to decide on yet:"
        )
        raise ValidationError(
            f"{held_words} {_ahead_words(ahead, by)} {'is' if one else 'are'} still to come. "
            f"{debriefs} for {manager} once {'its' if one else 'their'} scorecards are in; "
            f"keep {name} where they are until then rather than in {stage}."
        )
    if rounds:
        raise ValidationError(
            f"Every round {name} has had is decided already: {stage} would leave "
            f"{manager} nothing to decide. Book the next round, or move them on."
        )
    raise ValidationError(
        f"{name} has had no interview yet: a debrief decides on the interviews held. Book "
        f"one, or move them to another stage than {stage}."
    )


def _round_key(interview: Interview) -> tuple[int | None, str]:
    """A round's interviews share it: the plan's round, or a round-less name."""
    return (interview.round_id, "" if interview.round_id else interview.round_name)


def _held_words(rounds: Iterable[list[Interview]]) -> str:
    """The rounds held, as a sentence names them with their verb: "Technical round is",
    "Technical round and Onsite round are"."""
    labels = [round_label(done[-1].round_name, "round") for done in rounds]
    return f"{listed(labels)} {'is' if len(labels) == 1 else 'are'}"


def _debrief_reopen(
    debrief: Debrief, interviews: list[Interview], now: dt.datetime, by: User | None
) -> Debrief:
    """A debrief closed with its application, open again by the hiring team's move: the
    decision is owed from now (`_decision_owed_from`), as for any debrief opened late."""
    debrief.status, debrief.rationale = DebriefStatus.OPEN, ""
    debrief.opened_at, debrief.opened_because = now, DebriefOpenedBecause.BY_HAND
    debrief.save(update_fields=["status", "rationale", "opened_at", "opened_because"])
    Interview.objects.filter(pk__in=[i.pk for i in interviews], debrief__isnull=True).update(
        debrief=debrief
    )
    _debrief_opened(debrief, interviews, DebriefOpenedBecause.BY_HAND, now, by)
    return debrief
