"""Funnel and speed: how a job's candidates moved through its stages, how fast, where they
left, and whether the search keeps its agreed target date.

Two readers, one set of definitions:

- `job_funnel` is one job's whole search (every application it ever had), stage by stage.
  It reads the job's stage history once (`StageChange`: every move, and every close, is a
  row) and works the figures out in Python: a job holds a few thousand applications at
  most, so the rows are bounded by the job, not by the organisation.
- `jobs_compare` puts jobs side by side over a period. It pages the jobs first and then
  counts for the page's jobs only, one grouped query per figure, so a page costs the same
  whatever the organisation's size.

A candidate has *reached* a stage when they were ever in it or in any later one (a move
that skips a stage still passed it); *left here* means rejected or withdrawn while in it.
Time in a stage is calendar days from entering it to leaving it (moving on, or being
closed); a stay still going on is not counted, so a young job's figures are not dragged
down by candidates who only just arrived.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, QuerySet
from django.http import Http404
from django.utils import timezone

from closeloop.intake.selectors import ON_LIST_REASONS
from closeloop.jobs.models import Job, JobStatus, Stage, StageKind
from closeloop.jobs.selectors import team_q
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    RejectionReason,
    Source,
    StageChange,
    Submission,
    SubmissionDecision,
)

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.insights.selectors import Period

DAY = 86400.0
CLOSED = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
# What a pass cited (intake.PassCitation.kind) and, for one that named nothing, whether its
# reason is one the agreement covers: the drift watch's rule (intake.selectors.ON_LIST_REASONS).
CITED = {
    "must_have": "A must-have of the agreement",
    "deal_breaker": "A deal-breaker of the agreement",
    "other": "Outside the agreement",
}
NOT_CITED = "Within the agreement (no criterion named)"


@dataclass(frozen=True)
class Speed:
    """How long something took, in days: how many, the median and the 90th percentile."""

    count: int
    median_days: float | None
    p90_days: float | None

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Speed:
        days = sorted(value / DAY for value in seconds)
        return cls(len(days), _percentile(days, 0.5), _percentile(days, 0.9))


def _percentile(values: Sequence[float], share: float) -> float | None:
    """Interpolated between the two nearest values, as PostgreSQL's `percentile_cont`."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if share == 0.5:
        return statistics.median(values)
    return statistics.quantiles(values, n=10, method="inclusive")[round(share * 10) - 1]


@dataclass
class StageRow:
    stage: Stage
    reached: int = 0
    here_now: int = 0
    left_here: int = 0
    conversion: float | None = None  # the share of those who reached it that reached the next
    stay: Speed = field(default_factory=lambda: Speed(0, None, None))


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    cited: str
    count: int


@dataclass
class SourceRow:
    source: str
    applications: int = 0
    submitted: int = 0
    offers: int = 0
    hired: int = 0


@dataclass(frozen=True)
class FillStatus:
    """Where the search stands against the agreed target fill date."""

    target: dt.date | None
    filled_on: dt.date | None
    words: str
    behind: bool


@dataclass
class JobFunnel:
    job: Job
    applications: int
    stages: list[StageRow]
    decisions: Speed
    submitted: int
    advanced: int
    passed: int
    reasons: list[ReasonRow]
    offers: int
    accepted: int
    declined: int
    sources: list[SourceRow]
    fill: FillStatus

    @property
    def acceptance(self) -> float | None:
        return self.accepted / self.offers if self.offers else None


# --- Who may read them ------------------------------------------------------------------------


def funnel_jobs(*, viewer: User) -> QuerySet[Job]:
    """The jobs whose funnel a person may read: an admin every job; anyone else the jobs on
    whose hiring team they sit in a deciding role (recruiter, hiring manager, coordinator,
    escalation contact). Interviewers read none: a funnel shows every candidate's fate."""
    if not viewer.is_active:
        return Job.objects.none()
    jobs = Job.objects.all() if viewer.is_admin else Job.objects.filter(team_q(viewer))
    return jobs.select_related("recruiter", "hiring_manager")


def funnel_jobs_offered(*, viewer: User) -> bool:
    """Whether a person's pages offer "your jobs side by side": the people who run or hire
    for jobs (and admins); an interviewer has no funnel to read."""
    return viewer.is_active and (viewer.is_admin or viewer.is_recruiter or viewer.is_hiring_manager)


def funnel_job_get(*, viewer: User, pk: int) -> Job:
    """One job whose funnel the viewer may read, or 404 (a guessed id learns nothing)."""
    job = funnel_jobs(viewer=viewer).filter(pk=pk).first()
    if job is None:
        raise Http404("No such job.")
    return job


# --- One job's funnel -------------------------------------------------------------------------


