"""What a move of candidates says about their interviews (`pipeline.move_words`).

Registered from `InterviewsConfig.ready`: a move into a Debrief stage says who decides after
the debrief, by when; a move out of one says the debriefs it closed; a move into a stage
where interviews are not held says which interviews are still to come. One rule for a move
of one candidate and a bulk move. The interviews still to come are named by
`interviews_ahead_words`, as a refused move into Debrief names them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch
from django.utils import timezone

from closeloop.followups.models import Ask, AskStatus
from closeloop.interviews.kinds import DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF
from closeloop.interviews.models import Debrief, DebriefStatus, Interview, InterviewStatus
from closeloop.jobs.models import MoveOwner, StageKind
from closeloop.lib.folding import by_name
from closeloop.lib.text import listed
from closeloop.lib.timefmt import absolute
from closeloop.pipeline.models import Application

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Stage

# The asks whose decision a Debrief stage waits for: after the debrief, or again on its hold.
DECISION_KINDS = (DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF)


def interviews_ahead_words(
    interviews: Iterable[Interview], reader: User | None, *, definite: bool = True
) -> str:
    """The interviews still to come, as a sentence names them, in the reader's time and with
    "you" for the reader on a panel: "the Technical interview on Tue 08 Dec 15:00 with Ivy
    Morgan", or with `definite=False` "a Technical interview on … with you"."""
    zone = reader.zone if reader is not None else None
    reader_pk = reader.pk if reader is not None else None
    return listed(
        f"{_the(interview.round_label) if definite else _a(interview.round_label)} on "
        f"{absolute(interview.starts_at, zone)} with "
        + listed(
            "you" if person.pk == reader_pk else person.full_name
            for person in interview.interviewers.all()
        )
        for interview in interviews
    )


def move_interviews_left_words(
    *, applications: Sequence[Application], to_stage: Stage, reader: User
) -> list[str]:
    """What a move into `to_stage` left booked, one sentence a candidate: the interviews
    still to come of each candidate moved into a stage where interviews are not held (its
    move is not the interviewers'), for the mover to cancel or keep. A move keeps them
    (some teams hold a last call after an offer is drafted); saying so is the one rule of a
    move and a bulk move. Messages are plain text: the sentence names where an interview is
    cancelled (its page, linked under Interviews on the candidate's page). Hired closed the
    candidates: their interviews were called off."""
    if to_stage.move_owner == MoveOwner.INTERVIEWERS or to_stage.kind == StageKind.HIRED:
        return []
    # Held ones are left out: the worker completes them and their debrief opens.
    ahead = (
        Interview.objects.filter(status=InterviewStatus.SCHEDULED, ends_at__gt=timezone.now())
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
    moved = (
        Application.objects.filter(pk__in=[each.pk for each in applications])
        .select_related("candidate")
        .prefetch_related(Prefetch("interviews", queryset=ahead, to_attr="interviews_ahead"))
        .order_by(*by_name("candidate__full_name"), "pk")
    )
    said = []
    for application in moved:
        booked: list[Interview] = getattr(application, "interviews_ahead", [])
        if not booked:
            continue
        them = "it" if len(booked) == 1 else "them"
        said.append(
            f"{application.candidate.full_name} still has "
            f"{interviews_ahead_words(booked, reader, definite=False)}: cancel {them} (under "
            f"Interviews on the candidate's page) or keep {them}?"
        )
    return said


def move_decisions_words(
    *, applications: Sequence[Application], to_stage: Stage, reader: User
) -> list[str]:
    """Who decides, by when, on the candidates moved into a Debrief stage: the decide asks
    the move opened (or found waiting: after a debrief, or again on one on hold). For one
    candidate a sentence an ask ("Hank Hill decides after the Technical round's debrief, due
    Wed 09 Dec 17:00."); for a bulk move of several, briefly, one a decider. The one rule of
    a move and a bulk move."""
    if to_stage.kind != StageKind.DEBRIEF:
        return []
    moved = [each.pk for each in applications]
    asks = list(
        Ask.objects.filter(kind__in=DECISION_KINDS, status=AskStatus.OPEN, application__in=moved)
        .select_related("owner", "application__candidate")
        .order_by("due_at", "pk")
    )
    # The round an ask decides on is its debrief's (the ask's subject).
    rounds = {
        debrief.subject: debrief.round_label
        for debrief in Debrief.objects.filter(application__in=moved)
    }
    by_owner: dict[int, list[Ask]] = {}
    for ask in asks:
        by_owner.setdefault(ask.owner_id, []).append(ask)
    said = []
    for owed in by_owner.values():
        owner = owed[0].owner
        who, decide = ("You", "decide") if owner.pk == reader.pk else (owner.full_name, "decides")
        due = absolute(owed[0].due_at, reader.zone)
        if len(applications) == 1:
            said += [
                f"{who} {decide} after the {rounds.get(ask.subject, 'round')}'s debrief, due "
                f"{absolute(ask.due_at, reader.zone)}."
                for ask in owed
            ]
        elif len(owed) == 1:
            one = owed[0]
            name = one.application.candidate.full_name if one.application else "one of them"
            said.append(
                f"{who} {decide} on {name} after the {rounds.get(one.subject, 'round')}'s "
                f"debrief, due {due}."
            )
        else:
            count = len({ask.application_id for ask in owed})
            said.append(
                f"{who} {decide} on {count} of them after their debriefs, the first due {due}."
            )
    return said


def move_settled_words(
    *, applications: Sequence[Application], to_stage: Stage, reader: User
) -> list[str]:
    """The debriefs the move out of a Debrief stage closed (`debriefs_settle_by_move`: by
    the mover, as they entered `to_stage`), one short sentence: for one candidate a sentence
    a debrief ("The debrief of the Technical round is closed: decided by this move."), for a
    bulk move of several the candidate named, or how many were closed."""
    moved = [each.pk for each in applications]
    settled = list(
        Debrief.objects.filter(
            application__in=moved,
            status=DebriefStatus.DECIDED,
            decided_by=reader,
            decided_at=F("application__entered_stage_at"),
        )
        .select_related("application__candidate")
        .order_by("opened_at", "pk")
    )
    if not settled:
        return []
    back = not settled[0].decision  # one move: all of them back, or none
    if len(settled) > 1 and len(applications) > 1:
        why = "they go round again" if back else "decided by this move"
        return [f"{len(settled)} debriefs are closed: {why}."]
    said = []
    for debrief in settled:
        name = debrief.application.candidate.full_name
        whose = "the" if len(applications) == 1 else f"{name}'s"
        why = f"{name} goes round again" if back else "decided by this move"
        said.append(f"The debrief of {whose} {debrief.round_label} is closed: {why}.")
    return said


def _the(noun: str) -> str:
    return f"the {noun}"


def _a(noun: str) -> str:
    """The noun with its indefinite article: "a Technical interview", "an Onsite interview"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
