"""Calibration figures: how close the HM found the submitted profiles, per job and per recruiter.

The ratings are the pipeline's (`Submission.closeness`, set by `submission_decide`); this part
only reads them. "Close" means Close or Spot on. Every figure is counted in SQL with a fixed
number of queries (one aggregate, one grouped by week), whatever the number of submissions.
Who sees what is decided here too: the job's hiring team in a deciding role (recruiter,
hiring manager, coordinator) and admins; anyone else gets 404, so a guessed id tells nothing.

See docs/architecture.md#calibration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.jobs.models import Job
from closeloop.jobs.selectors import job_get
from closeloop.lib.rounding import percent as percent_of
from closeloop.pipeline.models import Closeness, Submission, SubmissionDecision

if TYPE_CHECKING:
    from collections.abc import Iterable

WEEKS_SHOWN = 12  # the trend on the job panel and the person's page
RECENT = 6  # the touch-base agenda looks at the job's last RECENT rated decisions
LOW_SHARE = 0.5  # fewer than half of them close: the agenda flags it

# A rated decision: the decider said how close (decisions before calibration, and imports,
# have no closeness and are left out of every figure).
RATED = Q(closeness__isnull=False, decided_at__isnull=False)
CLOSE = Q(closeness__gte=Closeness.CLOSE)


# --- Who sees calibration ---------------------------------------------------------------------


def _deciding_team_q(user: User, prefix: str = "") -> Q:
    """Jobs where the user is the recruiter, the hiring manager or the coordinator."""
    return (
        Q(**{f"{prefix}recruiter": user})
        | Q(**{f"{prefix}hiring_manager": user})
        | Q(**{f"{prefix}coordinator": user})
    )


def _is_admin(user: User) -> bool:
    return bool(user.is_active and user.is_admin)


def calibration_can_see(*, user: User, job: Job) -> bool:
    """The job's recruiter, hiring manager and coordinator, and admins (not interviewers,
    not the escalation contact, not recruiters who only see every job)."""
    if _is_admin(user):
        return True
    return user.is_active and user.pk in {
        job.recruiter_id,
        job.hiring_manager_id,
        job.coordinator_id,
    }


def calibration_job_get(*, user: User, pk: int) -> Job:
    """A job whose calibration the user may see, or 404 (the same answer as no such job)."""
    job = job_get(user=user, pk=pk)
    if not calibration_can_see(user=user, job=job):
        raise Http404("No such job.")
    return job


@dataclass(frozen=True)
class PersonScope:
    """A recruiter's calibration as the viewer may read it: every job (`jobs` None) for
    themselves and admins, the jobs they share for a teammate."""

    person: User
    jobs: QuerySet[Job, Any] | None = None

    @property
    def is_partial(self) -> bool:
        return self.jobs is not None


def calibration_person_scope(*, viewer: User, pk: int) -> PersonScope:
    """Person `pk`'s calibration for `viewer`: their own or (admins) anyone's; a hiring
    manager (or recruiter, coordinator) on the jobs both sit on in a deciding role. Anyone
    else, a person who submits no candidates (nothing of theirs is rated), and a person who
    does not exist or left: 404."""
    person = User.objects.filter(pk=pk, is_active=True).first()
    scope = None if person is None else _person_scope(viewer, person)
    if scope is None:
        raise Http404("No such person.")
    return scope


def _submits(person: User) -> bool:
    """Whether the person submits candidates, so has a calibration: a recruiter, the
    recruiter or coordinator of a job, or someone who has submitted one. A hiring manager
    or an interviewer submits none: their page would read "the share of Hank's
    submissions" about nothing."""
    return (
        person.is_recruiter
        or Job.objects.filter(Q(recruiter=person) | Q(coordinator=person)).exists()
        or Submission.objects.filter(submitted_by=person).exists()
    )


def _person_scope(viewer: User, person: User) -> PersonScope | None:
    if not (viewer.is_active and person.is_active and _submits(person)):
        return None
    if person.pk == viewer.pk or _is_admin(viewer):
        return PersonScope(person)
    shared = Job.objects.filter(_deciding_team_q(viewer)).filter(_deciding_team_q(person))
    if not shared.exists():
        return None
    return PersonScope(person, shared.values("pk"))


def calibration_person_readable(*, viewer: User, person: User) -> bool:
    """Whether `viewer` may open `person`'s calibration page (`calibration_person_scope`'s
    rule, for a page that names them): a link to it never leads to a 404."""
    return _person_scope(viewer, person) is not None


# --- Figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """Rated decisions and how many of them were Close or Spot on."""

    rated: int = 0
    close: int = 0

    @property
    def share(self) -> float | None:
        return self.close / self.rated if self.rated else None

    @property
    def percent(self) -> int | None:
        """The share as a whole percentage, halves up as every page rounds (`lib.rounding`:
        1 of 8 is 13%, not Python's 12)."""
        return None if self.share is None else int(percent_of(self.share, 0))

    @property
    def is_low(self) -> bool:
        return self.share is not None and self.share < LOW_SHARE