def job_funnel(*, job: Job, now: dt.datetime | None = None) -> JobFunnel:
    """The whole search of one job: five queries, whatever its size."""
    now = now or timezone.now()
    stages = list(job.stages.order_by("position"))
    applications = list(
        Application.objects.filter(job=job).values("pk", "stage_id", "status", "candidate__source")
    )
    history = _history(job)
    reached = _reached(applications, history, {stage.pk: stage.position for stage in stages})
    rows = _stage_rows(stages, applications, reached, history)
    kinds = {stage.pk: stage.kind for stage in stages}
    offered = {pk for pk, ids in history.items() if _ever(ids, kinds, StageKind.OFFER)}
    hired = {row["pk"] for row in applications if row["status"] == ApplicationStatus.HIRED}
    declined = {
        row["pk"] for row in applications if row["pk"] in offered and row["status"] in CLOSED
    }
    submissions = list(
        Submission.objects.filter(application__job=job).values(
            "application_id", "decision", "submitted_at", "decided_at", "pass_reason",
            "intake_citation__kind",
        )
    )  # fmt: skip
    waits = [
        _seconds(row["submitted_at"], decided)
        for row in submissions
        if (decided := row["decided_at"]) is not None
    ]
    return JobFunnel(
        job=job,
        applications=len(applications),
        stages=rows,
        decisions=Speed.of(waits),
        submitted=len({row["application_id"] for row in submissions}),
        advanced=sum(row["decision"] == SubmissionDecision.ADVANCED for row in submissions),
        passed=sum(row["decision"] == SubmissionDecision.PASSED for row in submissions),
        reasons=_reasons(submissions),
        offers=len(offered | hired),
        accepted=len(hired),
        declined=len(declined),
        sources=_sources(applications, submissions, offered | hired, hired),
        fill=fill_status(job=job, hires=_hire_days(job, history, hired), now=now),
    )


def _history(job: Job) -> dict[int, list[tuple[int | None, str, dt.datetime]]]:
    """Each application's moves and closes, in order: (stage it went to, status, when)."""
    found: dict[int, list[tuple[int | None, str, dt.datetime]]] = defaultdict(list)
    changes = (
        StageChange.objects.filter(application__job=job)
        .order_by("application_id", "at", "pk")
        .values_list("application_id", "to_stage_id", "to_status", "at")
    )
    for application_id, stage_id, status, at in changes:
        found[application_id].append((stage_id, status, at))
    return found


def _ever(moves: Iterable[tuple[int | None, str, dt.datetime]], kinds: dict[int, str],
          kind: str) -> bool:  # fmt: skip
    return any(stage_id is not None and kinds.get(stage_id) == kind for stage_id, _, _ in moves)


def _reached(
    applications: Sequence[Mapping[str, Any]],
    history: dict[int, list[tuple[int | None, str, dt.datetime]]],
    positions: dict[int, int],
) -> dict[int, int]:
    """The furthest stage position each application was ever in (its current stage counts:
    an application imported without history is where it stands)."""
    furthest = {}
    for row in applications:
        moves = history.get(row["pk"], [])
        seen = [positions[stage_id] for stage_id, _, _ in moves if stage_id in positions]
        furthest[row["pk"]] = max([positions.get(row["stage_id"], -1), *seen])
    return furthest


def _stays(
    history: dict[int, list[tuple[int | None, str, dt.datetime]]],
) -> dict[int, list[float]]:
    """Seconds spent in each stage by stays that ended: a move into a stage, while active,
    until the next move or close of the same application."""
    stays: dict[int, list[float]] = defaultdict(list)
    for moves in history.values():
        for (stage_id, status, at), (_, _, left) in itertools.pairwise(moves):
            if stage_id is not None and status == ApplicationStatus.ACTIVE:
                stays[stage_id].append(_seconds(at, left))
    return stays


def _stage_rows(
    stages: list[Stage],
    applications: Sequence[Mapping[str, Any]],
    reached: dict[int, int],
    history: dict[int, list[tuple[int | None, str, dt.datetime]]],
) -> list[StageRow]:
    now_in = Counter(row["stage_id"] for row in applications if row["status"] == "active")
    left = Counter(row["stage_id"] for row in applications if row["status"] in CLOSED)
    stays = _stays(history)
    rows = []
    for stage in stages:
        count = sum(1 for position in reached.values() if position >= stage.position)
        rows.append(
            StageRow(
                stage=stage,
                reached=count,
                here_now=now_in[stage.pk],
                left_here=left[stage.pk],
                stay=Speed.of(stays.get(stage.pk, [])),
            )
        )
    for row, after in itertools.pairwise(rows):
        row.conversion = after.reached / row.reached if row.reached else None
    return rows


