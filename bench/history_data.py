"""History for the insights dashboards: answered asks and activity events at a real
organisation's size, added to the page benchmark's organisation (bench/pages_data.py).

`closed` answered asks are spread over the last `days` days on the organisation's existing
applications, each owed by the person a kind names (the hiring manager reviews and decides,
the recruiter updates and informs, a panel member scores), recorded as `ask_close` leaves
them: the stage the candidate was in, a response time in business seconds drawn from a
log-normal around a business day (a fifth of the owners slow, around three), the wall-clock
close some hours later, due two business days after opening. Each gets the activity events
`ask_open` and `ask_close` write, 5% a snooze, and filler events (notes and views of the
timelines) bring the activity log to `events` rows in all.

Written with the same raw batched inserts as the rest (COPY on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from typing import Any

from asks_data import sequences_reset
from django.db import connection
from pages_data import FLUSH_ROWS, Org, Table

KINDS = (  # (kind, who owes it: "hm", "recruiter" or "panel", weight)
    ("review_submission", "hm", 30),
    ("decide_after_debrief", "hm", 10),
    ("update_candidate", "recruiter", 30),
    ("inform_candidate", "recruiter", 10),
    ("submit_scorecard", "panel", 20),
)
BUSINESS_DAY = 8 * 3600


def _tables() -> dict[str, Table]:
    from closeloop.activity.models import Activity
    from closeloop.followups.models import Ask

    return {
        "asks": Table(Ask, [
            "kind", "subject", "title", "owner_id", "job_id", "application_id", "stage_id",
            "status", "opened_at", "due_at", "closed_at", "closed_by_id", "closed_via",
            "response_seconds", "level", "policy"]),
        "activities": Table(Activity, [
            "kind", "at", "actor_id", "job_id", "candidate_id", "application_id", "summary",
            "detail", "data", "team_only"]),
    }  # fmt: skip


def _after_existing(tables: dict[str, Table]) -> dict[str, int]:
    """Start each table's ids after the rows already there; returns where each started."""
    starts = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table.table}")
            table.inserted = starts[name] = cursor.fetchone()[0]
    return starts


def _applications() -> list[tuple[int, int, int, int]]:
    """(application, candidate, job, stage) of every application generated."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, candidate_id, job_id, stage_id FROM pipeline_application")
        return list(cursor.fetchall())


def history_generate(
    org: Org, *, closed: int, events: int, days: int, now: dt.datetime, rng: random.Random
) -> dict[str, Any]:
    """Write the history; returns the rows written per table."""
    if closed <= 0 and events <= 0:
        return {}
    from pages_data import utc_adapter

    at = utc_adapter()
    jobs = {job.pk: job for job in org.jobs}
    applications = _applications()
    slow = {person.pk for person in rng.sample(org.managers, len(org.managers) // 5)}
    kinds, weights = [k for k, _, _ in KINDS], [w for _, _, w in KINDS]
    owed_by = {kind: side for kind, side, _ in KINDS}
    t = _tables()
    starts = _after_existing(t)
    policy = json.dumps({"due": "2 business days", "source": "default", "steps": []})
    written = 0
    for n in range(closed):
        app_id, candidate, job_id, stage = applications[rng.randrange(len(applications))]
        job = jobs[job_id]
        kind = rng.choices(kinds, weights)[0]
        side = owed_by[kind]
        owner = job.hm if side == "hm" else job.recruiter
        if side == "panel" and job.panel:
            owner = rng.choice(job.panel)
        typical = 3 * BUSINESS_DAY if owner.pk in slow else BUSINESS_DAY
        response = int(min(30 * BUSINESS_DAY, rng.lognormvariate(math.log(typical), 0.9)))
        opened = now - dt.timedelta(days=rng.uniform(0.5, days))
        shut = min(now, opened + dt.timedelta(seconds=response * 3))
        t["asks"].add(
            kind, f"history:{n}", f"History {kind} {n}", owner.pk, job_id, app_id, stage,
            "done", at(opened), at(opened + dt.timedelta(days=2)), at(shut), owner.pk, "app",
            response, int(response > 2 * BUSINESS_DAY), policy,
        )  # fmt: skip
        for kind_done, moment in (("opened", opened), ("closed", shut)):
            t["activities"].add(
                f"closeloop.ask.{kind_done}", at(moment), owner.pk, job_id, candidate, app_id,
                f"History {kind_done}", "", "{}", True,
            )  # fmt: skip
            written += 1
        if rng.random() < 0.05:
            t["activities"].add(
                "closeloop.ask.snoozed", at(opened + dt.timedelta(hours=4)), owner.pk, job_id,
                candidate, app_id, "Snoozed", "", "{}", True,
            )  # fmt: skip
            written += 1
        if len(t["asks"].rows) + len(t["activities"].rows) >= FLUSH_ROWS:
            _flush(t)
    _flush(t)
    people = [*org.recruiters, *org.managers]
    for _ in range(max(0, events - starts["activities"] - written)):
        app_id, candidate, job_id, _stage = applications[rng.randrange(len(applications))]
        moment = now - dt.timedelta(days=rng.uniform(0, days))
        t["activities"].add(
            "closeloop.note.added", at(moment), rng.choice(people).pk, job_id, candidate,
            app_id, "A note", "", "{}", True,
        )  # fmt: skip
        if len(t["activities"].rows) >= FLUSH_ROWS:
            _flush(t)
    _flush(t)
    sequences_reset(*(table.model for table in t.values()))
    return {f"history_{name}_rows": table.inserted - starts[name] for name, table in t.items()}


def _flush(tables: dict[str, Table]) -> None:
    for table in tables.values():
        table.flush()
