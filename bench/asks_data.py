"""Data generator for the follow-up engine benchmark: N open asks, D of them due.

People and jobs are few (a few hundred hiring managers), so they go through the ORM. The
bulk — candidates, applications and asks — is written with raw batched inserts: COPY on
PostgreSQL, `executemany` on SQLite, with explicit ids so no round trip is needed to learn
them. Every ask carries the policy JSON that `services._schedule` writes for a
review_submission opened at its `opened_at` in its owner's calendar (computed by that very
function for a few thousand sampled opening times, then reused), so the engine reads exactly
what production stores.

A due ask is one whose last reached rung has not been nudged yet: `steps_done` = k - 1 and
`next_nudge_at` = the time of rung k - 1 (in the past), where k rungs are past at `now`. So a
sweep moves each due ask exactly one rung, as a worker in steady state does. The rest are
waiting for a future rung. The mix of due rungs favours reminders (most asks are answered
before anyone escalates): 50% reminder, 30% due, 15% escalation, 5% admin escalation.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction

# Calendars owners work in; `now` must be a working moment in each (checked at start).
CALENDARS: list[tuple[str, str, str]] = [
    ("Europe/London", "GB", "ENG"),
    ("Europe/Berlin", "DE", "BE"),
    ("America/New_York", "US", "NY"),
    ("Europe/Madrid", "ES", "MD"),
    ("UTC", "", ""),
]
DUE_RUNG_WEIGHTS = [50, 30, 15, 5]
TEMPLATES_PER_CALENDAR = 600
MAX_AGE = dt.timedelta(days=12)
BATCH = 20_000
APPLICATION_POOL = 10_000  # applications the waiting (non-due) asks point at, see `generate`


@dataclass
class Template:
    """One review_submission schedule, computed once, reused by many asks."""

    opened_at: Any
    due_at: Any
    policy: str
    times: list[Any]  # adapted for the database
    levels: list[int]
    rungs_past: int


@dataclass
class World:
    owners: list[Any] = field(default_factory=list)  # (user id, calendar index)
    jobs_by_owner: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)
    templates: list[list[Template]] = field(default_factory=list)  # per calendar

    @cached_property
    def due_templates(self) -> list[list[list[Template]]]:
        """Per calendar and due rung k: schedules where exactly k + 1 rungs are past."""
        return [
            [[t for t in ts if t.rungs_past == rung + 1] for rung in range(len(DUE_RUNG_WEIGHTS))]
            for ts in self.templates
        ]

    @cached_property
    def waiting_templates(self) -> list[list[Template]]:
        """Per calendar: schedules with a rung still in the future."""
        return [[t for t in ts if t.rungs_past < len(t.times)] for ts in self.templates]


def _users(prefix: str, count: int, **flags: Any) -> list[Any]:
    from closeloop.accounts.models import User

    people = []
    for i in range(count):
        zone, country, subdivision = CALENDARS[i % len(CALENDARS)]
        people.append(
            User(
                email=f"{prefix}{i}@bench.example",
                full_name=f"{prefix.title()} {i:04d} Bench",
                password="!",  # unusable: bench people never log in
                time_zone=zone,
                holiday_country=country,
                holiday_subdivision=subdivision,
                **flags,
            )
        )
    return people


def people_create(*, owners: int) -> tuple[list[Any], list[Any]]:
    """Hiring managers with directors (their managers and escalation contacts), recruiters,
    and two admins (who hear about admin-level escalations)."""
    from closeloop.accounts.models import User

    User.objects.bulk_create(_users("admin", 2, is_admin=True))
    directors = User.objects.bulk_create(
        _users("director", max(1, owners // 15), is_hiring_manager=True)
    )
    recruiters = User.objects.bulk_create(
        _users("recruiter", max(1, owners // 10), is_recruiter=True)
    )
    managers = _users("hm", owners, is_hiring_manager=True)
    for i, person in enumerate(managers):
        person.manager = directors[i % len(directors)]
    return User.objects.bulk_create(managers), recruiters


def jobs_create(*, owners: list[Any], recruiters: list[Any], per_owner: int = 3) -> dict:
    """Three jobs per hiring manager, each with the default stage plan."""
    from closeloop.jobs.models import DEFAULT_STAGE_PLAN, Job, JobStatus, Stage

    jobs = Job.objects.bulk_create(
        Job(
            title=f"Engineer {i:05d}",
            status=JobStatus.OPEN,
            hiring_manager=owner,
            recruiter=recruiters[i % len(recruiters)],
            escalation_contact_id=owner.manager_id,
        )
        for i, owner in enumerate(o for o in owners for _ in range(per_owner))
    )
    submitted = [kind for kind, _name, _owner in DEFAULT_STAGE_PLAN].index("submitted")
    stages = Stage.objects.bulk_create(
        Stage(job=job, kind=kind, name=name, move_owner=move, position=index)
        for job in jobs
        for index, (kind, name, move) in enumerate(DEFAULT_STAGE_PLAN)
    )
    stage_of = {s.job_id: s.pk for s in stages if s.position == submitted}
    by_owner: dict[int, list[tuple[int, int, int]]] = {}
    for job in jobs:
        by_owner.setdefault(job.hiring_manager_id, []).append(
            (job.pk, stage_of[job.pk], job.recruiter_id)
        )
    return by_owner


def now_check(now: dt.datetime) -> None:
    """The bench's `now` must be working time for everyone, or notices would wait."""
    from closeloop.followups.business_time import WorkCalendar, is_working_moment

    for zone, country, subdivision in CALENDARS:
        calendar = WorkCalendar(
            time_zone=zone, holiday_country=country, holiday_subdivision=subdivision
        )
        if not is_working_moment(calendar, now):
            raise SystemExit(f"--now {now.isoformat()} is outside working hours in {zone}.")


