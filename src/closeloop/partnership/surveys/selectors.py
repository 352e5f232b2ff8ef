"""Reads of surveys and check-ins, and who may see them (every permission filter is here).

A survey or a check-in is seen by its job's recruiter and HM (and the sides who answered it,
should the team change) and by admins; anyone else gets a 404. A survey's answers are blind
until it is revealed: before, each side sees only its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.jobs.models import Job, JobOutcome, JobStatus
from closeloop.partnership.surveys.models import QualityCheckin, SearchSurvey, SurveyAnswer
from closeloop.partnership.surveys.services import survey_is_revealed, survey_sides


def _is_admin(user: User) -> bool:
    return bool(user.is_active and user.is_admin)


def history_job_q(user: User, prefix: str = "") -> Q:
    """Jobs whose surveys and check-ins `user` may read: their recruiter and HM."""
    return Q(**{f"{prefix}recruiter": user}) | Q(**{f"{prefix}hiring_manager": user})


def survey_visible_q(user: User) -> Q:
    if _is_admin(user):
        return Q()
    return history_job_q(user, "job__") | Q(recruiter=user) | Q(hiring_manager=user)


def checkin_visible_q(user: User) -> Q:
    if _is_admin(user):
        return Q()
    return history_job_q(user, "job__") | Q(hiring_manager=user)


def survey_get(*, user: User, pk: int) -> SearchSurvey:
    survey = (
        SearchSurvey.objects.filter(survey_visible_q(user), pk=pk)
        .select_related("job", "recruiter", "hiring_manager")
        .first()
    )
    if survey is None:
        raise Http404("No such survey.")
    return survey


def checkin_get(*, user: User, pk: int) -> QualityCheckin:
    checkin = (
        QualityCheckin.objects.filter(checkin_visible_q(user), pk=pk)
        .select_related("job__recruiter", "hiring_manager", "application__candidate")
        .first()
    )
    if checkin is None:
        raise Http404("No such check-in.")
    return checkin


def checkin_can_answer(*, user: User, checkin: QualityCheckin) -> bool:
    """Whether the page offers the form: to the hire's hiring manager, once it has opened."""
    return (
        checkin.hiring_manager_id == user.pk
        and checkin.opened_at is not None
        and checkin.cancelled_at is None
    )


def history_job_get(*, user: User, pk: int) -> Job:
    """A job whose history `user` may read (its recruiter, HM, an admin), else 404."""
    rule = Q() if _is_admin(user) else history_job_q(user)
    job = Job.objects.filter(rule, pk=pk).select_related("recruiter", "hiring_manager").first()
    if job is None:
        raise Http404("No such job.")
    return job


@dataclass
class SideView:
    side: str
    label: str
    person: Any
    answered: bool
    answer: SurveyAnswer | None  # None while blind to the viewer


@dataclass
class SurveyView:
    survey: SearchSurvey
    revealed: bool
    my_side: str | None
    mine: SurveyAnswer | None
    sides: list[SideView]

    @property
    def can_answer(self) -> bool:
        return self.my_side is not None and not self.revealed

    @property
    def called_off(self) -> bool:
        """The job was reopened before both sides answered (`services.surveys_call_off`)."""
        return self.survey.called_off_at is not None

    @property
    def answered(self) -> bool:
        return any(side.answered for side in self.sides)


def survey_view(*, survey: SearchSurvey, user: User, now: dt.datetime | None = None) -> SurveyView:
    """What `user` may see of a survey: who answered, their own answer, and the others'
    answers only once it is revealed."""
    revealed = survey_is_revealed(survey, now or timezone.now())
    answers = {answer.side: answer for answer in _answers(survey)}
    my_side = survey.side_of(user.pk)
    sides = [
        SideView(
            side=side,
            label=person.full_name or person.email,
            person=person,
            answered=side in answers,
            answer=answers.get(side) if (revealed or side == my_side) else None,
        )
        for side, person in survey_sides(survey)
    ]
    return SurveyView(survey, revealed, my_side, answers.get(my_side or ""), sides)


def _answers(survey: SearchSurvey) -> list[SurveyAnswer]:
    return list(survey.answers.all())  # prefetched by the lists


