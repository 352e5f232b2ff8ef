"""Pulse rounds: opening them on the agreed cadence, answering, revealing, alerting.

Every write is here (docs/architecture.md#two-way-pulses). The worker opens a round per
open job when its cadence is due (`pulse_rounds_open_due`) and reveals the rounds whose
window closed (`pulse_rounds_close_due`); a round is revealed earlier when both sides have
answered. Reveal is when alerts are worked out: a score of 2 or lower, or a drop of more
than a point from the previous round on the same question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.selectors import person_for
from closeloop.activity.services import activity_record
from closeloop.followups.business_time import add_business_days, calendar_for
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.services import (
    ask_cancel,
    ask_close,
    ask_open,
    asks_cancel_where,
    asks_lock,
)
from closeloop.followups.subjects import subject_key
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.intake.models import PulseCadence
from closeloop.intake.selectors import pulse_weeks_in_force, pulse_weeks_q
from closeloop.jobs.hooks import EndingEffect
from closeloop.jobs.models import Job, JobStatus
from closeloop.lib.sweep import Swept, sweep
from closeloop.lib.text import listed, validate_multiline_text
from closeloop.notify.services import message_queue
from closeloop.partnership.pulses.models import (
    COMMENT_MAX,
    SCORE_MAX,
    SCORE_MIN,
    PulseAnswer,
    PulseRound,
    PulseSide,
    RevealReason,
    alert_text,
)
from closeloop.partnership.pulses.policies import ANSWER_PULSE

if TYPE_CHECKING:
    from closeloop.accounts.models import User

OPEN_STEP = "pulse rounds"
CLOSE_STEP = "pulse windows"
# How long both sides have before a round closes and reveals what came in.
WINDOW_BUSINESS_DAYS = 5
# An alert: a revealed score at or below this, or a fall of more than DROP points.
LOW_SCORE = 2
DROP = 1


def pulse_subject(round_: PulseRound, side: str) -> str:
    """The subject of one side's `answer_pulse` ask: "pulse:<round>:<side>"."""
    return subject_key("pulse", round_.pk, side)


# --- Opening a round --------------------------------------------------------------------------


def _window_end(job: Job, now: dt.datetime) -> dt.datetime:
    """Five business days for each side, in each one's own calendar: the later end wins."""
    return max(
        add_business_days(calendar_for(person), now, WINDOW_BUSINESS_DAYS)
        for person in (job.recruiter, job.hiring_manager)
    )


@transaction.atomic
def pulse_round_open(*, job: Job, now: dt.datetime | None = None) -> PulseRound:
    """Open the job's next round and one `answer_pulse` ask per side (their first rung, at
    once, is the email with the score links). Refuses a job whose two sides are one person
    or that has a round open already."""
    now = now or timezone.now()
    if job.recruiter_id == job.hiring_manager_id:
        raise ValidationError("A pulse needs two people: the recruiter is the hiring manager.")
    if PulseRound.objects.filter(job=job, revealed_at__isnull=True).exists():
        raise ValidationError("A pulse round is open on this job already.")
    number = (PulseRound.objects.filter(job=job).aggregate(n=Max("number"))["n"] or 0) + 1
    round_ = PulseRound.objects.create(
        job=job,
        number=number,
        recruiter=job.recruiter,
        hiring_manager=job.hiring_manager,
        opened_at=now,
        closes_at=_window_end(job, now),
    )
    for side in PulseSide.values:
        _open_ask(round_, side, now)
    activity_record(
        kind="closeloop.pulse.opened",
        job=job,
        at=now,
        summary=f"Pulse round {number} opened: {job.hiring_manager} and {job.recruiter} rate "
        "working together",
        data={"round": round_.pk},
        team_only=True,
    )
    return round_


def _open_ask(round_: PulseRound, side: str, now: dt.datetime) -> None:
    job = round_.job
    owner = job.hiring_manager if side == PulseSide.HIRING_MANAGER else job.recruiter
    about = job.recruiter if side == PulseSide.HIRING_MANAGER else job.hiring_manager
    ask_open(
        kind=ANSWER_PULSE,
        subject=pulse_subject(round_, side),
        title=f"Pulse on working with {about} ({job.title})",
        owner=owner,
        job=job,
        opened_at=now,
        facts={"about": about.full_name, "job": job.title},
    )