def templates_build(*, now: dt.datetime, rng: random.Random) -> list[list[Template]]:
    """Schedules from the real `_schedule` for opening times spread over the last 12 days."""
    from closeloop.accounts.models import User
    from closeloop.followups.policies import policy_for
    from closeloop.followups.services import _schedule

    policy = policy_for("review_submission")
    adapt = connection.ops.adapt_datetimefield_value
    per_calendar = []
    for zone, country, subdivision in CALENDARS:
        holder = User(time_zone=zone, holiday_country=country, holiday_subdivision=subdivision)
        templates = []
        for _ in range(TEMPLATES_PER_CALENDAR):
            opened_at = now - dt.timedelta(seconds=rng.randrange(60, int(MAX_AGE.total_seconds())))
            due_at, steps = _schedule(policy, holder, opened_at, False)
            times = [dt.datetime.fromisoformat(step["at"]) for step in steps]
            templates.append(
                Template(
                    opened_at=adapt(opened_at),
                    due_at=adapt(due_at),
                    policy=json.dumps(
                        {"kind": policy.kind, "due": policy.due.describe(), "steps": steps}
                    ),
                    times=[adapt(t) for t in times],
                    levels=[step["level"] for step in steps],
                    rungs_past=sum(t <= now for t in times),
                )
            )
        per_calendar.append(templates)
    return per_calendar


@contextmanager
def bulk_load() -> Iterator[None]:
    """On SQLite, a big page cache while loading: ten indexes on the asks table are updated
    in random key order, and the default 2 MB cache makes that I/O-bound. Restored after, so
    the measured steps run with the settings production uses."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        default = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -524288")  # 512 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(default)}")


def rows_insert(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert rows in batches of BATCH, one transaction per batch; returns the count."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
        count += len(batch)
    return count


def sequences_reset(*models: Any) -> None:
    """After inserts with explicit ids, PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _candidate_rows(count: int, stamp: Any) -> Iterator[tuple]:
    for i in range(1, count + 1):
        yield (
            i, f"Candidate {i:07d}", "", "", "", "", "", "EUR", "sourced", "", "", "", stamp, stamp,
            "",
        )  # fmt: skip


CANDIDATE_COLUMNS = [
    "id", "full_name", "phone", "location", "links", "current_company", "current_title",
    "compensation_currency", "source", "resume", "resume_filename", "resume_text", "created_at",
    "updated_at", "retention_kept_reason",
]  # fmt: skip
APPLICATION_COLUMNS = [
    "id", "candidate_id", "job_id", "stage_id", "status", "entered_stage_at",
    "next_move_owner_id", "next_move_since", "closed_reason", "closed_note", "created_at",
]  # fmt: skip
ASK_COLUMNS = [
    "id", "kind", "subject", "title", "owner_id", "requested_by_id", "job_id", "application_id",
    "status", "opened_at", "due_at", "next_nudge_at", "steps_done", "level", "policy",
    "snooze_reason", "closed_via", "held_for_id", "held_seconds",
]  # fmt: skip