def _cited(kind: str | None, reason: str) -> str:
    """How a pass stands to the agreement, as the drift watch files it."""
    if kind:
        return CITED.get(kind, CITED["other"])
    return NOT_CITED if reason in ON_LIST_REASONS else CITED["other"]


def _reasons(submissions: Sequence[Mapping[str, Any]]) -> list[ReasonRow]:
    """The reasons passes gave, split by whether they cited the agreement."""
    labels = dict(RejectionReason.choices)
    counted = Counter(
        (row["pass_reason"], _cited(row["intake_citation__kind"], row["pass_reason"]))
        for row in submissions
        if row["decision"] == SubmissionDecision.PASSED
    )
    rows = [
        ReasonRow(str(labels.get(reason, reason or "No reason given")), cited, count)
        for (reason, cited), count in counted.items()
    ]
    return sorted(rows, key=lambda row: (-row.count, row.reason, row.cited))


def _sources(
    applications: Sequence[Mapping[str, Any]],
    submissions: Sequence[Mapping[str, Any]],
    offered: set[int],
    hired: set[int],
) -> list[SourceRow]:
    labels = dict(Source.choices)
    submitted = {row["application_id"] for row in submissions}
    rows: dict[str, SourceRow] = {}
    for row in applications:
        label = str(labels.get(row["candidate__source"], row["candidate__source"]))
        source = rows.setdefault(label, SourceRow(label))
        source.applications += 1
        source.submitted += row["pk"] in submitted
        source.offers += row["pk"] in offered
        source.hired += row["pk"] in hired
    return sorted(rows.values(), key=lambda row: (-row.applications, row.source))


def _hire_days(
    job: Job, history: dict[int, list[tuple[int | None, str, dt.datetime]]], hired: set[int]
) -> list[dt.datetime]:
    """When each hire was made: the first move into the hired stage."""
    days = []
    for pk in hired:
        moves = [at for _, status, at in history.get(pk, []) if status == ApplicationStatus.HIRED]
        if moves:
            days.append(moves[0])
    return sorted(days)


def _seconds(start: dt.datetime, end: dt.datetime) -> float:
    return max(0.0, (end - start).total_seconds())


# --- The target date --------------------------------------------------------------------------


def fill_status(*, job: Job, hires: Sequence[dt.datetime], now: dt.datetime) -> FillStatus:
    """The search against its agreed target fill date, in words: filled on time or late,
    or still open with days left or days past."""
    target = job.target_fill_date
    today = timezone.localdate(now)
    filled = len(hires) >= job.headcount and bool(hires)
    filled_on = timezone.localdate(hires[job.headcount - 1]) if filled else None
    if target is None:
        words = f"Filled on {filled_on:%d %b %Y}; no target date agreed." if filled_on else (
            "No target fill date agreed."
        )  # fmt: skip
        return FillStatus(None, filled_on, words, False)
    if filled_on is not None:
        late = (filled_on - target).days
        words = (
            f"Filled on {filled_on:%d %b %Y}, {_days(late)} after the target {target:%d %b %Y}."
            if late > 0
            else f"Filled on {filled_on:%d %b %Y}, on time for the target {target:%d %b %Y}."
        )
        return FillStatus(target, filled_on, words, late > 0)
    if job.status not in (JobStatus.OPEN, JobStatus.ON_HOLD, JobStatus.DRAFT):
        words = f"Closed unfilled; the target was {target:%d %b %Y}."
        return FillStatus(target, None, words, False)
    left = (target - today).days
    if left < 0:
        words = f"{_days(-left)} past the target fill date {target:%d %b %Y}, not filled yet."
        return FillStatus(target, None, words, True)
    return FillStatus(target, None, f"{_days(left)} left to the target {target:%d %b %Y}.", False)


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


# --- Jobs side by side ------------------------------------------------------------------------


@dataclass
class JobRow:
    job: Job
    applications: int = 0
    submitted: int = 0
    interviewing: int = 0
    offers: int = 0
    hired: int = 0
    passed: int = 0
    decisions: Speed = field(default_factory=lambda: Speed(0, None, None))
    fill: FillStatus | None = None


# The moves `jobs_compare` counts, by the kind of stage moved into.
MOVED_INTO = {
    StageKind.INTERVIEWING: "interviewing",
    StageKind.OFFER: "offers",
    StageKind.HIRED: "hired",
}

COMPARE_STATUSES = {
    "": "Open and on hold",
    "open": "Open",
    "closed": "Filled and closed",
    "all": "Every job",
}


