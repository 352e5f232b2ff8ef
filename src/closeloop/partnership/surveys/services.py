"""Writes of end-of-search surveys and quality-of-hire check-ins, and their worker steps.

A survey opens in the transaction that closes its job (jobs.hooks.job_closed) with an
`answer_survey` ask for each side; answers stay blind until both sides answered or the
window closed, and are final after. Check-ins are planned when an application is hired
(pipeline.hooks.application_closed) and opened by the worker when due.
See docs/architecture.md#partnership.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from closeloop.activity.services import activity_record
from closeloop.followups.business_time import add_business_days, calendar_for
from closeloop.followups.models import Ask
from closeloop.followups.services import (
    AskRequest,
    ask_close,
    ask_open,
    asks_cancel_where,
    asks_lock,
    asks_open,
)
from closeloop.followups.subjects import subject_key
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.jobs.models import JobOutcome
from closeloop.lib.sweep import Swept, sweep
from closeloop.lib.text import validate_multiline_text
from closeloop.partnership.surveys.models import (
    ANSWER_TEXT_MAX,
    CHECKIN_NOTE_MAX,
    Again,
    HireRating,
    QualityCheckin,
    SearchSurvey,
    SurveyAnswer,
    SurveySide,
)
from closeloop.partnership.surveys.policies import (
    ANSWER_SURVEY,
    QUALITY_CHECKIN,
    SURVEY_WINDOW_DAYS,
)
from closeloop.pipeline.models import Application, ApplicationStatus

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job

CHECKIN_DAYS = (30, 90)
# A search shorter than this that never had a candidate never really ran (a job opened by
# mistake and closed again): nobody is surveyed about it (`survey_open_when_it_ran`).
RAN_AT_LEAST = dt.timedelta(days=1)
REVEAL_STEP = "survey windows"
CHECKIN_STEP = "quality check-ins"

FINAL = "The answers were revealed to both sides: they are final now."
CALLED_OFF = (
    "The job was reopened before both sides answered, so this survey was called off: the "
    "search was not over. When it ends again, both sides are asked anew."
)


def survey_subject(survey: SearchSurvey, side: str) -> str:
    return subject_key("survey", survey.pk, side)


def checkin_subject(checkin: QualityCheckin) -> str:
    return subject_key("checkin", checkin.pk)


def survey_sides(survey: SearchSurvey) -> list[tuple[str, User]]:
    """The sides that answer: both, or one when the recruiter is also the HM."""
    sides = [(SurveySide.RECRUITER.value, survey.recruiter)]
    if survey.hiring_manager_id != survey.recruiter_id:
        sides.append((SurveySide.HIRING_MANAGER.value, survey.hiring_manager))
    return sides


def survey_is_revealed(survey: SearchSurvey, now: dt.datetime | None = None) -> bool:
    """Both sides answered, or the window closed (the worker stamps it soon after)."""
    return survey.revealed_at is not None or (now or timezone.now()) >= survey.window_ends_at


# --- end-of-search surveys -------------------------------------------------------------------


def search_never_ran(job: Job, now: dt.datetime) -> bool:
    """A search that never really ran: no candidate was ever added to it (whatever became of
    them since) and it was open less than RAN_AT_LEAST, or never opened at all. A search
    with a candidate ran, however short; one open a day or more was a real search that
    found nobody, which is worth asking both sides about."""
    if Application.objects.filter(job=job).exists():
        return False
    return job.opened_at is None or now - job.opened_at < RAN_AT_LEAST


def survey_open_when_it_ran(
    *, job: Job, by: User | None, outcome: str, now: dt.datetime | None = None
) -> SearchSurvey | None:
    """jobs' `job_closed`: the end-of-search survey (`survey_open`), unless the search never
    really ran (`search_never_ran`): a job opened and closed again by mistake asks nobody how
    a search went that did not happen. The timeline says which; returns the survey or None."""
    now = now or timezone.now()
    if not search_never_ran(job, now):
        return survey_open(job=job, by=by, outcome=outcome, now=now)
    activity_record(
        kind="closeloop.survey.skipped",
        actor=by,
        job=job,
        at=now,
        summary="The search ended before it ran (no candidate, open less than a day): "
        "nobody is asked how it went",
        data={"outcome": outcome},
        team_only=True,
    )
    return None


def survey_open(
    *, job: Job, by: User | None, outcome: str, now: dt.datetime | None = None
) -> SearchSurvey:
    """Open the end-of-search survey of a job that just closed: one ask per side, whose
    first rung (at once) invites its owner with the one-click answers."""
    now = now or timezone.now()
    survey = SearchSurvey.objects.create(
        job=job,
        outcome=outcome,
        recruiter=job.recruiter,
        hiring_manager=job.hiring_manager,
        opened_at=now,
        window_ends_at=add_business_days(calendar_for(job.recruiter), now, SURVEY_WINDOW_DAYS),
    )
    label = JobOutcome(outcome).label.lower() if outcome in JobOutcome.values else outcome
    asks_open(
        [
            AskRequest(
                kind=ANSWER_SURVEY,
                subject=survey_subject(survey, side),
                title=f"Answer the end-of-search survey of {job.title}",
                owner=person,
                job=job,
                requested_by=by,
                opened_at=now,
                facts={"outcome": label},
            )
            for side, person in survey_sides(survey)
        ]
    )
    activity_record(
        kind="closeloop.survey.opened",
        actor=by,
        job=job,
        at=now,
        summary=f"The search ended ({label}): both sides are asked how it went",
        data={"survey": survey.pk, "outcome": outcome},
        team_only=True,
    )
    return survey


def _clean_text(value: str, limit: int, what: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            {what: f"Keep it to {limit} characters (this is {len(value)}); shorten it a little."}
        )
    try:
        validate_multiline_text(value)
    except ValidationError as error:
        raise ValidationError({what: error.messages}) from error
    return value


def _clean_again(value: str) -> str:
    if value not in Again.values:
        raise ValidationError({"again": "Choose yes, maybe or no."})
    return value


@transaction.atomic
def survey_answer(
    *,
    survey: SearchSurvey,
    by: User,
    again: str,
    what_worked: str = "",
    what_to_change: str = "",
    via: str = "app",
    at: dt.datetime | None = None,
) -> SurveyAnswer:
    """Record (or change, until the survey is revealed) `by`'s answer for their side. The
    second side's answer reveals the survey to both. `at`: when (the demo's history)."""
    side = survey.side_of(by.pk)
    if side is None:
        raise PermissionDenied("Only the recruiter and the hiring manager of the search answer.")
    # The side's ask first, then the survey: the order a one-click answer locks them in.
    subject = survey_subject(survey, side)
    asks_lock(kind=ANSWER_SURVEY, subjects=[subject])
    survey = SearchSurvey.objects.select_for_update().select_related("job").get(pk=survey.pk)
    now = at or timezone.now()
    if survey.called_off_at is not None:
        raise ValidationError(CALLED_OFF)
    if survey_is_revealed(survey, now):
        raise ValidationError(FINAL)
    values = {
        "again": _clean_again(again),
        "what_worked": _clean_text(what_worked, ANSWER_TEXT_MAX, "what_worked"),
        "what_to_change": _clean_text(what_to_change, ANSWER_TEXT_MAX, "what_to_change"),
    }
    answer, created = SurveyAnswer.objects.update_or_create(
        survey=survey,
        side=side,
        defaults={**values, "person": by, "changed_at": now},
        create_defaults={**values, "person": by, "changed_at": now, "answered_at": now},
    )
    ask_close(kind=ANSWER_SURVEY, subject=subject, by=by, via=via, at=now)
    answered = set(survey.answers.values_list("side", flat=True))
    if answered >= {side for side, _ in survey_sides(survey)}:
        survey.revealed_at = now
        survey.save(update_fields=["revealed_at"])
    activity_record(
        kind="closeloop.survey.answered" if created else "closeloop.survey.changed",
        actor=by,
        job=survey.job,
        at=now,
        summary=f"{by} {'answered' if created else 'changed'} the end-of-search survey",
        data={"survey": survey.pk, "side": side},
        team_only=True,
    )
    return answer


def surveys_reveal_due(*, now: dt.datetime | None = None, limit: int = 200) -> Swept:
    """Worker step: reveal the surveys whose window closed without both answers, and stop
    chasing the side that did not answer. handled = surveys revealed.

    Guard: a conditional UPDATE of `revealed_at` from empty, so with several workers one
    reveals; a survey that raises is held (its window end is a fact, not a schedule)."""
    now = now or timezone.now()
    due = list(
        SearchSurvey.objects.filter(revealed_at__isnull=True, window_ends_at__lte=now)
        .exclude(pk__in=sweep_held(REVEAL_STEP, now=now))
        .order_by("window_ends_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        REVEAL_STEP,
        due,
        lambda pk: _reveal_one(pk, now),
        push_back=lambda pk, error: sweep_hold_push(REVEAL_STEP, pk, error, now=now),
        row_id=lambda pk: f"survey {pk}",
    )


def _sides_subjects(pk: int) -> list[str]:
    """The subjects of a survey's asks, one per possible side (read without the row)."""
    return [subject_key("survey", pk, side) for side in SurveySide.values]