@dataclass
class Plan:
    """Which ask gets which owner, job and template; shared by the three tables."""

    n_open: int
    n_due: int
    world: World
    rng: random.Random
    due_ids: set[int] = field(default_factory=set)

    def application_id(self, ask_id: int, due_index: int | None) -> int:
        # Due asks each have their own application; waiting ones share a pool, because the
        # sweep never reads them: only their rows and index entries count.
        if due_index is not None:
            return due_index + 1
        return self.n_due + 1 + ask_id % self.pool

    @property
    def pool(self) -> int:
        return max(1, min(APPLICATION_POOL, self.n_open - self.n_due))

    @property
    def applications(self) -> int:
        return self.n_due + self.pool


def _template(plan: Plan, calendar: int, due: bool) -> tuple[Template, int]:
    """A template and the rung the ask waits for (steps_done)."""
    if due:
        rung = plan.rng.choices(range(len(DUE_RUNG_WEIGHTS)), DUE_RUNG_WEIGHTS)[0]
        return plan.rng.choice(plan.world.due_templates[calendar][rung]), rung
    template = plan.rng.choice(plan.world.waiting_templates[calendar])
    return template, template.rungs_past


def _ask_rows(plan: Plan, jobs_of: dict[int, tuple[int, int, int, int]]) -> Iterator[tuple]:
    """One row per ask; the job (and so the owner) follows the application."""
    due_index = 0
    for ask_id in range(1, plan.n_open + 1):
        due = ask_id in plan.due_ids
        application = plan.application_id(ask_id, due_index if due else None)
        due_index += due
        job_id, owner_id, calendar, recruiter_id = jobs_of[application]
        template, steps_done = _template(plan, calendar, due)
        level = max(template.levels[:steps_done], default=0)
        yield (
            ask_id, "review_submission", f"submission:{ask_id}",
            f"Review Candidate {application:07d} for Engineer {job_id:05d}",
            owner_id, recruiter_id, job_id, application, "open",
            template.opened_at, template.due_at, template.times[steps_done],
            steps_done, level, template.policy, "", "", None, 0,
        )  # fmt: skip


def generate(*, n_open: int, n_due: int, now: dt.datetime, owners: int, seed: int) -> dict:
    """Build the whole data set; returns counts and timings."""
    from closeloop.followups.models import Ask
    from closeloop.pipeline.models import Application, Candidate

    rng = random.Random(seed)
    started = time.perf_counter()
    world = World()
    managers, recruiters = people_create(owners=owners)
    world.jobs_by_owner = jobs_create(owners=managers, recruiters=recruiters)
    owner_calendar = {m.pk: i % len(CALENDARS) for i, m in enumerate(managers)}
    world.templates = templates_build(now=now, rng=rng)
    plan = Plan(n_open=n_open, n_due=n_due, world=world, rng=rng)
    plan.due_ids = set(rng.sample(range(1, n_open + 1), n_due))
    people_seconds = time.perf_counter() - started

    # Each application sits in the "submitted" stage of a job of a random hiring manager.
    stamp = connection.ops.adapt_datetimefield_value(now - MAX_AGE)
    jobs_of: dict[int, tuple[int, int, int, int]] = {}
    owner_ids = [m.pk for m in managers]
    app_rows = []
    for application in range(1, plan.applications + 1):
        owner = rng.choice(owner_ids)
        job_id, stage_id, recruiter_id = rng.choice(world.jobs_by_owner[owner])
        jobs_of[application] = (job_id, owner, owner_calendar[owner], recruiter_id)
        app_rows.append(
            (application, application, job_id, stage_id, "active", stamp, owner, stamp, "", "",
             stamp)
        )  # fmt: skip
    timed: dict[str, Callable[[], int]] = {
        "candidates": lambda: rows_insert(
            "pipeline_candidate", CANDIDATE_COLUMNS, _candidate_rows(plan.applications, stamp)
        ),
        "applications": lambda: rows_insert("pipeline_application", APPLICATION_COLUMNS, app_rows),
        "asks": lambda: rows_insert("followups_ask", ASK_COLUMNS, _ask_rows(plan, jobs_of)),
    }
    result: dict[str, Any] = {"people_jobs_templates_s": round(people_seconds, 2)}
    with bulk_load():
        for name, insert in timed.items():
            begin = time.perf_counter()
            result[f"{name}_rows"] = insert()
            result[f"{name}_s"] = round(time.perf_counter() - begin, 2)
    sequences_reset(Candidate, Application, Ask)
    result["owners"] = owners
    result["jobs"] = sum(len(jobs) for jobs in world.jobs_by_owner.values())
    result["total_s"] = round(time.perf_counter() - started, 2)
    return result


def statistics_refresh() -> float:
    """ANALYZE (and VACUUM on PostgreSQL) so plans reflect the data, as autovacuum would."""
    begin = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return round(time.perf_counter() - begin, 2)