@dataclass(frozen=True)
class Week:
    starts: dt.date
    figures: Share


@dataclass(frozen=True)
class Figures:
    """The whole record and its last WEEKS_SHOWN weeks (each listed, empty ones too)."""

    total: Share
    weeks: list[Week]

    @property
    def recent_weeks_first(self) -> list[Week]:
        return list(reversed(self.weeks))


def _counts(rows: QuerySet[Submission, Any]) -> Share:
    got = rows.aggregate(rated=Count("pk"), close=Count("pk", filter=CLOSE))
    return Share(got["rated"], got["close"])


def _week_start(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    day = timezone.localtime(moment, zone).date()
    return day - dt.timedelta(days=day.weekday())


def _as_date(value: dt.datetime | dt.date, zone: dt.tzinfo) -> dt.date:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value, zone) if timezone.is_aware(value) else value).date()
    return value


def _weeks(rows: QuerySet[Submission, Any], zone: dt.tzinfo, now: dt.datetime) -> list[Week]:
    """Rated and close per week (weeks start Monday in `zone`), one grouped query."""
    first = _week_start(now, zone) - dt.timedelta(weeks=WEEKS_SHOWN - 1)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    grouped = (
        rows.filter(decided_at__gte=start, decided_at__lte=now)
        .annotate(week=TruncWeek("decided_at", tzinfo=zone))
        .order_by()
        .values("week")
        .annotate(rated=Count("pk"), close=Count("pk", filter=CLOSE))
    )
    counted = {_as_date(row["week"], zone): Share(row["rated"], row["close"]) for row in grouped}
    days = (first + dt.timedelta(weeks=n) for n in range(WEEKS_SHOWN))
    return [Week(day, counted.get(day, Share())) for day in days]


def _figures(rows: QuerySet[Submission, Any], zone: dt.tzinfo, now: dt.datetime | None) -> Figures:
    now = now or timezone.now()
    return Figures(_counts(rows), _weeks(rows, zone, now))


def _rated_of_job(job: Job) -> QuerySet[Submission, Any]:
    return Submission.objects.filter(RATED, application__job=job)


def calibration_job_figures(
    *, job: Job, zone: dt.tzinfo, now: dt.datetime | None = None
) -> Figures:
    """The job's share of rated decisions rated Close or better, overall and week by week
    (two queries). The caller has checked who may see it (`calibration_job_get`)."""
    return _figures(_rated_of_job(job), zone, now)


def calibration_person_figures(
    *, scope: PersonScope, zone: dt.tzinfo, now: dt.datetime | None = None
) -> Figures:
    """The share for the submissions the person made (as recruiter or coordinator), on the
    jobs the scope allows, overall and week by week (two queries)."""
    return _figures(_rated_of_person(scope), zone, now)


def _rated_of_person(scope: PersonScope) -> QuerySet[Submission, Any]:
    rows = Submission.objects.filter(RATED, submitted_by=scope.person)
    return rows if scope.jobs is None else rows.filter(application__job__in=scope.jobs)


@dataclass(frozen=True)
class JobShare:
    job_id: int
    title: str
    figures: Share


def calibration_person_jobs(*, scope: PersonScope) -> list[JobShare]:
    """The person's figures per job, the jobs with most rated decisions first (one query).
    A recruiter runs a handful of jobs at a time; the page shows them a page at a time."""
    grouped = (
        _rated_of_person(scope)
        .order_by()
        .values("application__job", "application__job__title")
        .annotate(rated=Count("pk"), close=Count("pk", filter=CLOSE))
        .order_by("-rated", "application__job__title", "application__job")
    )
    return [
        JobShare(
            row["application__job"],
            row["application__job__title"],
            Share(row["rated"], row["close"]),
        )
        for row in grouped
    ]


def calibration_recent(*, job: Job, count: int = RECENT) -> Share:
    """The job's last `count` rated decisions: how many were close (one query)."""
    rows = _rated_of_job(job).order_by("-decided_at", "-pk")
    latest = [closeness or 0 for closeness in rows.values_list("closeness", flat=True)[:count]]
    return Share(len(latest), len([c for c in latest if c >= Closeness.CLOSE]))