@transaction.atomic
def _reveal_one(pk: int, now: dt.datetime) -> int:
    # The asks before the survey, as an answer locks them (`followups.services.asks_lock`).
    subjects = _sides_subjects(pk)
    asks_lock(kind=ANSWER_SURVEY, subjects=subjects)
    claimed = SearchSurvey.objects.filter(pk=pk, revealed_at__isnull=True).update(revealed_at=now)
    if claimed != 1:
        return 0  # another worker (or the second answer) revealed it
    asks_cancel_where(
        Ask.objects.filter(kind=ANSWER_SURVEY, subject__in=subjects), reason="window closed"
    )
    return 1


@transaction.atomic
def surveys_call_off(*, job: Job, by: User | None, now: dt.datetime | None = None) -> int:
    """The job was reopened (jobs.hooks.job_reopened): the search was not over, so a survey
    still waiting for answers is called off. Nobody is asked any more how it went (its open
    asks are cancelled) and its window closes now, as at the window's end: what was answered
    is shown to both sides and final. The next close opens a new survey. A survey already
    revealed stays as it is, the record of that close. Returns how many were called off."""
    now = now or timezone.now()
    pending = SearchSurvey.objects.filter(job=job, revealed_at__isnull=True, window_ends_at__gt=now)
    called_off = 0
    for pk in pending.order_by("pk").values_list("pk", flat=True):
        # The asks before the survey, as an answer locks them (`followups.services.asks_lock`).
        subjects = _sides_subjects(pk)
        asks_lock(kind=ANSWER_SURVEY, subjects=subjects)
        claimed = SearchSurvey.objects.filter(pk=pk, revealed_at__isnull=True).update(
            revealed_at=now, called_off_at=now
        )
        if claimed != 1:
            continue  # the second answer (or the worker) revealed it meanwhile
        asks_cancel_where(
            Ask.objects.filter(kind=ANSWER_SURVEY, subject__in=subjects), reason="job reopened"
        )
        activity_record(
            kind="closeloop.survey.called_off",
            actor=by,
            job=job,
            at=now,
            summary="The job was reopened: the end-of-search survey was called off",
            data={"survey": pk},
            team_only=True,
        )
        called_off += 1
    return called_off


