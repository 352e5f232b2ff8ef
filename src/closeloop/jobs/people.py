"""What the deactivation page says about a person's jobs (docs/architecture.md#people).

A job keeps its recruiter and hiring manager when they leave (history, and the foreign keys
protect them): the admin is told which live jobs to give someone else, with links to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from closeloop.accounts.hooks import Impact, ImpactLink
from closeloop.jobs.models import Job, JobStatus

if TYPE_CHECKING:
    from closeloop.accounts.models import User

LIVE = (JobStatus.DRAFT, JobStatus.OPEN, JobStatus.ON_HOLD)


def _roles_on(job: Job, user: User) -> str:
    roles = [
        label
        for held, label in (
            (job.recruiter_id == user.pk, "recruiter"),
            (job.hiring_manager_id == user.pk, "hiring manager"),
            (job.coordinator_id == user.pk, "coordinator"),
            (job.escalation_contact_id == user.pk, "escalation contact"),
        )
        if held
    ]
    return " and ".join(roles)


def deactivation_jobs_impact(*, user: User, by: User) -> list[Impact]:
    """Live jobs the person runs as recruiter, hiring manager, coordinator or escalation
    contact: they keep that owner until an admin changes the job."""
    jobs = list(
        Job.objects.filter(status__in=LIVE)
        .filter(
            Q(recruiter=user)
            | Q(hiring_manager=user)
            | Q(coordinator=user)
            | Q(escalation_contact=user)
        )
        .order_by("title", "pk")
    )
    if not jobs:
        return [Impact(f"{user} has no part in a live job's hiring team.")]
    links = tuple(
        ImpactLink(f"{job.title} ({_roles_on(job, user)})", reverse("jobs:job-edit", args=[job.pk]))
        for job in jobs
    )
    count = len(jobs)
    return [
        Impact(
            f"{count} live job{'s keep' if count != 1 else ' keeps'} {user} in "
            f"{'their' if count != 1 else 'its'} hiring team.",
            action="Give each job someone else:",
            links=links,
        )
    ]


# The role a job's place needs (jobs.services validates a job's team by these).
ROLE_OF_PLACE = {"hiring_manager": "is_hiring_manager", "recruiter": "is_recruiter"}


def role_removal_jobs_check(*, user: User, removed: set[str]) -> dict[str, str]:
    """The hiring manager (or recruiter) of a live job keeps that role until the job has
    another: without it, the job could not be saved again (its team would be refused)."""
    problems: dict[str, str] = {}
    for place, role in ROLE_OF_PLACE.items():
        admin_stays = user.is_admin and "is_admin" not in removed
        if role not in removed or (role == "is_recruiter" and admin_stays):
            continue  # an admin may be a job's recruiter without the recruiter role
        titles = list(
            Job.objects.filter(status__in=LIVE, **{place: user})
            .order_by("title", "pk")
            .values_list("title", flat=True)
        )
        if titles:
            named = ", ".join(titles[:5]) + (
                f" and {len(titles) - 5} more" if len(titles) > 5 else ""
            )
            words = place.replace("_", " ")
            problems[role] = (
                f"{user} is the {words} of {len(titles)} live job{'s' if len(titles) != 1 else ''}"
                f" ({named}): give {'them' if len(titles) != 1 else 'it'} another {words} first."
            )
    return problems
