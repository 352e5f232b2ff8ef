"""Where candidates wait and on whom: waits summed by person, by stage and by job, now and
over a period, in business days.

A wait is measured in its owner's working calendar (their time zone, hours, weekdays and
public holidays), the clock their service levels run on, so a weekend or a holiday in Berlin
adds nothing to a wait on a Berlin manager. Each calendar's working windows are listed once
per page (`WorkingRuler`), so summing thousands of waits costs a lookup each.

Now: the candidates waiting on someone's move, by the queues' own clock (`pipeline.selectors`).
Over a period: the asks owed about a candidate, each counted for the working time it was
open inside the period, summed where the candidate stood when it opened (`Ask.stage`). An ask
answered within the period is counted by its recorded response time (one grouped query);
only the few that straddle the period's edges, or are still open, are measured here.

See docs/architecture.md#insights.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.followups.business_time import WorkCalendar, WorkingRuler, calendar_for
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.selectors import ask_shown_q
from closeloop.insights.selectors import Period, insights_admin_check
from closeloop.jobs.models import Job, Stage
from closeloop.pipeline.models import ApplicationStatus
from closeloop.pipeline.selectors import application_base, applications_with_move_wait

WAIT_SUMS_SHOWN = 10
NO_STAGE = "(stage not recorded)"


@dataclass(frozen=True)
class WaitSum:
    """Waits on one person, in one stage or on one job: how many (candidates now, asks over a
    period), their business days added up, and the longest one."""

    key: Any
    label: str
    candidates: int
    days: float
    longest_days: float


@dataclass(frozen=True)
class WaitSums:
    by_person: list[WaitSum]
    by_stage: list[WaitSum]
    by_job: list[WaitSum]


@dataclass
class _Group:
    label: str
    count: int = 0
    days: float = 0.0
    longest: float = 0.0

    def add(self, count: int, days: float, longest: float) -> None:
        self.count += count
        self.days += days
        self.longest = max(self.longest, longest)


Keys = dict[str, tuple[Any, str]]  # per way of summing: (key, label)


class _Tally:
    """Waits added up three ways at once: by person, by stage name and by job."""

    def __init__(self) -> None:
        self.groups: dict[str, dict[Any, _Group]] = {"person": {}, "stage": {}, "job": {}}

    def add(self, keys: Keys, count: int, days: float, longest: float) -> None:
        for way, (key, label) in keys.items():
            self.groups[way].setdefault(key, _Group(label)).add(count, days, longest)

    def sums(self, way: str) -> list[WaitSum]:
        rows = [
            WaitSum(key, group.label, group.count, group.days, group.longest)
            for key, group in self.groups[way].items()
        ]
        rows.sort(key=lambda row: (-row.days, row.label))
        return rows[:WAIT_SUMS_SHOWN]

    def result(self, *, with_jobs: bool) -> WaitSums:
        by_job = self.sums("job") if with_jobs else []
        return WaitSums(by_person=self.sums("person"), by_stage=self.sums("stage"), by_job=by_job)


class _Rulers:
    """One `WorkingRuler` per distinct calendar among the owners, spanning [start, end]."""

    def __init__(self, owners: Iterable[int], start: dt.datetime, end: dt.datetime) -> None:
        people = User.objects.filter(pk__in=set(owners)).only(
            "time_zone", "work_start", "work_end", "work_days", "holiday_country",
            "holiday_subdivision",
        )  # fmt: skip
        calendars = {person.pk: calendar_for(person) for person in people}
        built: dict[WorkCalendar, WorkingRuler] = {}
        self.of: dict[int, WorkingRuler] = {
            pk: built.setdefault(calendar, WorkingRuler(calendar, start, end))
            for pk, calendar in calendars.items()
        }

    def days(self, owner: int, start: dt.datetime, end: dt.datetime) -> float:
        ruler = self.of.get(owner)
        return 0.0 if ruler is None else ruler.days_between(start, end)

    def in_days(self, owner: int, seconds: float | None) -> float:
        """Working seconds already measured (a recorded response time) in the owner's days."""
        ruler = self.of.get(owner)
        return 0.0 if ruler is None or not seconds else ruler.to_days(seconds)


def _scope(viewer: User, job: Job | None) -> None:
    """Across the organisation for admins; for one job, the caller has checked the viewer
    may read it (`funnel.funnel_job_get`)."""
    if job is None:
        insights_admin_check(viewer)


# --- Now ------------------------------------------------------------------------------------


