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

from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum, When
from django.db.models.functions import Greatest
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.followups.business_time import WorkCalendar, WorkingRuler, calendar_for
from closeloop.followups.models import Ask, AskHandover, AskStatus
from closeloop.followups.policies import quiet_kinds
from closeloop.followups.selectors import ask_shown_q
from closeloop.insights.selectors import Period, insights_admin_check
from closeloop.jobs.models import Job, Stage
from closeloop.lib.sqltime import Epoch
from closeloop.pipeline.models import ApplicationStatus
from closeloop.pipeline.selectors import (
    QueueItem,
    application_base,
    applications_with_move_wait,
    move_holder,
    queue_items,
    queue_rows,
)

WAIT_SUMS_SHOWN = 10
NO_STAGE = "(stage not recorded)"
STAGES_LISTED = 500


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


class _Sums:
    """Waits added up three ways: by person, by stage name and by job, each group [count,
    business days summed, longest]. Rows are added to their (person, stage, job) cell, and
    the cells (far fewer than the rows) to the three ways once, when they are read."""

    def __init__(self) -> None:
        self.cells: dict[tuple[Any, Any, Any], list[float]] = {}
        self._ways: tuple[dict[Any, list[float]], ...] | None = None

    def add(self, keys: tuple[Any, Any, Any], count: float, days: float, longest: float) -> None:
        found = self.cells.get(keys)
        if found is None:
            self.cells[keys] = [count, days, longest]
            return
        found[0] += count
        found[1] += days
        if longest > found[2]:
            found[2] = longest

    @property
    def ways(self) -> tuple[dict[Any, list[float]], ...]:
        if self._ways is None:
            ways: tuple[dict[Any, list[float]], ...] = ({}, {}, {})
            for keys, (count, days, longest) in self.cells.items():
                for groups, key in zip(ways, keys, strict=True):
                    found = groups.get(key)
                    if found is None:
                        groups[key] = [count, days, longest]
                        continue
                    found[0] += count
                    found[1] += days
                    if longest > found[2]:
                        found[2] = longest
            self._ways = ways
        return self._ways

    def largest(self, way: int, labels: Mapping[Any, str]) -> list[WaitSum]:
        rows = [
            WaitSum(key, labels.get(key, str(key)), int(count), days, longest)
            for key, (count, days, longest) in self.ways[way].items()
        ]
        rows.sort(key=lambda row: (-row.days, row.label))
        return rows[:WAIT_SUMS_SHOWN]

    def result(self, people: Mapping[Any, str], jobs: Mapping[Any, str] | None) -> WaitSums:
        """By person, by stage and, unless `jobs` is None (one job's page), by job."""
        return WaitSums(
            by_person=self.largest(0, people),
            by_stage=self.largest(1, {}),
            by_job=[] if jobs is None else self.largest(2, jobs),
        )


class _Rulers:
    """One `WorkingRuler` per distinct calendar among the owners, spanning [start, end]."""

    def __init__(self, owners: Iterable[int], start: dt.datetime, end: dt.datetime) -> None:
        people = User.objects.filter(pk__in=set(owners)).only(
            "full_name", "time_zone", "work_start", "work_end", "work_days", "holiday_country",
            "holiday_subdivision",
        )  # fmt: skip
        built: dict[WorkCalendar, WorkingRuler] = {}
        self.of: dict[int, WorkingRuler] = {}
        self.names: dict[int, str] = {person.pk: person.full_name for person in people}
        self._ends: dict[int, tuple[float, float]] = {}  # the last end measured, per ruler
        for person in people:
            calendar = calendar_for(person)
            if calendar not in built:  # listing a calendar's windows is the costly part
                built[calendar] = WorkingRuler(calendar, start, end)
            self.of[person.pk] = built[calendar]

    def in_days(self, owner: int, seconds: float | None) -> float:
        """Working seconds already measured (a recorded response time) in the owner's days."""
        ruler = self.of.get(owner)
        return 0.0 if ruler is None or not seconds else ruler.to_days(seconds)

    def days(self, owner: int, start: float, end: float) -> float:
        """Business days in the owner's calendar between two moments in POSIX seconds."""
        ruler = self.of.get(owner)
        if ruler is None or end <= start:
            return 0.0
        return (self._until(ruler, end) - ruler.until_stamp(start)) * ruler.per_day

    def _until(self, ruler: WorkingRuler, end: float) -> float:
        # Most rows of a page end at the same moment (now, or the period's end): measured
        # once per calendar, not once per row.
        last = self._ends.get(id(ruler))
        if last is not None and last[0] == end:
            return last[1]
        until = ruler.until_stamp(end)
        self._ends[id(ruler)] = (end, until)
        return until


def _scope(viewer: User, job: Job | None) -> None:
    """Across the organisation for admins; for one job, the caller has checked the viewer
    may read it (`funnel.funnel_job_get`)."""
    if job is None:
        insights_admin_check(viewer)


