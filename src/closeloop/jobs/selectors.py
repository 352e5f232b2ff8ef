"""Reads of jobs, and every permission rule about jobs.

A hiring manager sees the jobs whose hiring team includes them; a recruiter their own jobs
(or all, when an admin allowed it); an interviewer the jobs they interview for; an admin all.

See docs/architecture.md#security-and-permissions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from closeloop.accounts.selectors import people_suggest
from closeloop.jobs.models import Job, JobStatus, Stage, StageKind
from closeloop.lib.ids import id_parse
from closeloop.lib.pages import PER_PAGE, page_get

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from django.core.paginator import Page

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


# Every permission filter below is a condition on the job's own row: its team columns, and
# for a list `pk IN` a set read once from the user's side (the jobs that list them as an
# interviewer, the jobs of the applications they hold a panel seat on: the `panel_seats`
# rows the interviews app keeps, read by relation name since interviews sit above jobs),
# for one job an EXISTS on that job alone. No multi-valued join reaches the outer
# query, so no DISTINCT: fetching one job is its primary key lookup plus a few index lookups.
# See docs/architecture.md#security-and-permissions.


def team_job_ids(user: User) -> QuerySet[Job, Any]:
    """The ids of the jobs on whose hiring team the user sits (`team_q`), for `__in`."""
    return Job.objects.filter(team_q(user)).values("pk")


def _interviewer_job_ids(user: User) -> QuerySet[Any, Any]:
    """Jobs whose interviewer list names the user."""
    return Job.interviewers.through.objects.filter(user=user).values("job_id")


def _panel_seats() -> QuerySet[Any, Any]:
    """The interviews app's `PanelSeat` rows, reached through the relation it declares on
    Job (jobs sit below interviews and never import it)."""
    seats = Job._meta.get_field("panel_seats").related_model
    return seats._default_manager.all()


def _interviewed_job_ids(user: User) -> QuerySet[Any, Any]:
    """Jobs with an application whose interview the user sits on: the jobs of the user's
    panel seats, read from the (user, job) index alone."""
    return _panel_seats().filter(user=user).values("job_id")


def job_visible_q(user: User) -> Q:
    """The filter for jobs a user may see, for a list of jobs: on the team, an interviewer
    of the job, or on the panel of one of its candidates (each set read once, from the
    user's side)."""
    if user_sees_everything(user):
        return Q()
    return (
        team_q(user) | Q(pk__in=_interviewer_job_ids(user)) | Q(pk__in=_interviewed_job_ids(user))
    )


def _job_visible_one_q(user: User) -> Q:
    """`job_visible_q` for fetching one job: the same rule, checked on that job's row alone
    (its interviewer list by the unique (job, user) index, the user's seats on its
    candidates' panels by the (user, job) index) instead
    of reading every job the user interviews for."""
    if user_sees_everything(user):
        return Q()
    listed = Job.interviewers.through.objects.filter(job=OuterRef("pk"), user=user)
    panels = _panel_seats().filter(user=user, job=OuterRef("pk"))
    return team_q(user) | Q(Exists(listed)) | Q(Exists(panels))


def job_list(*, user: User, status: str | None = None) -> QuerySet[Job]:
    """The jobs a user may see (optionally in one status)."""
    jobs = Job.objects.filter(job_visible_q(user)).select_related("recruiter", "hiring_manager")
    return jobs.filter(status=status) if status else jobs


@dataclass(frozen=True)
class StatusSince:
    """Since when the job has its status, as its page says it: `words` ("open since", "on
    hold since", "reopened on", "filled on"; "on hold" when nobody knows since when) and
    the moment (None with bare words)."""

    words: str
    at: dt.datetime | None = None


def job_status_since(*, job: Job) -> StatusSince | None:
    """Since when the job is what its status says, or None when there is nothing true to
    say. Only an Open job is "open since" (or "reopened on") and only one On hold is "on
    hold since": a job set back to Draft keeps the moment it first opened (`opened_at`, when
    its search began) but says neither, nor does one Filled or Closed without a date."""
    if job.has_ended:
        if job.closed_at is None:
            return None
        return StatusSince(f"{job.get_status_display().lower()} on", job.closed_at)
    if job.status == JobStatus.ON_HOLD:
        return StatusSince("on hold since", job.held_at) if job.held_at else StatusSince("on hold")
    if job.status == JobStatus.OPEN:
        if job.reopened_at is not None:
            return StatusSince("reopened on", job.reopened_at)
        if job.opened_at is not None:
            return StatusSince("open since", job.opened_at)
    return None


def job_get(*, user: User, pk: int) -> Job:
    """One job the user may see, or 404 (a guessed id learns nothing)."""
    job = (
        Job.objects.filter(_job_visible_one_q(user), pk=pk)
        .select_related("recruiter", "hiring_manager", "coordinator", "escalation_contact")
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


def job_can_move_candidates(*, user: User, job: Job) -> bool:
    """Who moves and rejects the job's candidates: the recruiting side and the hiring
    manager (and admins), one rule for the single actions, the board and bulk actions."""
    return job_can_manage(user=user, job=job) or job_can_decide(user=user, job=job)


def job_can_create(*, user: User) -> bool:
    return bool(user.is_active and (user.is_admin or user.is_recruiter))


def _status_counts(jobs: QuerySet[Job]) -> dict[str, int]:
    rows = jobs.order_by().values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in JobStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def job_status_counts(*, user: User) -> dict[str, int]:
    """How many visible jobs are in each status, for the filter tabs."""
    return _status_counts(Job.objects.filter(job_visible_q(user)))


# --- Jobs pages (added by the jobs-pages work) ---------------------------------------------

# Live jobs first on the jobs list: what people work on today comes before the archive.
JOB_STATUS_ORDER = [
    JobStatus.OPEN,
    JobStatus.ON_HOLD,
    JobStatus.DRAFT,
    JobStatus.FILLED,
    JobStatus.CLOSED,
]


# The jobs list's numbers per job are about applications, which the pipeline owns: it
# registers how to count them from its AppConfig (jobs never imports the pipeline), so the
# counts read the pipeline's own visibility rule. Without a source every number is 0.
JOB_COUNT_NAMES = ("visible_active", "waiting_on_hm", "stale")
_JOB_COUNT_SOURCES: list[Callable[[User, dt.datetime], dict[str, Any]]] = []


def job_counts_register(source: Callable[[User, dt.datetime], dict[str, Any]]) -> None:
    """`source(user, now)` returns, per name of JOB_COUNT_NAMES, an expression on a job row
    (a correlated subquery: OuterRef "pk", "hiring_manager"). Registering again replaces it."""
    _JOB_COUNT_SOURCES[:] = [source]


def _with_counts(jobs: QuerySet[Job], user: User, now: dt.datetime | None) -> QuerySet[Job]:
    """`jobs` with the jobs list's numbers (registered by the pipeline), live jobs first."""
    now = now or timezone.now()
    counts: dict[str, Any] = {name: Value(0) for name in JOB_COUNT_NAMES}
    for source in _JOB_COUNT_SOURCES:
        counts.update(source(user, now))
    status_rank = Case(
        *[When(status=value, then=Value(rank)) for rank, value in enumerate(JOB_STATUS_ORDER)],
        default=Value(len(JOB_STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return jobs.annotate(**counts, status_rank=status_rank).order_by("status_rank", "title", "pk")


def job_list_with_counts(
    *, user: User, status: str | None = None, now: dt.datetime | None = None
) -> QuerySet[Job]:
    """The jobs list: visible jobs with, per job, the numbers a recruiter scans for.

    `visible_active` counts active candidates the user may see (an interviewer counts only
    the candidates they interview), `waiting_on_hm` those whose next move is the job's HM,
    and `stale` those sitting in one stage for STALE_AFTER_DAYS or more. One query, whatever
    the number of jobs: each number is a subquery per job row, so a page of the list (a
    slice) counts for its own jobs only.
    """
    return _with_counts(job_list(user=user, status=status), user, now)


@dataclass
class JobListPage:
    counts: dict[str, int]  # the visible jobs in each status (the tabs)
    page: Page  # the page asked of the jobs in the status asked, with their numbers


def job_list_page(
    *,
    user: User,
    status: str | None = None,
    number: object = None,
    per_page: int = PER_PAGE,
    now: dt.datetime | None = None,
) -> JobListPage:
    """The jobs list page: the tabs' counts and one page of jobs with their numbers
    (`job_list_with_counts`), in three queries whatever the organisation's size.

    Which jobs the user may see is read once: for someone who does not see everything, the
    visible jobs' ids come from one query, and the tabs and the page filter on those ids.
    The set behind "the jobs whose candidates you interview" reads every interview seat of
    the user, so it is read once per request, not once per query. A `number` that is no
    page of the list gives the first page (`closeloop.lib.pages.page_get`).
    """
    visible = Job.objects.all()
    if not user_sees_everything(user):
        ids = list(Job.objects.filter(job_visible_q(user)).values_list("pk", flat=True))
        visible = Job.objects.filter(pk__in=ids)
    counts = _status_counts(visible)
    jobs = visible.filter(status=status) if status else visible
    jobs = _with_counts(jobs.select_related("recruiter", "hiring_manager"), user, now)
    shown = counts[status] if status else sum(counts.values())
    return JobListPage(counts, page_get(jobs, number, per_page=per_page, count=shown))


def stage_get(*, user: User, pk: int) -> Stage:
    """One stage of a job the user may see, or 404 (a guessed id learns nothing)."""
    visible = Job.objects.filter(_job_visible_one_q(user), pk=OuterRef("job"))
    stage = (
        Stage.objects.filter(Exists(visible), pk=pk)
        .select_related("job", "job__recruiter", "job__hiring_manager")
        .first()
    )
    if stage is None:
        raise Http404("No such stage.")
    return stage


@dataclass(frozen=True)
class StageOccupancy:
    """Who a stage holds: the candidates in it (as its board column counts them) and the
    closed applications that ended in it (rejected or withdrawn there)."""

    open: int = 0
    closed: int = 0


# Which of a stage's applications still stand in it is the pipeline's rule (an application's
# status): it registers the count from its AppConfig (jobs never imports the pipeline).
_STAGE_OCCUPANCY_SOURCES: list[Callable[[list[int]], dict[int, StageOccupancy]]] = []


def stage_occupancy_register(source: Callable[[list[int]], dict[int, StageOccupancy]]) -> None:
    """`source(stage_ids)` returns each stage's `StageOccupancy` (one query for them all; a
    stage it leaves out holds nobody). Registering again replaces it."""
    _STAGE_OCCUPANCY_SOURCES[:] = [source]


def stage_occupancy(*, stages: Iterable[Stage]) -> dict[int, StageOccupancy]:
    """Each stage's occupancy, by id. Without a registered source every application counts
    as standing in its stage (nothing is offered for removal that might hold someone)."""
    ids = [stage.pk for stage in stages]
    if _STAGE_OCCUPANCY_SOURCES:
        found = _STAGE_OCCUPANCY_SOURCES[0](ids)
    else:
        counts = Stage.objects.filter(pk__in=ids).annotate(n=Count("applications"))
        found = {pk: StageOccupancy(open=n) for pk, n in counts.values_list("pk", "n")}
    return {pk: found.get(pk, StageOccupancy()) for pk in ids}


def stage_removal_refusal(*, stage: Stage, occupancy: StageOccupancy | None = None) -> str:
    """Why this stage cannot be taken out of the plan ("" when it can): Submitted and Hired
    are needed, and a stage with candidates in it (`occupancy.open`) waits until they moved
    on. The stage editor says it in place of Remove; `stage_remove` refuses with it."""
    if stage.kind in (StageKind.SUBMITTED, StageKind.HIRED):
        return f"{stage.name} is needed for submissions and hires; rename it instead."
    if occupancy is not None and occupancy.open:
        return (
            f"{stage.name} holds {occupancy.open} candidate{'s' if occupancy.open != 1 else ''}: "
            "move them out before removing it."
        )
    return ""


def stage_list_with_counts(*, job: Job) -> list[Stage]:
    """The job's stages in order, each with its `occupancy`: the candidates in it, as the
    board counts them, and apart from them the closed applications that ended there (they
    do not keep the stage in the plan: removing it leaves them readable where they were),
    and `removal_refusal`: why it cannot be removed, or ""."""
    stages = list(job.stages.order_by("position"))
    occupancy = stage_occupancy(stages=stages)
    for stage in stages:
        stage.occupancy = occupancy[stage.pk]  # type: ignore[attr-defined]  # for the template
        stage.removal_refusal = stage_removal_refusal(stage=stage, occupancy=occupancy[stage.pk])  # type: ignore[attr-defined]  # for the template
    return stages


# --- The people a job's roles may name -----------------------------------------------------

# Who may hold each of a job's single-person roles (active people only; the form keeps a job's
# current holder on offer even after they left).
JOB_ROLE_PEOPLE: dict[str, Q] = {
    "recruiter": Q(is_recruiter=True) | Q(is_admin=True),
    "hiring_manager": Q(is_hiring_manager=True),
    "coordinator": Q(),
    "escalation_contact": Q(),
}
# The job form's fields whose people are offered as one types: the roles, and the interviewers.
JOB_PEOPLE_SUGGESTED = (*JOB_ROLE_PEOPLE, "interviewers")


def people_emails(ids: Iterable[int]) -> dict[int, str]:
    """Each of these people's email, by id (one query)."""
    return dict(get_user_model().objects.filter(pk__in=list(ids)).values_list("pk", "email"))


def job_role_people(*, role: str, keep: Iterable[int | None] = ()) -> QuerySet[Any]:
    """The active people who may hold `role` ("interviewers": anyone with the role), plus
    whoever the job names now (`keep`), even if they have left since: a job whose hiring
    manager left can still be saved without first replacing them."""
    from_role = Q(is_interviewer=True) if role == "interviewers" else JOB_ROLE_PEOPLE[role]
    current = [pk for pk in keep if pk]
    return get_user_model().objects.filter((from_role & Q(is_active=True)) | Q(pk__in=current))


def job_people_suggest_allowed(*, user: User) -> bool:
    """Who is offered names while filling a job's roles: who may open a job, and a job's
    coordinator (who may edit it)."""
    return job_can_create(user=user) or (
        user.is_active and Job.objects.filter(coordinator=user).exists()
    )


def job_role_people_suggest(*, role: str, words: str, chosen: Iterable[str] = ()) -> list[Any]:
    """The first active people who may hold `role` whose name or email contains `words`,
    by name (nothing for fewer than two characters), leaving out those `chosen` already
    (ids, emails or full names: the interviewers ticked or typed before)."""
    if role not in JOB_PEOPLE_SUGGESTED:
        return []
    people = job_role_people(role=role)
    chosen = [value.strip() for value in chosen if value.strip()]
    ids = [pk for pk in (id_parse(value) for value in chosen) if pk is not None]
    named = [value for value in chosen if id_parse(value) is None]
    if ids:
        people = people.exclude(pk__in=ids)
    if named:
        people = people.exclude(Q(email__in=named) | Q(full_name__in=named))
    return people_suggest(people, words=words)