# --- quality-of-hire check-ins ---------------------------------------------------------------


def checkins_plan(*, application: Application) -> list[QualityCheckin]:
    """Plan the 30- and 90-day check-ins of a hire (the worker opens them when due)."""
    hired_at = application.entered_stage_at or timezone.now()
    job = application.job
    return [
        QualityCheckin.objects.get_or_create(
            application=application,
            days=days,
            hired_at=hired_at,
            defaults={
                "job": job,
                "hiring_manager": job.hiring_manager,
                "due_at": hired_at + dt.timedelta(days=days),
            },
        )[0]
        for days in CHECKIN_DAYS
    ]


def checkins_open_due(*, now: dt.datetime | None = None, limit: int = 200) -> Swept:
    """Worker step: open the `quality_checkin` ask of each check-in that came due.

    Claimed with SKIP LOCKED (PostgreSQL) and a conditional UPDATE of `opened_at` from
    empty in the transaction that opens the ask, so with several workers each check-in
    opens once. A check-in that raises is held (its due time is a fact). A hire that was
    undone since cancels its check-in. handled = check-ins opened or cancelled."""
    now = now or timezone.now()
    due = list(
        QualityCheckin.objects.filter(
            opened_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now
        )
        .exclude(pk__in=sweep_held(CHECKIN_STEP, now=now))
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        CHECKIN_STEP,
        due,
        lambda pk: _open_one(pk, now),
        push_back=lambda pk, error: sweep_hold_push(CHECKIN_STEP, pk, error, now=now),
        row_id=lambda pk: f"check-in {pk}",
    )