# --- The job changing hands -------------------------------------------------------------------


@transaction.atomic
def pulse_side_hand_over(
    *, job: Job, side: str, before: User, after: User, by: User, now: dt.datetime | None = None
) -> PulseRound | None:
    """`after` now holds `side`'s role on the job (jobs' `job_role_changed`): the open round
    that still waits on `before` for that side asks `after` instead. A pulse is personal, so
    `before`'s ask is cancelled, never handed over, and `after` gets one of their own with
    the full window; the other side, if it has not answered, is asked again about `after`
    (the round rates one pairing, and its ask named `before`). A side `before` answered
    already stays theirs: that answer counts, and `after`'s first pulse is the next round.
    Returns the round changed, or None."""
    now = now or timezone.now()
    if side not in PulseSide.values:
        return None
    open_round = PulseRound.objects.filter(job=job, revealed_at__isnull=True).first()
    if open_round is None or open_round.person_for(side) != before.pk:
        return None
    # The asks before the round, as an answer and the window's close lock them.
    subjects = {each: pulse_subject(open_round, each) for each in PulseSide.values}
    asks_lock(kind=ANSWER_PULSE, subjects=list(subjects.values()))
    round_ = PulseRound.objects.select_for_update().select_related("job").get(pk=open_round.pk)
    answered = set(round_.answers.values_list("side", flat=True))
    if round_.revealed_at is not None or side in answered:
        return None
    reason = f"{before} is no longer the {side.replace('_', ' ')} of {job.title} ({after} is)"
    ask_cancel(kind=ANSWER_PULSE, subject=subjects[side], reason="role changed hands")
    other = next(each for each in PulseSide.values if each != side)
    if round_.person_for(other) == after.pk:
        # One person on both sides now: nobody rates themselves; the round reveals what came.
        return round_
    setattr(round_, side, after)
    # Each side has the whole window in their own calendar (`_window_end`), the newcomer too.
    round_.closes_at = max(
        round_.closes_at, add_business_days(calendar_for(after), now, WINDOW_BUSINESS_DAYS)
    )
    round_.save(update_fields=[side, "closes_at"])
    _open_ask(round_, side, now)
    if other not in answered:
        ask_cancel(kind=ANSWER_PULSE, subject=subjects[other], reason="role changed hands")
        _open_ask(round_, other, now)
    activity_record(
        kind="closeloop.pulse.handed_over",
        actor=by,
        job=job,
        at=now,
        summary=f"Pulse round {round_.number} now asks {after}: {reason}",
        data={"round": round_.pk, "side": side, "before": before.pk, "after": after.pk},
        team_only=True,
    )
    return round_


# --- Answering ---------------------------------------------------------------------------------


def _side_of(round_: PulseRound, user: User) -> str:
    for side in PulseSide.values:
        if round_.person_for(side) == user.pk:
            return side
    raise PermissionDenied("Only the job's recruiter and hiring manager answer its pulse.")


def _scores_checked(scores: Sequence[object]) -> tuple[int, int, int]:
    if len(scores) != 3:
        raise ValidationError("Give all three scores.")
    checked = []
    for value in scores:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"Each score is a whole number from {SCORE_MIN} to {SCORE_MAX}.")
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationError(f"Each score is from {SCORE_MIN} to {SCORE_MAX}.")
        checked.append(value)
    return checked[0], checked[1], checked[2]


