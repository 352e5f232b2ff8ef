"""Who reads which pulse, and what they see (every permission filter of the part is here).

A job's pulses are read by its recruiter, hiring manager and coordinator, and by admins;
anyone else gets a 404, so a guessed id tells nothing. Answers are blind: until a round is
revealed each person sees only their own answer (admins included), never the other side's.
A person's received scores over jobs are read by that person and by admins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.text import capfirst

from closeloop.accounts.selectors import person_for
from closeloop.followups.subjects import Subject
from closeloop.jobs.models import Job
from closeloop.lib.ids import id_parse
from closeloop.lib.rounding import rounded
from closeloop.partnership.pulses.models import (
    QUESTIONS,
    PulseAnswer,
    PulseRound,
    PulseSide,
    alert_text,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User


def pulse_can_read_job(*, user: User, job: Job) -> bool:
    return user.is_admin or user.pk in {job.recruiter_id, job.hiring_manager_id, job.coordinator_id}


def pulse_jobs_q(user: User) -> Q:
    """The jobs whose pulses `user` reads."""
    if user.is_admin:
        return Q()
    return Q(recruiter=user) | Q(hiring_manager=user) | Q(coordinator=user)


def pulse_job_get(*, user: User, pk: object) -> Job:
    """The job, if `user` reads its pulses; 404 otherwise (also for a job that is not there)."""
    job_id = id_parse(pk)
    job = Job.objects.filter(pulse_jobs_q(user), pk=job_id).first() if job_id else None
    if job is None:
        raise Http404("No such job.")
    return job


def pulse_round_get(*, user: User, pk: object) -> tuple[PulseRound, str | None]:
    """The round, if `user` reads it, and the side they answer in it (None: a reader who
    does not answer, an admin or the coordinator; only its two people answer). Its readers
    are whoever reads the job's pulses, and the round's two people even once replaced on the
    job; 404 for anyone else, so a guessed id tells nothing."""
    round_id = id_parse(pk)
    its_jobs = Job.objects.filter(pulse_jobs_q(user))
    readers = Q(recruiter=user) | Q(hiring_manager=user) | Q(job__in=its_jobs)
    round_ = (
        PulseRound.objects.select_related("job", "recruiter", "hiring_manager")
        .filter(readers, pk=round_id)
        .first()
        if round_id
        else None
    )
    if round_ is None:
        raise Http404("No such pulse.")
    return round_, _answering_side(round_, user)


def _answering_side(round_: PulseRound, user: User) -> str | None:
    """The side `user` answers in the round; None when they answer neither (or both: a
    round whose two people are one answers nothing, as nobody rates themselves)."""
    sides = [side for side in PulseSide.values if round_.person_for(side) == user.pk]
    return sides[0] if len(sides) == 1 else None


def pulse_answer_of(*, round_: PulseRound, side: str) -> PulseAnswer | None:
    return round_.answers.filter(side=side).first()


def pulse_ask_url(subject: Subject) -> str | None:
    """Where an `answer_pulse` ask is answered: the round's answer page."""
    return reverse("partnership:pulse-answer", args=[subject.pk]) if subject.pk else None


# --- A job's rounds, as a reader sees them --------------------------------------------------


@dataclass
class SideView:
    side: str
    # Who rates whom, in words for the reader: "Hank Manager on Rita Recruiter", "You on
    # Hank Manager" (their own side), "Hank Manager on you" (the other side, about them).
    label: str
    answer: PulseAnswer | None  # None: not answered, or hidden from this reader
    answered: bool
    hidden: bool  # answered, but blind to this reader until the round is revealed
    mine: bool
    by: User | None = None  # who answers this side


@dataclass
class RoundView:
    round: PulseRound
    sides: list[SideView]
    alerts: list[str] = field(default_factory=list)

    @property
    def mine(self) -> SideView | None:
        """The reader's own side, if they answer in this round."""
        return next((s for s in self.sides if s.mine), None)

    @property
    def others(self) -> list[SideView]:
        return [s for s in self.sides if not s.mine]

    @property
    def waiting_on(self) -> list[str]:
        return [s.by.full_name for s in self.sides if not s.answered and s.by is not None]


def _side_view(round_: PulseRound, side: str, answer: PulseAnswer | None, user: User) -> SideView:
    by = round_.hiring_manager if side == PulseSide.HIRING_MANAGER else round_.recruiter
    about = round_.recruiter if side == PulseSide.HIRING_MANAGER else round_.hiring_manager
    mine = by.pk == user.pk
    visible = answer is not None and (round_.revealed_at is not None or mine)
    return SideView(
        side=side,
        label=_side_label(by, about, user),
        answer=answer if visible else None,
        answered=answer is not None,
        hidden=answer is not None and not visible,
        mine=mine,
        by=by,
    )


def _side_label(by: User, about: User, reader: User) -> str:
    """Who rates whom, the reader named "you" wherever they are: "You on Hank Manager",
    "Hank Manager on you", and "Hank Manager on Rita Recruiter" to anyone else (one "(you)"
    after both names left who was who to guess)."""
    rater = capfirst(person_for(by, reader=reader))
    return f"{rater} on {person_for(about, reader=reader)}"


def pulse_round_view(*, user: User, round_: PulseRound) -> RoundView:
    """One round as `user` may see it (its answer page): both sides once it is revealed,
    each labelled who rates whom; before, the reader's own answer only."""
    return pulse_round_views(user=user, rounds=[round_])[0]


def pulse_rounds_for_job(*, user: User, job: Job) -> QuerySet[PulseRound]:
    """The job's rounds, newest first, for a reader already allowed on the job (paginate)."""
    if not pulse_can_read_job(user=user, job=job):
        return PulseRound.objects.none()
    return (
        PulseRound.objects.filter(job=job)
        .select_related("recruiter", "hiring_manager")
        .prefetch_related("answers")
        .order_by("-number")
    )