@transaction.atomic
def _open_one(pk: int, now: dt.datetime) -> int:
    checkin = (
        QualityCheckin.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("job__hiring_manager", "application__candidate")
        .filter(pk=pk, opened_at__isnull=True, cancelled_at__isnull=True)
        .first()
    )
    if checkin is None:
        return 0  # another worker has it
    if checkin.application.status != ApplicationStatus.HIRED:
        QualityCheckin.objects.filter(pk=pk).update(cancelled_at=now)
        return 1
    hm = checkin.job.hiring_manager  # whoever manages the job now answers
    claimed = QualityCheckin.objects.filter(pk=pk, opened_at__isnull=True).update(
        opened_at=now, hiring_manager=hm
    )
    if claimed != 1:
        transaction.set_rollback(True)
        return 0
    name = checkin.application.candidate.full_name
    ask_open(
        kind=QUALITY_CHECKIN,
        subject=checkin_subject(checkin),
        title=f"How is {name} doing? ({checkin.days}-day check-in, {checkin.job.title})",
        owner=hm,
        job=checkin.job,
        application=checkin.application,
        opened_at=now,
        facts={"candidate": name, "days": checkin.days},
    )
    return 1


@transaction.atomic
def checkin_answer(
    *,
    checkin: QualityCheckin,
    by: User,
    rating: int,
    hire_again: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> QualityCheckin:
    """The HM's answer to an open check-in (they may correct it later). `at`: when (the
    demo's history)."""
    checkin = QualityCheckin.objects.select_for_update().get(pk=checkin.pk)
    if by.pk != checkin.hiring_manager_id:
        raise PermissionDenied("Only the hiring manager asked answers this check-in.")
    if checkin.cancelled_at is not None:
        raise ValidationError("This check-in was called off: the hire was undone.")
    if checkin.opened_at is None:
        raise ValidationError(f"This check-in opens {checkin.due_at:%a %d %b %Y}.")
    if rating not in HireRating.values:
        raise ValidationError({"rating": "Choose how the hire is doing."})
    if hire_again not in Again.values:
        raise ValidationError({"hire_again": "Choose yes, maybe or no."})
    now = at or timezone.now()
    first = checkin.answered_at is None
    checkin.rating, checkin.hire_again = rating, hire_again
    checkin.note = _clean_text(note, CHECKIN_NOTE_MAX, "note")
    if first:
        checkin.answered_at = now
    else:  # a correction: when it was first answered stays
        checkin.changed_at = now
    checkin.answered_by = by
    checkin.save()
    ask_close(kind=QUALITY_CHECKIN, subject=checkin_subject(checkin), by=by, at=now)
    activity_record(
        kind="closeloop.checkin.answered" if first else "closeloop.checkin.changed",
        actor=by,
        application=checkin.application,
        at=now,
        summary=f"{by} {'answered' if first else 'changed'} the {checkin.days}-day check-in",
        data={"checkin": checkin.pk},
        team_only=True,
    )
    return checkin
