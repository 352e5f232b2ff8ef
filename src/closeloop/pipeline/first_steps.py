"""The first steps of a new organisation, as the home page lists them.

An installation starts with one admin and nothing else, and a job cannot be opened before a
hiring manager has joined (the job form offers only people who have). Until the organisation
runs, an admin's home lists what to do in order — invite the people, set one's own working
calendar, open the first job, write its intake — each ticked off from the data, never from a
stored checklist; a recruiter with no job yet gets the steps that are theirs. See README,
"First steps after installing".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import Invitation, User
from closeloop.accounts.selectors import user_calendar_set, user_calendar_words
from closeloop.jobs.models import Job
from closeloop.jobs.selectors import job_role_people, team_q
from closeloop.pipeline.models import Application

if TYPE_CHECKING:
    from django.db.models import QuerySet


@dataclass(frozen=True)
class FirstStep:
    key: str
    title: str
    url: str  # where to take it ("" when there is nowhere yet)
    done: bool
    note: str = ""
    waits: bool = False  # cannot be taken yet (the note says on what)
    next: bool = False  # the first step neither done nor waiting: the one to take now


@dataclass(frozen=True)
class IntakeProgress:
    """How far the organisation's intakes have come, for the last step."""

    written: bool  # a version was proposed for signatures (or signed) on some job
    drafted: bool  # a draft is saved and not proposed yet
    url: str  # the intake to write (or read)


# The intake app (above pipeline) says how far the intakes have come: it registers its
# reading from its AppConfig. Without one the intake step is never ticked.
_INTAKE_PROGRESS: list[Callable[[], IntakeProgress | None]] = []


def intake_progress_register(reader: Callable[[], IntakeProgress | None]) -> None:
    """`reader()` returns the intakes' progress, or None while there is no job."""
    _INTAKE_PROGRESS[:] = [reader]


def first_steps(*, user: User) -> list[FirstStep]:
    """The steps to show on `user`'s home, in order ([] once there is nothing to show): an
    admin's while the organisation does not run yet, a recruiter's while they run no job."""
    if not user.is_active:
        return []
    if user.is_admin:
        steps = _admin_steps(user)
    elif user.is_recruiter and not Job.objects.filter(team_q(user)).exists():
        steps = _recruiter_steps(user)
    else:
        return []
    return _next_marked(steps)


def first_steps_say_calendar(user: User) -> bool:
    """Whether `user`'s home lists their working calendar among the first steps (registered
    with accounts' welcome, which then leaves it to the step)."""
    return any(step.key == "calendar" for step in first_steps(user=user))


def _next_marked(steps: list[FirstStep]) -> list[FirstStep]:
    undone = next((step for step in steps if not step.done and not step.waits), None)
    return [replace(step, next=step is undone) for step in steps]


def _admin_steps(user: User) -> list[FirstStep]:
    # Candidates in a pipeline: the organisation runs (an installation upgraded, or set up
    # by someone else): a new admin there has nothing to set up.
    if Application.objects.exists():
        return []
    hiring_managers = _hiring_managers(user)
    steps = [
        _invite_step(user),
        _calendar_step(user),
        _job_step(hiring_managers, admin=True),
        _intake_step(),
    ]
    # Every step taken (a hiring manager besides her, her calendar, a job, its intake
    # proposed): the organisation is set up, whether or not candidates came yet.
    return [] if all(step.done for step in steps) else steps


def _recruiter_steps(user: User) -> list[FirstStep]:
    return [_calendar_step(user), _job_step(_hiring_managers(user), admin=False)]


def _hiring_managers(user: User) -> QuerySet[User]:
    """The people a job may name as hiring manager other than `user` (the job form's list)."""
    return job_role_people(role="hiring_manager").exclude(pk=user.pk)


def _invite_step(user: User) -> FirstStep:
    """Done once a hiring manager other than the admin has joined or is invited: a job needs
    one, and without one the job form's list is empty."""
    now = timezone.now()
    open_invitations = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).exclude(user=user)
    invited = open_invitations.aggregate(
        people=Count("pk"), managers=Count("pk", filter=Q(is_hiring_manager=True))
    )
    joined = (
        User.objects.filter(is_active=True)
        .exclude(pk=user.pk)
        .aggregate(people=Count("pk"), managers=Count("pk", filter=Q(is_hiring_manager=True)))
    )
    done = bool(joined["managers"] or invited["managers"])
    said = []
    if joined["people"]:
        said.append(f"{joined['people']} {_people(joined['people'])} joined")
    if invited["people"]:
        open_ = invited["people"]
        said.append(f"{open_} invitation{'s' if open_ > 1 else ''} not accepted yet")
    if not said:
        note = (
            "Nobody else is here yet. A job needs a hiring manager, and its form offers only "
            "people who have joined."
        )
    else:
        note = "; ".join(said) + "."
        if not done:
            note += " A job needs a hiring manager: invite at least one."
    return FirstStep(
        "invite", "Invite your recruiters and hiring managers", reverse("people:invite"), done, note
    )


def _people(count: int) -> str:
    return "person has" if count == 1 else "people have"


def _calendar_step(user: User) -> FirstStep:
    return FirstStep(
        "calendar",
        "Set your working calendar: time zone, public holidays, working hours",
        reverse("accounts:profile") + "#calendar",
        user_calendar_set(user),
        f"Now: {user_calendar_words(user)}. Your due times are counted in it.",
    )


def _job_step(hiring_managers: QuerySet[User], *, admin: bool) -> FirstStep:
    """An admin's is done once the organisation has a job; a recruiter's shows only while they
    run none. Without a hiring manager who has joined it cannot be taken yet: the job form
    would offer nobody (an admin's link stays, for the fields besides)."""
    title = "Open the first job" if admin else "Open your first job"
    job = Job.objects.order_by("pk").first() if admin else None
    if job is not None:
        return FirstStep("job", title, reverse("jobs:job-detail", args=[job.pk]), True, job.title)
    if not hiring_managers.exists():
        invited = Invitation.objects.filter(
            is_hiring_manager=True,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exists()
        waiting = (
            "A hiring manager is invited and has not joined yet"
            if invited
            else "No hiring manager has joined yet"
        )
        ask = "" if admin else ": ask your Closeloop admin to invite yours"
        note = f"{waiting}{ask}. The job form offers them once they have."
        url = reverse("jobs:job-create") if admin else ""
        return FirstStep("job", title, url, False, note, waits=True)
    note = "With its hiring manager, pipeline and interviewers; then write its intake together."
    return FirstStep("job", title, reverse("jobs:job-create"), False, note)


def _intake_step() -> FirstStep:
    title = "Write the intake with the hiring manager"
    progress = _INTAKE_PROGRESS[0]() if _INTAKE_PROGRESS else None
    if progress is None:
        note = "Once the job is open: pay, must-haves, the interview plan and service levels."
        return FirstStep("intake", title, "", False, note, waits=True)
    if progress.written:
        return FirstStep("intake", title, progress.url, True, "Proposed for signatures.")
    note = (
        "A draft is saved: propose it, and the hiring manager is asked to sign."
        if progress.drafted
        else "Pay, must-haves, the interview plan and service levels, signed by both sides."
    )
    return FirstStep("intake", title, progress.url, False, note)