def pulse_round_views(*, user: User, rounds: Any) -> list[RoundView]:
    """Each round as `user` may see it: blind sides hidden until the reveal."""
    views = []
    for round_ in rounds:
        answers = {a.side: a for a in round_.answers.all()}
        sides = [_side_view(round_, s, answers.get(s), user) for s in PulseSide.values]
        views.append(RoundView(round_, sides, [alert_text(a) for a in round_.alerts or []]))
    return views


@dataclass(frozen=True)
class TrendRow:
    """One question of one side over the revealed rounds (oldest first; None: no answer)."""

    side: str
    label: str
    scores: list[int | None]


@dataclass(frozen=True)
class Trend:
    rounds: list[int]  # round numbers
    dates: list[dt.datetime]
    rows: list[TrendRow]


def pulse_trend(*, user: User, job: Job, last: int = 12) -> Trend:
    """Each question's score over the job's last `last` revealed rounds (revealed only:
    the trend never leaks a blind answer)."""
    if not pulse_can_read_job(user=user, job=job):
        return Trend([], [], [])
    rounds = list(
        PulseRound.objects.filter(job=job, revealed_at__isnull=False)
        .prefetch_related("answers")
        .order_by("-number")[:last]
    )[::-1]
    rows = []
    for side in PulseSide.values:
        for index, label in enumerate(QUESTIONS[side]):
            scores: list[int | None] = []
            for round_ in rounds:
                answer = next((a for a in round_.answers.all() if a.side == side), None)
                scores.append(answer.scores[index] if answer else None)
            who = "HM on recruiter" if side == PulseSide.HIRING_MANAGER else "Recruiter on HM"
            rows.append(TrendRow(side, f"{label} ({who})", scores))
    return Trend([r.number for r in rounds], [r.opened_at for r in rounds], rows)


def pulse_open_for(*, user: User, job: Job | None = None) -> list[PulseRound]:
    """Open rounds where `user` still owes their answer (a given answer is changed from
    the round itself)."""
    rounds = (
        PulseRound.objects.filter(
            Q(recruiter=user) | Q(hiring_manager=user), revealed_at__isnull=True
        )
        .exclude(answers__by=user)
        .select_related("job", "recruiter", "hiring_manager")
    )
    if job is not None:
        rounds = rounds.filter(job=job)
    return list(rounds.order_by("closes_at"))


# --- A person's received scores ------------------------------------------------------------


@dataclass(frozen=True)
class PersonPulse:
    """One revealed round's answer about a person: its job, when, the three scores and
    their average (what the mentorship part reads for "a falling pulse score")."""

    round_id: int
    round_number: int
    job_id: int
    job_title: str
    side: str  # the side that answered (the person is the other one)
    by: str
    revealed_at: dt.datetime
    scores: tuple[int, int, int]
    labels: tuple[str, str, str]
    average: float
    comment: str


def pulse_scores_for_person(person: User, since: dt.datetime | None = None) -> list[PersonPulse]:
    """The revealed pulse answers about `person`, oldest first, since `since` (all when
    None), one per round: the rounds and the average score each received. Revealed only,
    so it never shows a blind answer. No permission filter: callers show it only to
    someone allowed (`pulse_person_get`)."""
    answers = PulseAnswer.objects.filter(about=person, round__revealed_at__isnull=False)
    if since is not None:
        answers = answers.filter(round__revealed_at__gte=since)
    rows = []
    for a in answers.select_related("round__job", "by").order_by("round__revealed_at", "pk"):
        revealed_at = a.round.revealed_at or a.round.closes_at  # revealed: filtered above

        rows.append(
            PersonPulse(
                round_id=a.round_id,
                round_number=a.round.number,
                job_id=a.round.job_id,
                job_title=a.round.job.title,
                side=a.side,
                by=a.by.full_name,
                revealed_at=revealed_at,
                scores=a.scores,
                labels=QUESTIONS[a.side],
                average=rounded(a.average, 2),
                comment=a.comment,
            )
        )
    return rows


def pulse_rows_linked(*, user: User, rows: Iterable[PersonPulse]) -> list[tuple[PersonPulse, bool]]:
    """Each row with whether `user` may open its job's pulse page (`pulse_jobs_q`, one
    query): someone who left a job's team keeps the scores they received on it, but its
    pulse page is 404 to them, so the page names the job without a link."""
    rows = list(rows)
    readable = set(
        Job.objects.filter(pulse_jobs_q(user), pk__in={row.job_id for row in rows}).values_list(
            "pk", flat=True
        )
    )
    return [(row, row.job_id in readable) for row in rows]


def pulse_person_can_read(*, user: User, person_id: int | None) -> bool:
    """Whether `user` reads the person's received scores: their own, or anyone's for an
    admin (pages link only those, and name the rest)."""
    return person_id is not None and (user.is_admin or user.pk == person_id)


def pulse_person_get(*, user: User, pk: object) -> User:
    """The person whose received scores `user` reads: themselves, or anyone for an admin."""
    person_id = id_parse(pk)
    if person_id is None or not pulse_person_can_read(user=user, person_id=person_id):
        raise Http404("No such person.")
    person = get_user_model().objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person.")
    return person


# --- The agenda section ----------------------------------------------------------------------


def pulse_alerts_between(*, job: Job, since: dt.datetime, now: dt.datetime) -> list[PulseRound]:
    """The job's rounds revealed in (since, now] that raised alerts."""
    rounds = PulseRound.objects.filter(
        job=job, revealed_at__gt=since, revealed_at__lte=now
    ).order_by("revealed_at")
    return [r for r in rounds if r.alerts]