def _surveys(rule: Q) -> QuerySet[SearchSurvey]:
    return (
        SearchSurvey.objects.filter(rule)
        .select_related("job", "recruiter", "hiring_manager")
        .prefetch_related("answers")
    )


def surveys_for_job(*, user: User, job: Job) -> list[SurveyView]:
    """Every survey of a job the user may read (history_job_get checked the job)."""
    now = timezone.now()
    return [survey_view(survey=s, user=user, now=now) for s in _surveys(Q(job=job))]


def checkins_for_job(*, job: Job) -> QuerySet[QualityCheckin]:
    return (
        QualityCheckin.objects.filter(job=job, cancelled_at__isnull=True)
        .select_related("application__candidate", "hiring_manager", "job")
        .order_by("-hired_at", "days")
    )


def history_person_surveys(*, viewer: User, person: User) -> QuerySet[SearchSurvey]:
    """Surveys `person` took part in that `viewer` may read, newest first."""
    return _surveys(survey_visible_q(viewer) & (Q(recruiter=person) | Q(hiring_manager=person)))


def history_person_checkins(*, viewer: User, person: User) -> QuerySet[QualityCheckin]:
    """Check-ins on the hires of jobs `person` ran or managed that `viewer` may read."""
    involved = Q(hiring_manager=person) | history_job_q(person, "job__")
    return (
        QualityCheckin.objects.filter(checkin_visible_q(viewer) & involved)
        .filter(cancelled_at__isnull=True)
        .select_related("application__candidate", "hiring_manager", "job")
        .order_by("-due_at", "-pk")
    )


def history_person_get(*, viewer: User, pk: int) -> User:
    """A person whose history `viewer` may open: themselves, anyone for an admin, else a
    person they share a search with (a survey or check-in they may both read); else 404."""
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    if person.pk == viewer.pk or _is_admin(viewer):
        return person
    shared = history_person_surveys(viewer=viewer, person=person).exists() or (
        history_person_checkins(viewer=viewer, person=person).exists()
    )
    if not shared:
        raise Http404("No such person.")
    return person


def survey_views(*, surveys: list[SearchSurvey], user: User) -> list[SurveyView]:
    now = timezone.now()
    return [survey_view(survey=survey, user=user, now=now) for survey in surveys]


@dataclass
class JobPanel:
    surveys: list[SurveyView]
    checkins_answered: int  # of those asked so far
    checkins_total: int  # planned, asked or not (the panel shows when there is one)
    checkins_asked: int = 0  # opened: due, and asked of the hiring manager
    # The next check-in not asked yet (its due time is when it opens), if any.
    checkin_next: QualityCheckin | None = None


def survey_job_panel(*, user: User, job: Job) -> JobPanel | None:
    """The job page's panel: shown to the job's recruiter, HM and admins when the job has a
    survey or a planned check-in; None otherwise (the panel is left out)."""
    if not (_is_admin(user) or user.pk in (job.recruiter_id, job.hiring_manager_id)):
        return None
    surveys = surveys_for_job(user=user, job=job)[:3]
    checkins = QualityCheckin.objects.filter(job=job, cancelled_at__isnull=True)
    total = checkins.count()
    if not surveys and not total:
        return None
    # Only the check-ins asked so far are counted ("1 of 2 answered" read as one missing
    # when the second is not due for months); the next one is named with when it opens.
    asked = checkins.filter(opened_at__isnull=False)
    checkin_next = (
        checkins.filter(opened_at__isnull=True)
        .select_related("application__candidate")
        .order_by("due_at", "pk")
        .first()
    )
    return JobPanel(
        surveys,
        asked.filter(answered_at__isnull=False).count(),
        total,
        checkins_asked=asked.count(),
        checkin_next=checkin_next,
    )


def checkins_none_words(*, job: Job) -> str:
    """What a job's history says when it has no check-in: no hire yet while the search
    runs; none to come once it ended without one (cancelled, or not filled)."""
    if job.status == JobStatus.CLOSED:
        ended = "was cancelled" if job.outcome == JobOutcome.CANCELLED else "ended without a hire"
        return f"No check-in: the search {ended}, so there is no hire to ask about."
    if job.status == JobStatus.FILLED:
        return "No check-in: no hire of this search is on record in Closeloop."
    return (
        "No hire yet: the hiring manager is asked how each hire is doing 30 and 90 days "
        "after the hire."
    )