def _moment(stamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


# --- Now ------------------------------------------------------------------------------------

LONGEST_WAITS = 10


@dataclass(frozen=True)
class WaitsNow:
    longest: list[QueueItem]  # the candidates waiting longest, longest first
    sums: WaitSums


def _owed_now(now: dt.datetime, job: Job | None) -> QuerySet[Any]:
    """The candidates waiting on someone's move now, by the queue's own clock: a candidate
    waiting for an interview still to come waits on no one."""
    active = application_base().filter(
        status=ApplicationStatus.ACTIVE, next_move_owner__isnull=False
    )
    if job is not None:
        active = active.filter(job=job)
    return applications_with_move_wait(active, now).filter(Q(awaits_interview=False))


def waits_now(
    *,
    viewer: User,
    job: Job | None = None,
    now: dt.datetime | None = None,
    longest: int = LONGEST_WAITS,
) -> WaitsNow:
    """Where candidates wait now and on whom: the candidates waiting longest (as their
    owners' queues list them: `pipeline.selectors.queue_rows`, delegates named), and each
    waiting candidate's business days on the move's owner summed by person, by stage (by
    name, across jobs) and by job, the ten largest of each.

    The queue's clock is a subquery per waiting candidate, so it is read in one pass for
    both: the longest are that pass's oldest, fetched again by id for their rows."""
    _scope(viewer, job)
    now = now or timezone.now()
    owed = _owed_now(now, job)
    # By whom they wait on now: a delegate covering an absent owner's move, as in the queues.
    rows = list(
        owed.order_by()
        .annotate(since=Epoch("waited_since"), holder=move_holder())
        .values_list("pk", "holder", "stage__name", "job", "job__title", "since")
    )
    stamp = now.timestamp()
    rulers = _Rulers(
        {row[1] for row in rows}, _moment(min((r[5] for r in rows), default=stamp)), now
    )
    tally = _Sums()
    jobs = {}
    for _pk, holder, stage, job_pk, title, since in rows:
        days = rulers.days(holder, since, stamp)
        tally.add((holder, stage, job_pk), 1, days, days)
        jobs[job_pk] = title
    sums = tally.result(rulers.names, None if job is not None else jobs)
    if longest <= 0:
        return WaitsNow(longest=[], sums=sums)
    first = sorted(rows, key=lambda row: (row[5], row[0]))[:longest]  # as queue_rows orders
    listed = queue_rows(owed.filter(pk__in=[row[0] for row in first]), now=now)
    return WaitsNow(longest=queue_items(listed, now=now), sums=sums)


def waits_summed(
    *, viewer: User, job: Job | None = None, now: dt.datetime | None = None
) -> WaitSums:
    """Only the sums of `waits_now` (for their CSV)."""
    return waits_now(viewer=viewer, job=job, now=now, longest=0).sums


# --- Over a period --------------------------------------------------------------------------


def _candidate_asks(job: Job | None) -> QuerySet[Ask]:
    asks = Ask.objects.filter(application__isnull=False).order_by()
    return asks if job is None else asks.filter(job=job)


def _holders(handed: list[int]) -> dict[int, list[tuple[int, float]]]:
    """For each ask that changed hands, who held it from when: its first owner from its
    opening (0), then each new owner from the moment it was handed to them."""
    holders: dict[int, list[tuple[int, float]]] = {}
    moves = (
        AskHandover.objects.filter(ask_id__in=handed)
        .annotate(moment=Epoch("at"))
        .order_by("ask_id", "at", "pk")
        .values_list("ask_id", "from_owner", "to_owner", "moment")
    )
    for ask_id, before, after, moment in moves:
        spans = holders.setdefault(ask_id, [(before, 0.0)])
        spans.append((after, moment))
    return holders


def _spans(
    holders: list[tuple[int, float]] | None, owner: int, opened: float, stop: float
) -> list[tuple[int, float, float]]:
    """(who held the ask, from, until) over [opened, stop]: its owner throughout, or each
    holder in turn when it changed hands."""
    if not holders:
        return [(owner, opened, stop)]
    spans = []
    for index, (holder, since) in enumerate(holders):
        start = max(since, opened)
        until = holders[index + 1][1] if index + 1 < len(holders) else stop
        until = min(until, stop)
        if until > start:
            spans.append((holder, start, until))
    return spans


def waits_over_period(
    *, viewer: User, period: Period, job: Job | None = None, now: dt.datetime | None = None
) -> WaitSums:
    """Where candidates waited during `period` and on whom: every ask owed about a candidate,
    counted for the business time it was open inside the period (in its owner's calendar),
    summed by its owner, by the stage the candidate was in when it opened (by name, across
    jobs) and by job, the ten largest of each. Counts are asks, not candidates: three
    interviewers owing scorecards on one candidate are three waits. News on schedule (a
    waiting clock) counts from its due time, when the queues show it. An ask that changed hands
    (its owner left or went away) is split at each handover: each holder is counted for the
    time it sat with them, so a successor is not blamed for their predecessor's days.

    Three queries for the rows plus three for names, whatever the number of asks: those
    opened and answered inside the period are summed in SQL from their recorded response
    times (which leave out time on hold); the rest overlap an edge of the period or are still
    open, and are measured here, read as POSIX seconds (no datetime built per row)."""
    _scope(viewer, job)
    now = now or timezone.now()
    end = min(period.end, now)
    asks = _candidate_asks(job).annotate(
        handed=Exists(AskHandover.objects.filter(ask=OuterRef("pk")))
    )
    # Answered after it opened, so inside the period on both ends: the bound on `closed_at`
    # lets the answered-asks index serve the range (and count rows it holds: "*", not id).
    # An ask that changed hands is measured below instead, owner by owner.
    # News on schedule (a waiting clock, `quiet_kinds`) is owed once due, as the queues show
    # it: it counts from its due time, so measured below, and not at all when given in time.
    quiet = quiet_kinds()
    inside = Q(
        status=AskStatus.DONE,
        opened_at__gte=period.start,
        closed_at__gte=period.start,
        closed_at__lt=end,
    ) & ~Q(kind__in=quiet)
    summed = list(
        asks.filter(inside, handed=False)
        .values_list("owner", "stage", "job")
        .annotate(n=Count("*"), seconds=Sum("response_seconds"), longest=Max("response_seconds"))
    )
    # The rest that touch the period: still open (as the queues show them), or closed inside
    # it after opening before it (or cancelled inside it), or handed over. Two queries each
    # an index serves.
    owed_from = Case(
        When(Q(kind__in=quiet), then=Greatest("opened_at", "due_at")), default=F("opened_at")
    )
    moments = {"opened": Epoch(owed_from), "closed": Epoch("closed_at")}
    fields = ("pk", "owner", "stage", "job", "opened", "closed", "handed")
    in_time = Q(kind__in=quiet, closed_at__lte=F("due_at"))
    edges = [
        *asks.filter(ask_shown_q(now), status=AskStatus.OPEN, opened_at__lt=end)
        .annotate(**moments)
        .values_list(*fields),
        *asks.filter(
            status__in=(AskStatus.DONE, AskStatus.CANCELLED),
            closed_at__gt=period.start,
            opened_at__lt=end,
        )
        .exclude(inside & Q(handed=False))
        .exclude(in_time)
        .annotate(**moments)
        .values_list(*fields),
    ]
    holders = _holders([row[0] for row in edges if row[6]])
    owners = {row[0] for row in summed} | {row[1] for row in edges}
    owners |= {person for spans in holders.values() for person, _ in spans}
    stages = _stage_names({row[1] for row in summed} | {row[2] for row in edges})
    rulers = _Rulers(owners, period.start, end)
    tally = _Sums()
    for owner, stage, job_pk, n, seconds, longest in summed:
        days, most = rulers.in_days(owner, seconds), rulers.in_days(owner, longest)
        tally.add((owner, stages.get(stage, NO_STAGE), job_pk), n, days, most)
    first, last = period.start.timestamp(), end.timestamp()
    for pk, owner, stage, job_pk, opened, closed, _handed in edges:
        stop = last if closed is None or closed > last else closed
        held: dict[int, float] = {}  # each holder's days in the period: one wait each
        for holder, start, until in _spans(holders.get(pk), owner, opened, stop):
            if until > first:  # not held before the period only
                days = rulers.days(holder, max(start, first), until)
                held[holder] = held.get(holder, 0.0) + days
        for holder, days in held.items():
            tally.add((holder, stages.get(stage, NO_STAGE), job_pk), 1, days, days)
    return _named(tally, with_jobs=job is None)


def _stage_names(ids: set[Any]) -> dict[Any, str]:
    """Stages are summed by name, so one stage of every job is one row. (Grouped by id in
    SQL, named here: grouping by the name would join and sort every ask.) A stage removed
    from its plan since still names the waits spent in it."""
    ids = ids - {None}
    stages = Stage.with_removed.order_by()
    # A long IN list costs more than reading every stage's name (a few per job).
    found = stages.filter(pk__in=ids) if len(ids) <= STAGES_LISTED else stages
    return dict(found.values_list("pk", "name"))


def _named(tally: _Sums, *, with_jobs: bool) -> WaitSums:
    """The sums with the people's and the jobs' names (two small queries)."""
    people = User.objects.filter(pk__in=list(tally.ways[0]))
    jobs = Job.objects.order_by().filter(pk__in=[pk for pk in tally.ways[2] if pk is not None])
    return tally.result(
        dict(people.values_list("pk", "full_name")),
        dict(jobs.values_list("pk", "title")) if with_jobs else None,
    )
