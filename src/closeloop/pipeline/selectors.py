"""Reads of candidates and applications, with every permission filter on them (DESIGN.md §7).

An interviewer sees only the applications they interview on; the hiring team sees every
application of its jobs; admins see everything. A guessed id answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from closeloop.activity.models import Activity
from closeloop.jobs.models import Job, Stage
from closeloop.jobs.selectors import team_q, user_sees_everything
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    Candidate,
    Submission,
    SubmissionDecision,
)

if TYPE_CHECKING:
    import datetime as dt

    from closeloop.accounts.models import User

APPLICATION_SORTS = {
    "waiting": "entered_stage_at",
    "-waiting": "-entered_stage_at",
    "name": "candidate__full_name",
    "-name": "-candidate__full_name",
    "stage": "stage__position",
    "-stage": "-stage__position",
    "owner": "next_move_owner__full_name",
    "-owner": "-next_move_owner__full_name",
}


def application_visible_q(user: User) -> Q:
    """The filter for applications a user may see."""
    if user_sees_everything(user):
        return Q()
    return team_q(user, prefix="job__") | Q(interviews__interviewers=user)


def application_team_q(user: User) -> Q:
    """Applications the user sees as a member of the hiring team (not only as an interviewer)."""
    if user_sees_everything(user):
        return Q()
    return team_q(user, prefix="job__")


def _visible_ids(user: User) -> QuerySet[Application]:
    return Application.objects.filter(application_visible_q(user)).values("pk")


def application_base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "candidate", "job", "stage", "next_move_owner", "job__hiring_manager", "job__recruiter"
    )


def application_get(*, user: User, pk: int) -> Application:
    """One application the user may see, or 404."""
    application = application_base().filter(pk__in=_visible_ids(user), pk=pk).first()
    if application is None:
        raise Http404("No such candidate.")
    return application


def application_list_for_job(
    *, user: User, job: Job, sort: str = "waiting", include_closed: bool = False
) -> QuerySet[Application]:
    """The applications of one job that the user may see, sorted for the list view."""
    applications = application_base().filter(job=job, pk__in=_visible_ids(user))
    if not include_closed:
        applications = applications.filter(
            status__in=[ApplicationStatus.ACTIVE, ApplicationStatus.HIRED]
        )
    return applications.order_by(APPLICATION_SORTS.get(sort, "entered_stage_at"), "pk")


@dataclass
class BoardColumn:
    stage: Stage
    cards: list[Application] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cards)


@dataclass
class Board:
    columns: list[BoardColumn]
    closed: list[Application]
    stale_after_days: int


def job_board(*, user: User, job: Job, now: dt.datetime | None = None) -> Board:
    """The job's pipeline as columns per stage; each card knows whether it is stale."""
    now = now or timezone.now()
    columns = {stage.pk: BoardColumn(stage) for stage in job.stages.order_by("position")}
    applications = application_base().filter(job=job, pk__in=_visible_ids(user))
    closed: list[Application] = []
    stale_days = settings.STALE_AFTER_DAYS
    for application in applications.order_by("entered_stage_at", "pk"):
        application.days_in_stage = (now - application.entered_stage_at).days
        application.is_stale = application.is_active and application.days_in_stage >= stale_days
        if application.status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
            closed.append(application)
        elif application.stage_id in columns:
            columns[application.stage_id].cards.append(application)
    closed.sort(key=lambda a: a.closed_at or a.entered_stage_at, reverse=True)
    return Board(columns=list(columns.values()), closed=closed, stale_after_days=stale_days)


def candidate_visible_q(user: User) -> Q:
    if user_sees_everything(user):
        return Q()
    return Q(applications__in=_visible_ids(user))


def candidate_get(*, user: User, pk: int) -> Candidate:
    """One candidate the user may see through at least one application, or 404."""
    candidate = Candidate.objects.filter(candidate_visible_q(user), pk=pk).distinct().first()
    if candidate is None:
        raise Http404("No such candidate.")
    return candidate


def candidate_applications(*, user: User, candidate: Candidate) -> QuerySet[Application]:
    """The candidate's applications the user may see."""
    return (
        application_base()
        .filter(candidate=candidate, pk__in=_visible_ids(user))
        .order_by("-created_at")
    )


def candidate_find_by_email(*, email: str) -> Candidate | None:
    """The existing candidate with this address (case-insensitive), for duplicate detection."""
    if not email:
        return None
    return Candidate.objects.filter(email__iexact=email.strip()).first()


def candidate_timeline(*, user: User, candidate: Candidate) -> QuerySet[Activity]:
    """The candidate's activity that this user may read, newest first.

    Interviewers who are not on the hiring team see only the applications they interview on,
    and none of the team's internal notes.
    """
    activities = Activity.objects.filter(candidate=candidate).select_related(
        "actor", "job", "application"
    )
    if user_sees_everything(user):
        return activities
    team_ids = Application.objects.filter(application_team_q(user), candidate=candidate).values(
        "pk"
    )
    interview_ids = Application.objects.filter(
        candidate=candidate, interviews__interviewers=user
    ).values("pk")
    return activities.filter(
        Q(application__in=team_ids)
        | Q(application__in=interview_ids, team_only=False)
        | Q(application__isnull=True, team_only=False)
    )


def submission_current(*, application: Application) -> Submission | None:
    """The latest submission of the application, with its open questions."""
    return (
        application.submissions.select_related("submitted_by", "decided_by")
        .prefetch_related(Prefetch("questions"))
        .order_by("-submitted_at", "-pk")
        .first()
    )


@dataclass
class Queue:
    """My queue: what I owe, oldest first, and what others owe me."""

    i_owe: list[Application]
    owed_to_me: list[Application]


def queue_for(*, user: User, limit: int = 100) -> Queue:
    """Applications waiting on the user, and on others in the jobs the user runs."""
    active = application_base().filter(status=ApplicationStatus.ACTIVE)
    i_owe = active.filter(next_move_owner=user, pk__in=_visible_ids(user)).order_by(
        "next_move_since", "pk"
    )
    owed_to_me = (
        active.filter(
            Q(job__recruiter=user) | Q(job__coordinator=user) | Q(job__hiring_manager=user)
        )
        .exclude(next_move_owner=user)
        .exclude(next_move_owner__isnull=True)
        .order_by("next_move_since", "pk")
    )
    return Queue(i_owe=list(i_owe[:limit]), owed_to_me=list(owed_to_me[:limit]))


def submission_pending_count(*, user: User) -> int:
    """Submissions waiting for this hiring manager's decision."""
    return Submission.objects.filter(
        decision=SubmissionDecision.PENDING,
        application__job__hiring_manager=user,
        application__status=ApplicationStatus.ACTIVE,
    ).count()
