"""Reads of jobs, and every permission rule about jobs.

A hiring manager sees the jobs whose hiring team includes them; a recruiter their own jobs
(or all, when an admin allowed it); an interviewer the jobs they interview for; an admin all.

See docs/architecture.md#security-and-permissions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from closeloop.jobs.models import Job, JobStatus, Stage

if TYPE_CHECKING:
    from collections.abc import Callable

    from closeloop.accounts.models import User

# The job's fields a signed agreement owns while it is in force: they change by amending the
# agreement (both sides sign again), never through the job form or `job_update`.
AGREEMENT_FIELDS = ("must_haves", "service_levels")

# Who knows whether an agreement is in force for a job: the intake registers its check from
# its AppConfig (jobs never imports the intake). Without one, no job has an agreement.
_AGREEMENT_SOURCES: list[Callable[..., object | None]] = []


def agreement_source_register(source: Callable[..., object | None]) -> None:
    """`source(job=job)` returns the agreement in force for the job, or None."""
    if source not in _AGREEMENT_SOURCES:
        _AGREEMENT_SOURCES.append(source)


def job_agreement_in_force(*, job: Job) -> object | None:
    """The agreement in force for the job (the intake's signed version), or None."""
    if not job.pk:
        return None
    for source in _AGREEMENT_SOURCES:
        agreement = source(job=job)
        if agreement is not None:
            return agreement
    return None


def user_sees_everything(user: User) -> bool:
    """Admins, and recruiters an admin widened, see every job and candidate."""
    return bool(user.is_active and (user.is_admin or (user.is_recruiter and user.sees_all_jobs)))


def team_q(user: User, prefix: str = "") -> Q:
    """Jobs on whose hiring team the user sits in a deciding role (not as an interviewer)."""
    return (
        Q(**{f"{prefix}recruiter": user})
        | Q(**{f"{prefix}hiring_manager": user})
        | Q(**{f"{prefix}coordinator": user})
        | Q(**{f"{prefix}escalation_contact": user})
    )


def job_visible_q(user: User) -> Q:
    """The filter for jobs a user may open."""
    if user_sees_everything(user):
        return Q()
    return team_q(user) | Q(interviewers=user) | Q(applications__interviews__interviewers=user)


def job_list(*, user: User, status: str | None = None) -> QuerySet[Job]:
    """The jobs a user may see (optionally in one status), without duplicates."""
    visible_ids = Job.objects.filter(job_visible_q(user)).values("pk")
    jobs = Job.objects.filter(pk__in=visible_ids).select_related("recruiter", "hiring_manager")
    return jobs.filter(status=status) if status else jobs


def job_get(*, user: User, pk: int) -> Job:
    """One job the user may see, or 404 (a guessed id learns nothing)."""
    job = (
        Job.objects.filter(job_visible_q(user), pk=pk)
        .select_related("recruiter", "hiring_manager", "coordinator", "escalation_contact")
        .distinct()
        .first()
    )
    if job is None:
        raise Http404("No such job.")
    return job


def job_is_on_team(*, user: User, job: Job) -> bool:
    """True for the recruiter, HM, coordinator and escalation contact of the job, and admins."""
    if user_sees_everything(user):
        return True
    return user.pk in {
        job.recruiter_id,
        job.hiring_manager_id,
        job.coordinator_id,
        job.escalation_contact_id,
    }


def job_can_manage(*, user: User, job: Job) -> bool:
    """Who runs the pipeline: adds candidates, submits, moves, rejects (recruiter side)."""
    if user_sees_everything(user):
        return True
    return user.pk in {job.recruiter_id, job.coordinator_id}


def job_can_decide(*, user: User, job: Job) -> bool:
    """Who decides on submissions: the job's hiring manager (and admins)."""
    return user.pk == job.hiring_manager_id or (user.is_active and user.is_admin)


def job_can_create(*, user: User) -> bool:
    return bool(user.is_active and (user.is_admin or user.is_recruiter))


def job_status_counts(*, user: User) -> dict[str, int]:
    """How many visible jobs are in each status, for the filter tabs."""
    visible_ids = Job.objects.filter(job_visible_q(user)).values("pk")
    rows = Job.objects.filter(pk__in=visible_ids).values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in JobStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- Jobs pages (added by the jobs-pages work) ---------------------------------------------

# Live jobs first on the jobs list: what people work on today comes before the archive.
JOB_STATUS_ORDER = [
    JobStatus.OPEN,
    JobStatus.ON_HOLD,
    JobStatus.DRAFT,
    JobStatus.FILLED,
    JobStatus.CLOSED,
]


def _applications_seen_from_job_q(user: User) -> Q:
    """Which of a job's applications the user may count (same rule as application_visible_q)."""
    if user_sees_everything(user):
        return Q()
    return team_q(user) | Q(applications__interviews__interviewers=user)


def job_list_with_counts(
    *, user: User, status: str | None = None, now: dt.datetime | None = None
) -> QuerySet[Job]:
    """The jobs list: visible jobs with, per job, the numbers a recruiter scans for.

    `visible_active` counts active candidates the user may see (an interviewer counts only
    the candidates they interview), `waiting_on_hm` those whose next move is the job's HM,
    and `stale` those sitting in one stage for STALE_AFTER_DAYS or more. One query, whatever
    the number of jobs.
    """
    now = now or timezone.now()
    stale_before = now - dt.timedelta(days=settings.STALE_AFTER_DAYS)
    active = Q(applications__status="active") & _applications_seen_from_job_q(user)
    jobs = job_list(user=user, status=status)
    status_rank = Case(
        *[When(status=value, then=Value(rank)) for rank, value in enumerate(JOB_STATUS_ORDER)],
        default=Value(len(JOB_STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return jobs.annotate(
        visible_active=Count("applications", filter=active, distinct=True),
        waiting_on_hm=Count(
            "applications",
            filter=active & Q(applications__next_move_owner=F("hiring_manager")),
            distinct=True,
        ),
        stale=Count(
            "applications",
            filter=active & Q(applications__entered_stage_at__lte=stale_before),
            distinct=True,
        ),
        status_rank=status_rank,
    ).order_by("status_rank", "title", "pk")


def stage_get(*, user: User, pk: int) -> Stage:
    """One stage of a job the user may see, or 404 (a guessed id learns nothing)."""
    visible_ids = Job.objects.filter(job_visible_q(user)).values("pk")
    stage = (
        Stage.objects.filter(job__in=visible_ids, pk=pk)
        .select_related("job", "job__recruiter", "job__hiring_manager")
        .first()
    )
    if stage is None:
        raise Http404("No such stage.")
    return stage


def stage_list_with_counts(*, job: Job) -> list[Stage]:
    """The job's stages in order, each with how many applications (open or closed) it holds.

    Closed applications count too: they keep their last stage, so the stage cannot go.
    """
    return list(job.stages.annotate(application_count=Count("applications")).order_by("position"))