def compare_jobs_filtered(*, viewer: User, status: str = "", team: str = "") -> QuerySet[Job]:
    """The jobs a comparison lists, by status and team, in title order (paged by the view)."""
    jobs = funnel_jobs(viewer=viewer)
    if status == "":
        jobs = jobs.filter(status__in=[JobStatus.OPEN, JobStatus.ON_HOLD])
    elif status == "open":
        jobs = jobs.filter(status=JobStatus.OPEN)
    elif status == "closed":
        jobs = jobs.filter(status__in=[JobStatus.FILLED, JobStatus.CLOSED])
    if team:
        jobs = jobs.filter(team=team)
    return jobs.order_by("title", "pk")


def compare_empty_words(*, viewer: User, status: str = "", team: str = "") -> str:
    """Why the comparison lists no job (asked only when it lists none): the reader sits on no
    job's hiring team, none of their jobs is in the default 'open and on hold', or the
    filters they chose leave none out."""
    if not funnel_jobs(viewer=viewer).exists():
        return (
            "You are not on the hiring team of any job, so there is no job to compare. "
            "This page puts side by side the jobs you recruit, hire or coordinate for "
            "(candidates added, submitted, interviewed, offered and hired); your interviews "
            "and scorecards are in My queue."
        )
    if not status and not team:
        return "None of your jobs is open or on hold: choose Filled and closed, or Every job."
    return "No job matches these filters."


def compare_teams(*, viewer: User) -> list[str]:
    """The teams the viewer's jobs belong to, for the filter."""
    teams = funnel_jobs(viewer=viewer).exclude(team="").values_list("team", flat=True)
    return sorted(set(teams))


def jobs_compare(
    *, jobs: Sequence[Job], period: Period, now: dt.datetime | None = None
) -> list[JobRow]:
    """Figures of the given jobs (a page of them) over the period: what happened in it —
    applications added, candidates submitted, moved to interviews, offered and hired,
    passes, and how long decisions on submissions took. Five queries for any page."""
    now = now or timezone.now()
    rows = {job.pk: JobRow(job) for job in jobs}
    if not rows:
        return []
    within = {"at__gte": period.start, "at__lt": period.end}
    for job_id, n in _grouped(
        Application.objects.filter(
            job_id__in=rows, created_at__gte=period.start, created_at__lt=period.end
        ),
        "job_id",
    ):
        rows[job_id].applications = n
    submissions = Submission.objects.filter(
        application__job_id__in=rows,
        submitted_at__gte=period.start,
        submitted_at__lt=period.end,
    )
    for job_id, n in _grouped(submissions, "application__job_id", distinct="application"):
        rows[job_id].submitted = n
    # The candidates moved into interviews, offers and hires: one pass over the page's moves
    # in the period, grouped by job and the kind of stage they went to.
    moves = (
        StageChange.objects.filter(
            application__job_id__in=rows, to_stage__kind__in=list(MOVED_INTO), **within
        )
        .order_by()
        .values_list("application__job_id", "to_stage__kind")
        .annotate(n=Count("application", distinct=True))
    )
    for job_id, kind, n in moves:
        setattr(rows[job_id], MOVED_INTO[kind], n)
    _decision_speeds(rows, period)
    _fills(rows, now)
    return list(rows.values())


def _grouped(
    rows: QuerySet[Any], by: str, distinct: str | None = None
) -> Iterable[tuple[int, int]]:
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    return rows.order_by().values_list(by).annotate(n=counted).values_list(by, "n")


def _decision_speeds(rows: dict[int, JobRow], period: Period) -> None:
    """Passes and decision times of the submissions decided in the period (one query; the
    rows are the page's jobs' decisions in the period, bounded by the page)."""
    seconds: dict[int, list[float]] = defaultdict(list)
    decided = Submission.objects.filter(
        application__job_id__in=rows, decided_at__gte=period.start, decided_at__lt=period.end
    ).values_list("application__job_id", "decision", "submitted_at", "decided_at")
    for job_id, decision, submitted_at, decided_at in decided:
        if decided_at is None:  # the filter says not, but the column may be null
            continue
        seconds[job_id].append(_seconds(submitted_at, decided_at))
        rows[job_id].passed += decision == SubmissionDecision.PASSED
    for job_id, values in seconds.items():
        rows[job_id].decisions = Speed.of(values)


def _fills(rows: dict[int, JobRow], now: dt.datetime) -> None:
    """Each job against its target date, from its hires (one query for the page)."""
    hires: dict[int, list[dt.datetime]] = defaultdict(list)
    moves = (
        StageChange.objects.filter(
            application__job_id__in=rows,
            to_status=ApplicationStatus.HIRED,
            application__status=ApplicationStatus.HIRED,
        )
        .values_list("application__job_id", "application_id")
        .annotate(first=Min("at"))
        .order_by()
    )
    for job_id, _application, at in moves:
        hires[job_id].append(at)
    for job_id, row in rows.items():
        row.fill = fill_status(job=row.job, hires=sorted(hires[job_id]), now=now)