def _comment_checked(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(f"Keep the comment under {COMMENT_MAX} characters.")
    validate_multiline_text(comment)
    return comment


def pulse_answer_refusal(round_: PulseRound, now: dt.datetime) -> str | None:
    """Why the round takes no answer any more (None: it does)."""
    if round_.reveal_reason == RevealReason.JOB_ENDED:
        return (
            "This pulse round ended with the search: nobody is asked for scores any more, and "
            "the answers given are final."
        )
    if round_.revealed_at is not None:
        return "This pulse round is closed and its answers are revealed: they are final now."
    if round_.closes_at <= now:
        return "This pulse round's window has closed: its answers are being revealed."
    return None


@transaction.atomic
def pulse_answer_save(
    *,
    round_: PulseRound,
    by: User,
    scores: Sequence[object],
    comment: str = "",
    via: str = "app",
    now: dt.datetime | None = None,
) -> PulseAnswer:
    """Record (or change) `by`'s answer in the round: three scores 1–5 and a plain-text
    comment. Closes their ask; the second side's answer reveals the round. Refuses, with
    nothing changed, anyone but the round's two people, bad scores, and a revealed round."""
    now = now or timezone.now()
    side = _side_of(round_, by)
    checked, comment = _scores_checked(scores), _comment_checked(comment)
    # The ask first, then the round: a one-click answer locks them in that order too.
    asks_lock(kind=ANSWER_PULSE, subjects=[pulse_subject(round_, side)])
    round_ = PulseRound.objects.select_for_update().select_related("job").get(pk=round_.pk)
    if refusal := pulse_answer_refusal(round_, now):
        raise ValidationError(refusal)
    answer, created = PulseAnswer.objects.get_or_create(
        round=round_,
        side=side,
        defaults={
            "by": by,
            "about_id": round_.about_for(side),
            "score_1": checked[0],
            "score_2": checked[1],
            "score_3": checked[2],
            "comment": comment,
            "answered_at": now,
            "updated_at": now,
            "via": via,
        },
    )
    if not created:
        answer.score_1, answer.score_2, answer.score_3 = checked
        answer.comment, answer.updated_at, answer.via = comment, now, via
        answer.save(update_fields=["score_1", "score_2", "score_3", "comment", "updated_at", "via"])
    ask_close(kind=ANSWER_PULSE, subject=pulse_subject(round_, side), by=by, via=via, at=now)
    activity_record(
        kind="closeloop.pulse.answered" if created else "closeloop.pulse.changed",
        actor=by,
        job=round_.job,
        at=now,
        summary=f"{by} {'answered' if created else 'changed'} their pulse (round {round_.number})",
        data={"round": round_.pk, "side": side},
        team_only=True,
    )
    if round_.answers.count() == len(PulseSide.values):
        _reveal(round_, RevealReason.BOTH_ANSWERED, now)
    return answer


# --- Revealing ---------------------------------------------------------------------------------


def _previous_answers(round_: PulseRound) -> dict[str, PulseAnswer]:
    """The answers of the job's last revealed round before this one, by side."""
    previous = (
        PulseRound.objects.filter(
            job_id=round_.job_id, number__lt=round_.number, revealed_at__isnull=False
        )
        .order_by("-number")
        .first()
    )
    return {a.side: a for a in previous.answers.all()} if previous else {}


def pulse_alerts(round_: PulseRound) -> list[dict[str, Any]]:
    """What a round's answers flag: a score of 2 or lower, or a drop of more than a point
    from the previous revealed round on the same question."""
    before = _previous_answers(round_)
    alerts = []
    for answer in round_.answers.select_related("about").order_by("side"):
        old = before.get(answer.side)
        for index, (label, score) in enumerate(answer.questions):
            previous = old.scores[index] if old else None
            dropped = previous is not None and previous - score > DROP
            if score <= LOW_SCORE or dropped:
                alerts.append(
                    {
                        "side": answer.side,
                        "question": index + 1,
                        "label": label,
                        "score": score,
                        "previous": previous,
                        "about": answer.about.full_name,
                        "by": answer.by_id,
                    }
                )
    return alerts


def _reveal(
    round_: PulseRound, reason: str, now: dt.datetime, *, cancel_reason: str = "pulse closed"
) -> None:
    """Reveal both answers (final from now on), stop chasing the sides that did not answer
    (`cancel_reason` says why), and flag what needs talking about: the agenda reads
    `alerts`, the admins hear now."""
    round_.revealed_at, round_.reveal_reason = now, reason
    round_.alerts = pulse_alerts(round_)
    round_.save(update_fields=["revealed_at", "reveal_reason", "alerts"])
    subjects = [pulse_subject(round_, side) for side in PulseSide.values]
    asks_cancel_where(
        Ask.objects.filter(kind=ANSWER_PULSE, subject__in=subjects), reason=cancel_reason
    )
    activity_record(
        kind="closeloop.pulse.revealed",
        job=round_.job,
        at=now,
        summary=f"Pulse round {round_.number} revealed ({RevealReason(reason).label.lower()})",
        data={"round": round_.pk, "alerts": len(round_.alerts)},
        team_only=True,
    )
    if round_.alerts:
        _alert_admins(round_)


def _alert_admins(round_: PulseRound) -> None:
    """Every admin hears of a revealed round's flags. A round that ended with its search
    (`pulse_round_end_with_job`) is worded as final: its scores are a record of a search
    that is over, and no touch-base, ask or answer will follow them up."""
    job = round_.job
    url = settings.SITE_URL + reverse("partnership:pulse-job", args=[job.pk])
    ended = round_.reveal_reason == RevealReason.JOB_ENDED
    search_ended = f"the job was {job.get_status_display().lower()}" if ended else ""
    admins = get_user_model().objects.filter(is_admin=True, is_active=True).order_by("pk")
    for admin in admins:
        message_queue(
            recipient=admin,
            template="pulse-alert",
            context={
                "recipient": admin,
                "job": job,
                "round": round_,
                "alerts": [alert_text(alert) for alert in round_.alerts],
                "search_ended": search_ended,
                "url": url,
            },
            data={"job": job.pk, "pulse_round": round_.pk},
        )


# --- The search ending --------------------------------------------------------------------------


def _round_open(job: Job) -> PulseRound | None:
    return PulseRound.objects.filter(job=job, revealed_at__isnull=True).first()


def pulse_round_ending(job: Job, reader: User | None = None) -> EndingEffect | None:
    """What ending the job does to its open pulse round, said to `reader` ("you are no
    longer asked"), for the job form to confirm first (the registered `job_ending_effect`;
    `pulse_round_end_with_job` does it): the sides still owing scores are no longer asked.
    None when nobody is being asked."""
    round_ = _round_open(job)
    if round_ is None:
        return None
    subjects = [pulse_subject(round_, side) for side in PulseSide.values]
    owed = Ask.objects.filter(kind=ANSWER_PULSE, subject__in=subjects, status=AskStatus.OPEN)
    owners = [ask.owner for ask in owed.select_related("owner").order_by("pk")]
    if not owners:
        return None
    names = [person_for(owner, reader=reader, short=True) for owner in owners]
    one = len(names) == 1 and names != ["you"]
    who = f"{listed(names)} {'is' if one else 'are'} no longer asked for scores"
    return EndingEffect(
        ahead=f"Pulse round {round_.number} ends with the search: {who}; the answers "
        "already given are kept.",
        done=f"Pulse round {round_.number} ended with the search: {who}.",
        what="end its open pulse round",
    )


@transaction.atomic
def pulse_round_end_with_job(
    *, job: Job, by: User | None, now: dt.datetime | None = None
) -> PulseRound | None:
    """jobs' `job_closed`: the search is over, so its open round ends with it. The sides
    that have not answered are no longer chased (their asks cancelled), the answers given
    are kept and shown, final, as when the window closes; the round reads as ended with the
    search (`RevealReason.JOB_ENDED`). A reopened job gets its next round on the cadence
    (`pulse_jobs_due`). Returns the round ended, or None."""
    now = now or timezone.now()
    open_round = _round_open(job)
    if open_round is None:
        return None
    # The asks before the round, as an answer and the window's close lock them.
    asks_lock(
        kind=ANSWER_PULSE,
        subjects=[pulse_subject(open_round, side) for side in PulseSide.values],
    )
    round_ = (
        PulseRound.objects.select_for_update()
        .select_related("job")
        .filter(pk=open_round.pk, revealed_at__isnull=True)
        .first()
    )
    if round_ is None:
        return None  # the second answer (or the worker) revealed it meanwhile
    ended = f"the job was {job.get_status_display().lower()}"
    _reveal(round_, RevealReason.JOB_ENDED, now, cancel_reason=ended)
    return round_


# --- Worker steps ------------------------------------------------------------------------------


def _due_q(now: dt.datetime) -> Q:
    """Jobs whose agreed cadence has come round since their last round or their opening,
    or since their reopening when that came later (`pulse_anchor`)."""
    due = Q()
    for weeks in PulseCadence.values:
        if weeks:
            due |= pulse_weeks_q(weeks) & Q(pulse_anchor__lte=now - dt.timedelta(weeks=weeks))
    return due


def pulse_jobs_due(*, now: dt.datetime) -> Any:
    """Open jobs due a round: cadence not off, two different people, no round open."""
    open_rounds = PulseRound.objects.filter(revealed_at__isnull=True).values("job_id")
    return (
        Job.objects.filter(status=JobStatus.OPEN)
        .exclude(recruiter=F("hiring_manager"))
        .exclude(pk__in=open_rounds)
        # A reopened search counts its cadence afresh, as a new one does from its opening:
        # a round the day it reopens would rate a partnership that has barely restarted.
        .annotate(
            pulse_anchor=Greatest(
                Coalesce(Max("pulse_rounds__opened_at"), "opened_at", "created_at"),
                Coalesce("reopened_at", "created_at"),
            )
        )
        .filter(_due_q(now))
    )


def pulse_rounds_open_due(*, now: dt.datetime | None = None, limit: int = 50) -> Swept:
    """Worker step: open a round on every open job whose pulse cadence is due.

    Several workers: the job row is locked (SKIP LOCKED on PostgreSQL) and due-ness checked
    again under the lock; "one open round per job" and the round number are unique, so a
    second worker that gets past both finds nothing to do. A job that raises is held back
    (its due time is a fact of the job, not a schedule the step may move).
    """
    now = now or timezone.now()
    rows = list(
        pulse_jobs_due(now=now)
        .exclude(pk__in=sweep_held(OPEN_STEP, now=now))
        .order_by("pulse_anchor", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        OPEN_STEP,
        rows,
        lambda pk: _open_one(pk, now),
        push_back=lambda pk, error: sweep_hold_push(OPEN_STEP, pk, error, now=now),
        row_id=lambda pk: f"job {pk}",
    )


def _open_one(pk: int, now: dt.datetime) -> int:
    try:
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recruiter", "hiring_manager")
                .filter(pk=pk)
                .first()
            )
            if job is None or not pulse_jobs_due(now=now).filter(pk=pk).exists():
                return 0  # another worker has it, or opened it a moment ago
            if pulse_weeks_in_force(job_ids=[pk])[pk] == PulseCadence.OFF:
                return 0
            pulse_round_open(job=job, now=now)
    except IntegrityError:
        return 0  # another worker's round won the unique constraint
    return 1


def pulse_rounds_close_due(*, now: dt.datetime | None = None, limit: int = 100) -> Swept:
    """Worker step: reveal the open rounds whose window has closed (unanswered asks are
    cancelled). Several workers: SKIP LOCKED and a conditional reveal (revealed_at still
    empty) let one act. A round that raises is held back."""
    now = now or timezone.now()
    rows = list(
        PulseRound.objects.filter(revealed_at__isnull=True, closes_at__lte=now)
        .exclude(pk__in=sweep_held(CLOSE_STEP, now=now))
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        CLOSE_STEP,
        rows,
        lambda pk: _close_one(pk, now),
        push_back=lambda pk, error: sweep_hold_push(CLOSE_STEP, pk, error, now=now),
        row_id=lambda pk: f"pulse round {pk}",
    )


@transaction.atomic
def _close_one(pk: int, now: dt.datetime) -> int:
    # The asks before the round, as an answer locks them (`followups.services.asks_lock`).
    subjects = [subject_key("pulse", pk, side) for side in PulseSide.values]
    asks_lock(kind=ANSWER_PULSE, subjects=subjects)
    round_ = (
        PulseRound.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("job")
        .filter(pk=pk, revealed_at__isnull=True, closes_at__lte=now)
        .first()
    )
    if round_ is None:
        return 0  # another worker has it, or it was revealed meanwhile
    _reveal(round_, RevealReason.WINDOW_CLOSED, now)
    return 1