def _owed_now(now: dt.datetime, job: Job | None) -> QuerySet[Any]:
    """The candidates waiting on someone's move now, by the queue's own clock (as the
    longest waits are): a candidate waiting for an interview still to come waits on no one."""
    active = application_base().filter(
        status=ApplicationStatus.ACTIVE, next_move_owner__isnull=False
    )
    if job is not None:
        active = active.filter(job=job)
    return applications_with_move_wait(active, now).filter(Q(awaits_interview=False))


def waits_summed(
    *, viewer: User, job: Job | None = None, now: dt.datetime | None = None
) -> WaitSums:
    """Where candidates wait now and on whom: each waiting candidate's business days on the
    move's owner, summed by person, by stage (by name, across jobs) and by job, the ten
    largest of each, from one pass over the waiting candidates (their clock is a subquery
    per row, too dear to run once per grouping)."""
    _scope(viewer, job)
    now = now or timezone.now()
    rows = list(
        _owed_now(now, job).order_by().values_list(
            "next_move_owner", "next_move_owner__full_name", "stage__name", "job", "job__title",
            "waited_since",
        )
    )  # fmt: skip
    oldest = min((row[5] for row in rows), default=now)
    rulers = _Rulers({row[0] for row in rows}, oldest, now)
    tally = _Tally()
    for owner, name, stage, job_pk, title, since in rows:
        days = rulers.days(owner, since, now)
        keys = {"person": (owner, name), "stage": (stage, stage), "job": (job_pk, title)}
        tally.add(keys, 1, days, days)
    return tally.result(with_jobs=job is None)


# --- Over a period --------------------------------------------------------------------------


def _candidate_asks(job: Job | None) -> QuerySet[Ask]:
    asks = Ask.objects.filter(application__isnull=False).order_by()
    return asks if job is None else asks.filter(job=job)


Names = dict[int, str]


def _labels(rows: Iterable[Mapping[str, Any]]) -> tuple[Names, Names, Names]:
    """Names for the owners, stages and jobs the rows name (three small queries)."""
    owners, stages, jobs = set(), set(), set()
    for row in rows:
        owners.add(row["owner"])
        stages.add(row["stage"])
        jobs.add(row["job"])
    return (
        dict(User.objects.filter(pk__in=owners).values_list("pk", "full_name")),
        dict(Stage.objects.filter(pk__in=stages - {None}).values_list("pk", "name")),
        dict(Job.objects.filter(pk__in=jobs - {None}).values_list("pk", "title")),
    )


def waits_over_period(
    *, viewer: User, period: Period, job: Job | None = None, now: dt.datetime | None = None
) -> WaitSums:
    """Where candidates waited during `period` and on whom: every ask owed about a candidate,
    counted for the business time it was open inside the period (in its owner's calendar),
    summed by its owner, by the stage the candidate was in when it opened (by name, across
    jobs) and by job, the ten largest of each. Counts are asks, not candidates: three
    interviewers owing scorecards on one candidate are three waits.

    Two queries for the rows plus three for their names, whatever the number of asks: those
    opened and answered inside the period are summed in SQL from their recorded response
    times (which leave out time on hold); the rest overlap an edge of the period or are still
    open, and are measured here."""
    _scope(viewer, job)
    now = now or timezone.now()
    end = min(period.end, now)
    asks = _candidate_asks(job)
    inside = Q(status=AskStatus.DONE, opened_at__gte=period.start, closed_at__lt=end)
    summed = list(
        asks.filter(inside)
        .values("owner", "stage", "job")
        .annotate(n=Count("pk"), seconds=Sum("response_seconds"), longest=Max("response_seconds"))
    )
    still_open = Q(status=AskStatus.OPEN) & ask_shown_q(now)
    touching = (still_open | Q(closed_at__gt=period.start)) & Q(opened_at__lt=end)
    edges = list(
        asks.filter(touching)
        .exclude(inside)
        .values("owner", "stage", "job", "opened_at", "closed_at")
    )
    people, stages, jobs = _labels([*summed, *edges])
    rulers = _Rulers(people, period.start, end)
    tally = _Tally()

    def keys(row: Mapping[str, Any]) -> Keys:
        stage = stages.get(row["stage"], NO_STAGE)
        return {
            "person": (row["owner"], people.get(row["owner"], "")),
            "stage": (stage, stage),
            "job": (row["job"], jobs.get(row["job"], "")),
        }

    for row in summed:
        owner = row["owner"]
        days, longest = rulers.in_days(owner, row["seconds"]), rulers.in_days(owner, row["longest"])
        tally.add(keys(row), row["n"], days, longest)
    for edge in edges:
        start = max(edge["opened_at"], period.start)
        stop = min(edge["closed_at"] or end, end)
        days = rulers.days(edge["owner"], start, stop)
        tally.add(keys(edge), 1, days, days)
    return tally.result(with_jobs=job is None)