def calibration_round(*, job: Job) -> QuerySet[Submission, Any]:
    """The job's calibration round: its first submissions, each with the candidate, who
    submitted and who decided (one query per page of it)."""
    return (
        Submission.objects.filter(application__job=job, in_calibration_round=True)
        .select_related("application__candidate", "submitted_by", "decided_by")
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True)
class RoundProgress:
    size: int  # CALIBRATION_ROUND_SIZE
    submitted: int
    decided: int
    rated: int
    close: int
    closed: int  # closed before a decision: the candidate withdrew while it waited
    # No round, though the job has submissions: its first ones were made before rounds were
    # kept, so none was marked as the round (a job with none yet makes its round with its
    # first ones). Their decisions may still be rated: `job_rated` counts the job's.
    before_calibration: bool = False
    job_rated: int = 0
    # The search ended (Filled or Closed): no submission will fill the round any more.
    ended: bool = False

    @property
    def short(self) -> bool:
        """Fewer submissions than a round holds."""
        return self.submitted < self.size

    @property
    def aside(self) -> str:
        """What the job panel says in one bracket after "3 of 4 decided": the ones closed
        before a decision, and that the round is not full yet (or never will be)."""
        parts = [f"{self.closed} closed before a decision"] if self.closed else []
        if self.short:
            parts.append(
                f"the search ended short of {self.size}"
                if self.ended
                else f"{self.size} in a round"
            )
        return f" ({'; '.join(parts)})" if parts else ""

    @property
    def rest_words(self) -> str:
        """The round page's sentence on the submissions still to come ("" for a full round)."""
        if not self.short:
            return ""
        if self.ended:
            return f"The search ended before the round was full ({self.submitted} of {self.size})."
        return f"The job's next submissions fill the round up to {self.size}."

    @property
    def none_words(self) -> str:
        """Why the job has no round, when it has none: submissions made before calibration
        was recorded, a search that ended with none, or none yet."""
        if self.before_calibration:
            rated = (
                f"its {self.job_rated} rated decision{'' if self.job_rated == 1 else 's'} "
                f"count{'s' if self.job_rated == 1 else ''} in the figures"
                if self.job_rated
                else "none of its decisions is rated yet"
            )
            return (
                "No calibration round: this job's first submissions came before calibration "
                f"rounds were kept, so none was marked as its round; {rated}."
            )
        if self.ended:
            return "No calibration round: the search ended before any submission."
        return f"No submissions yet: the job's first {self.size} make its calibration round."


def calibration_round_progress(*, job: Job) -> RoundProgress:
    """How far the job's round has come (one query)."""
    got = Submission.objects.filter(application__job=job, in_calibration_round=True).aggregate(
        submitted=Count("pk"),
        decided=Count("pk", filter=Q(decided_at__isnull=False)),
        rated=Count("pk", filter=RATED),
        close=Count("pk", filter=RATED & CLOSE),
        closed=Count("pk", filter=Q(decision=SubmissionDecision.CLOSED)),
    )
    # Only for a job with no round: whether it has submissions at all, and how many of its
    # decisions are rated all the same (one more query).
    job_all = {"made": 0, "rated": 0}
    if not got["submitted"]:
        job_all = Submission.objects.filter(application__job=job).aggregate(
            made=Count("pk"), rated=Count("pk", filter=RATED)
        )
    return RoundProgress(
        settings.CALIBRATION_ROUND_SIZE,
        **got,
        before_calibration=bool(job_all["made"]),
        job_rated=job_all["rated"],
        ended=job.has_ended,
    )


@dataclass(frozen=True)
class JobWeek:
    """One job's figures for a weekly update: this week, and the trend's weeks together."""

    job: Job
    week: Share
    trend: Share


def calibration_jobs_week(
    *, jobs: Iterable[Job], start: dt.datetime, end: dt.datetime, zone: dt.tzinfo
) -> list[JobWeek]:
    """For each job, rated decisions in [start, end) and over the last WEEKS_SHOWN weeks
    (one grouped query for every job); jobs with no rated decision in either are left out."""
    by_pk = {job.pk: job for job in jobs}
    if not by_pk:
        return []
    since = dt.datetime.combine(
        _week_start(end, zone) - dt.timedelta(weeks=WEEKS_SHOWN - 1), dt.time(0), tzinfo=zone
    )
    this_week = Q(decided_at__gte=start, decided_at__lt=end)
    rows = (
        Submission.objects.filter(RATED, application__job__in=list(by_pk), decided_at__gte=since)
        .filter(decided_at__lt=end)
        .order_by()
        .values("application__job")
        .annotate(
            rated=Count("pk"),
            close=Count("pk", filter=CLOSE),
            week_rated=Count("pk", filter=this_week),
            week_close=Count("pk", filter=this_week & CLOSE),
        )
    )
    counted = {row["application__job"]: row for row in rows}
    return [
        JobWeek(
            job,
            Share(counted[pk]["week_rated"], counted[pk]["week_close"]),
            Share(counted[pk]["rated"], counted[pk]["close"]),
        )
        for pk, job in by_pk.items()
        if pk in counted
    ]
