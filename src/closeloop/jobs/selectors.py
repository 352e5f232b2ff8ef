"""Reads of jobs, and every permission rule about jobs (DESIGN.md §7).

A hiring manager sees the jobs whose hiring team includes them; a recruiter their own jobs
(or all, when an admin allowed it); an interviewer the jobs they interview for; an admin all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from closeloop.jobs.models import Job, JobStatus, Stage

if TYPE_CHECKING:
    from closeloop.accounts.models import User


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
    """The jobs a user may see, with the numbers the jobs list shows."""
    visible_ids = Job.objects.filter(job_visible_q(user)).values("pk")
    jobs = Job.objects.filter(pk__in=visible_ids).select_related("recruiter", "hiring_manager")
    if status:
        jobs = jobs.filter(status=status)
    return jobs.annotate(
        active_count=Count("applications", filter=Q(applications__status="active"))
    )


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


def job_stages(*, job: Job) -> list[Stage]:
    return list(job.stages.order_by("position"))


def job_status_counts(*, user: User) -> dict[str, int]:
    """How many visible jobs are in each status, for the filter tabs."""
    visible_ids = Job.objects.filter(job_visible_q(user)).values("pk")
    rows = Job.objects.filter(pk__in=visible_ids).values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in JobStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
