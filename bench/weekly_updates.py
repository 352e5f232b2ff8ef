"""Weekly updates at scale: build and send everyone's update, and one busy job's agenda.

    uv run python bench/weekly_updates.py --managers 300 --applications 40000 --asks 8000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_bench uv run python bench/weekly_updates.py

On a fresh database (a SQLite file under bench/out/, or the PostgreSQL database named in
DATABASE_URL, dropped and re-created: its name must contain "bench"), migrated here, the
script generates an organisation: hiring managers with their directors, recruiters, three
jobs per hiring manager, applications spread over the jobs with a skew (a few busy jobs,
a long tail), one stage change per application over the last 30 days, open
review_submission asks owed by the hiring managers, review asks answered this week (on time
or late) for the service-level record, and a due WeeklyUpdateSchedule for every hiring
manager and recruiter. Then it measures, with the project's own code:

  (a) `touchbases.weekly.weekly_updates_send` (the "weekly updates" worker step) until it
      returns 0: every due schedule is claimed, its update built (one-click links issued)
      and the email queued. Per update: wall time and queries (CaptureQueriesContext).
  (b) `touchbases.selectors.agenda_build` for the job with the most open asks.

Baseline, same data, same run: one raw SQL query counting, per hiring manager, the open
asks they owe (the core of "what waits on you"). Each run uses two child processes, one
that generates and one that measures, so the measured peak RSS is the step's own. Results
go to bench/out/weekly_updates-<database>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import benchdb
from asks_sweep import DEFAULT_NOW, best_and_median_ms, database_version, median_ms, say

DAY = dt.timedelta(days=1)
STAGE_CHANGE_COLUMNS = [
    "id", "application_id", "from_stage_id", "to_stage_id", "from_status", "to_status", "by_id",
    "at", "reason",
]  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--managers", type=int, default=300, help="hiring managers with jobs")
    parser.add_argument("--jobs-per-manager", type=int, default=3)
    parser.add_argument("--applications", type=int, default=40_000)
    parser.add_argument("--asks", type=int, default=8_000, help="open review asks")
    parser.add_argument("--answered", type=int, default=2_000, help="review asks done this week")
    parser.add_argument("--now", default=DEFAULT_NOW, help="the send's now (ISO)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="result file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--phase", choices=["all", "generate", "measure"], default="all", help=argparse.SUPPRESS
    )
    parser.add_argument("--command", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{benchdb.OUT / 'weekly_updates.sqlite3'}"


def _moment(value: Any) -> dt.datetime:
    """A template's adapted datetime back as an aware one (SQLite stores naive UTC text)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --- the data ------------------------------------------------------------------------------


def generate(args: argparse.Namespace, now: dt.datetime) -> dict[str, Any]:
    """The organisation: ORM bulk_create for the few hundred people and jobs, raw batched
    inserts (bench/asks_data.py: COPY on PostgreSQL) for the tens of thousands of rows."""
    import asks_data
    from asks_data import rows_insert
    from django.db import connection

    from closeloop.followups.models import Ask
    from closeloop.pipeline.models import Application, Candidate, StageChange

    rng = random.Random(args.seed)
    adapt = connection.ops.adapt_datetimefield_value
    started = time.perf_counter()
    managers, recruiters = asks_data.people_create(owners=args.managers)
    by_owner = asks_data.jobs_create(
        owners=managers, recruiters=recruiters, per_owner=args.jobs_per_manager
    )
    calendar_of = {m.pk: i % len(asks_data.CALENDARS) for i, m in enumerate(managers)}
    world = asks_data.World(templates=asks_data.templates_build(now=now, rng=rng))
    # (job, submitted stage, recruiter, hiring manager); a skewed share of the applications:
    # a few busy jobs and a long tail, as in a real organisation.
    jobs = [(job, stage, rec, hm) for hm, rows in by_owner.items() for job, stage, rec in rows]
    rng.shuffle(jobs)
    weights = [1 / (rank + 1) ** 0.6 for rank in range(len(jobs))]

    app_rows, change_rows, job_of = [], [], {}
    for app_id, job in enumerate(rng.choices(jobs, weights, k=args.applications), start=1):
        job_id, stage_id, recruiter_id, owner_id = job
        entered = now - dt.timedelta(seconds=rng.randrange(3600, 30 * 86400))
        job_of[app_id] = job
        app_rows.append(
            (app_id, app_id, job_id, stage_id, "active", adapt(entered), owner_id,
             adapt(entered), "", "", adapt(entered))
        )  # fmt: skip
        change_rows.append(
            (app_id, app_id, None, stage_id, "", "active", recruiter_id, adapt(entered), "")
        )
    stamp = adapt(now - 30 * DAY)
    people_s = time.perf_counter() - started

    def ask_rows() -> Any:
        chosen = rng.sample(range(1, args.applications + 1), args.asks + args.answered)
        for ask_id, app_id in enumerate(chosen, start=1):
            job_id, _stage, recruiter_id, owner_id = job_of[app_id]
            calendar = calendar_of.get(owner_id, 0)
            template = rng.choice(world.waiting_templates[calendar])
            title = f"Review Candidate {app_id:07d} for Engineer {job_id:05d}"
            if ask_id <= args.asks:  # open, waiting for its next rung
                steps = template.rungs_past
                level = max(template.levels[:steps], default=0)
                yield (ask_id, "review_submission", f"submission:{app_id}", title, owner_id,
                       recruiter_id, job_id, app_id, "open", template.opened_at, template.due_at,
                       template.times[steps], steps, level, template.policy, "", "",
                       None)  # fmt: skip
                continue
            # Answered this week, some on time, some late: the update's service-level record.
            opened = _moment(template.opened_at)
            earliest = max(opened, now - 7 * DAY + dt.timedelta(minutes=1))
            closed = earliest + (now - earliest) * rng.random()
            yield (ask_id, "review_submission", f"submission:{app_id}", title, owner_id,
                   recruiter_id, job_id, app_id, "done", template.opened_at, template.due_at,
                   None, 0, 0, template.policy, "", "bench", adapt(closed))  # fmt: skip

    result: dict[str, Any] = {"people_jobs_s": round(people_s, 2)}
    inserts = {
        "candidates": lambda: rows_insert(
            "pipeline_candidate",
            asks_data.CANDIDATE_COLUMNS,
            asks_data._candidate_rows(args.applications, stamp),
        ),
        "applications": lambda: rows_insert(
            "pipeline_application", asks_data.APPLICATION_COLUMNS, app_rows
        ),
        "stage_changes": lambda: rows_insert(
            "pipeline_stagechange", STAGE_CHANGE_COLUMNS, change_rows
        ),
        "asks": lambda: rows_insert(
            "followups_ask", [*asks_data.ASK_COLUMNS, "closed_at"], ask_rows()
        ),
    }
    with asks_data.bulk_load():
        for name, insert in inserts.items():
            begin = time.perf_counter()
            result[f"{name}_rows"] = insert()
            result[f"{name}_s"] = round(time.perf_counter() - begin, 2)
    asks_data.sequences_reset(Candidate, Application, StageChange, Ask)
    result["schedules"] = schedules_create(now)
    result["busiest_job"] = touchbase_for_busiest_job(now)
    result["jobs"] = len(jobs)
    result["total_s"] = round(time.perf_counter() - started, 2)
    return result


def schedules_create(now: dt.datetime) -> int:
    """Everyone's schedule, due: Monday 08:00 in their own zone, the Monday before `now`."""
    from django.db.models import Q

    from closeloop.accounts.models import User
    from closeloop.touchbases.models import WeeklyUpdateSchedule
    from closeloop.touchbases.weekly import weekly_update_next_run

    people = User.objects.filter(Q(is_hiring_manager=True) | Q(is_recruiter=True), is_active=True)
    rows = []
    for person in people:
        run_at = weekly_update_next_run(
            person=person, weekday=0, send_time=dt.time(8, 0), after=now - 7 * DAY
        )
        assert run_at <= now, (person.time_zone, run_at)
        rows.append(WeeklyUpdateSchedule(person=person, next_run_at=run_at, updated_at=now))
    return len(WeeklyUpdateSchedule.objects.bulk_create(rows))


def touchbase_for_busiest_job(now: dt.datetime) -> dict[str, int]:
    """A touch-base series and this week's meeting for the job with the most open asks."""
    from django.db.models import Count

    from closeloop.followups.models import Ask
    from closeloop.jobs.models import Job
    from closeloop.touchbases.models import Touchbase, TouchbaseSeries

    top = (
        Ask.objects.filter(status="open")
        .values("job_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "job_id")
        .first()
    )
    job = Job.objects.get(pk=top["job_id"])
    starts = now + dt.timedelta(hours=2)
    series = TouchbaseSeries.objects.create(
        job=job, recruiter_id=job.recruiter_id, hiring_manager_id=job.hiring_manager_id,
        weekday=starts.weekday(), start_time=starts.time(), first_at=starts,
        uid="bench-touchbase@closeloop", next_due_at=starts + dt.timedelta(minutes=30),
    )  # fmt: skip
    touchbase = Touchbase.objects.create(
        series=series, job=job, scheduled_at=starts, ends_at=starts + dt.timedelta(minutes=30)
    )
    return {
        "job": job.pk,
        "touchbase": touchbase.pk,
        "open_asks": top["n"],
        "applications": job.applications.count(),
    }


# --- the measurements ----------------------------------------------------------------------

BASELINE_SQL = """
SELECT u.id, count(a.id)
FROM accounts_user u JOIN followups_ask a ON a.owner_id = u.id
WHERE u.is_hiring_manager AND a.status = %s
GROUP BY u.id
"""


def baseline() -> dict[str, Any]:
    """Raw SQL: per hiring manager, how many open asks they owe ("what waits on you")."""
    from django.db import connection

    def run() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, ["open"])
            return cursor.fetchall()

    rows = run()
    return {
        "sql": " ".join(BASELINE_SQL.split()),
        "managers_owing": len(rows),
        "open_asks": sum(n for _, n in rows),
        "ms": best_and_median_ms(run, 10),
    }


def send_all(now: dt.datetime) -> dict[str, Any]:
    """The worker step, called as the worker loop calls it, until it reports no work.

    Each update (one `weekly_update_send_one`, the step's per-row transaction) is timed and
    its queries counted by wrapping that function where the step looks it up.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from closeloop.touchbases import weekly

    per_update: list[tuple[float, int]] = []
    send_one = weekly.weekly_update_send_one

    def timed_send_one(**kwargs: Any) -> int:
        # The connection's query log keeps the last 9,000 queries and CaptureQueriesContext
        # counts by its length: emptied before each update, every count is exact.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            done = send_one(**kwargs)
            seconds = time.perf_counter() - begin
        per_update.append((seconds * 1000, len(queries)))
        return done

    step_queries = [0]

    def count(execute, sql, params, many, context):  # Django's execute-wrapper signature
        step_queries[0] += 1
        return execute(sql, params, many, context)

    weekly.weekly_update_send_one = timed_send_one
    calls = handled = 0
    cpu = time.process_time()
    begin = time.perf_counter()
    try:
        while True:
            with connection.execute_wrapper(count):
                done = weekly.weekly_updates_send(now=now)
            calls += 1
            handled += done
            if not done:
                break
    finally:
        weekly.weekly_update_send_one = send_one
    seconds = time.perf_counter() - begin
    times = sorted(ms for ms, _ in per_update)
    counts = sorted(n for _, n in per_update)
    return {
        "handled": handled,
        "calls": calls,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "per_update_ms": {
            "mean": round(seconds * 1000 / handled, 1) if handled else None,
            "median": round(statistics.median(times), 1),
            "p95": round(times[int(len(times) * 0.95) - 1], 1),
            "max": round(times[-1], 1),
        },
        "queries_per_update": {
            "mean": round(sum(counts) / len(counts), 1),
            "median": statistics.median(counts),
            "max": counts[-1],
        },
        # Every statement of the whole run as an execute wrapper sees it: the per-update
        # counts above also include the BEGIN/COMMIT that Django logs, this does not.
        "statements_total": step_queries[0],
        "peak_rss_mb": round(benchdb.peak_rss_mb(), 1),
    }


def agenda(now: dt.datetime, touchbase_id: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from closeloop.touchbases.models import Touchbase
    from closeloop.touchbases.selectors import agenda_build

    touchbase = Touchbase.objects.select_related("job__hiring_manager").get(pk=touchbase_id)
    connection.queries_log.clear()  # see send_all: counted by the log's length
    with CaptureQueriesContext(connection) as queries:
        built = agenda_build(touchbase=touchbase, now=now)
    return {
        "ms": best_and_median_ms(lambda: agenda_build(touchbase=touchbase, now=now), 5),
        "queries": len(queries),
        "items": {s["key"]: len(s["items"]) for s in built["sections"]},
    }


def checks(now: dt.datetime, result: dict[str, Any]) -> dict[str, bool]:
    """The step did what it claims: each schedule handled once, one email per update with
    something to say, every open ask in its owner's update (up to the queue's 200)."""
    from django.db.models import Count

    from closeloop.followups.models import ActionLink, Ask
    from closeloop.notify.models import Delivery, Message
    from closeloop.touchbases.models import WeeklyUpdateSchedule

    messages = Message.objects.filter(template="weekly-update")
    owed = Ask.objects.filter(status="open").values("owner_id").annotate(n=Count("pk"))
    expected = sum(min(row["n"], 200) for row in owed)
    mentioned = sum(len(m.data.get("asks", [])) for m in messages.only("data"))
    return {
        "every schedule handled once": result["send"]["handled"]
        == result["generate"]["schedules"]
        == WeeklyUpdateSchedule.objects.filter(last_run_at=now).count(),
        "nothing due afterwards": not WeeklyUpdateSchedule.objects.filter(
            next_run_at__lte=now
        ).exists(),
        "one queued delivery per email": Delivery.objects.count() == messages.count() > 0,
        "every open ask in its owner's update": mentioned == expected,
        "four one-click links per ask mentioned": ActionLink.objects.count() == 4 * mentioned,
    }


# --- processes -----------------------------------------------------------------------------


def run_generate(args: argparse.Namespace) -> dict[str, Any]:
    url = database_url()
    now = dt.datetime.fromisoformat(args.now)
    benchdb.database_recreate(url)
    benchdb.django_configure(url=url, email_url="smtp://127.0.0.1:25")  # nothing is sent
    import asks_data
    from django.core.management import call_command
    from django.db import connection

    result: dict[str, Any] = {
        "command": args.command,
        "machine": benchdb.machine(),
        "now": now.isoformat(),
    }
    try:
        call_command("migrate", verbosity=0)
        result["database"] = database_version()
        say(f"{result['database']}: generating …")
        result["generate"] = generate(args, now)
        result["generate"]["analyze_s"] = asks_data.statistics_refresh()
        result["generate"]["peak_rss_mb"] = round(benchdb.peak_rss_mb(), 1)
        say(f"generated in {result['generate']['total_s']} s")
    except BaseException:
        connection.close()
        benchdb.database_drop(url)
        raise
    connection.close()
    return result


def run_measure(args: argparse.Namespace, result: dict[str, Any]) -> dict[str, Any]:
    url = database_url()
    now = dt.datetime.fromisoformat(result["now"])
    benchdb.django_configure(url=url, email_url="smtp://127.0.0.1:25")  # queued, not sent
    from django.db import connection

    try:
        say("baseline …")
        result["baseline"] = baseline()
        say("(a) weekly_updates_send …")
        result["send"] = send_all(now)
        say("(b) agenda_build for the busiest job …")
        result["agenda"] = agenda(now, result["generate"]["busiest_job"]["touchbase"])
        result["baseline"]["ms_after"] = median_ms(baseline_run, 5)
        result["checks"] = checks(now, result)
        result["peak_rss_mb"] = round(benchdb.peak_rss_mb(), 1)
        result["machine"]["load_average_at_end"] = benchdb.machine()["load_average_at_start"]
    finally:
        connection.close()
        if not args.keep:
            benchdb.database_drop(url)
    return result


def baseline_run() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, ["open"])
        cursor.fetchall()


def report(r: dict[str, Any]) -> str:
    g, s, a, b = r["generate"], r["send"], r["agenda"], r["baseline"]
    busy = g["busiest_job"]
    return "\n".join(
        [
            f"{r['database']} · now {r['now']} · load {r['machine']['load_average_at_start']}",
            f"  generate: {g['schedules']} HMs, directors and recruiters, {g['jobs']} jobs, "
            f"{g['applications_rows']:,} applications, {g['stage_changes_rows']:,} stage "
            f"changes, {g['asks_rows']:,} asks ({b['open_asks']:,} open), each person's "
            f"schedule due; in {g['total_s']} s",
            f"  baseline (raw SQL, open asks per HM, {b['managers_owing']} HMs): best "
            f"{b['ms']['best']} ms, median {b['ms']['median']} ms",
            f"  (a) weekly_updates_send: {s['handled']} updates in {s['seconds']} s "
            f"(CPU {s['cpu_seconds']} s, {s['calls']} step calls); per update ms mean "
            f"{s['per_update_ms']['mean']}, median {s['per_update_ms']['median']}, p95 "
            f"{s['per_update_ms']['p95']}, max {s['per_update_ms']['max']}; queries per "
            f"update mean {s['queries_per_update']['mean']}, median "
            f"{s['queries_per_update']['median']}, max {s['queries_per_update']['max']} "
            f"({s['statements_total']:,} SQL statements in all); peak RSS {s['peak_rss_mb']} MB",
            f"  (b) agenda_build, busiest job ({busy['applications']} applications, "
            f"{busy['open_asks']} open asks): best {a['ms']['best']} ms, median "
            f"{a['ms']['median']} ms, {a['queries']} queries; items {a['items']}",
            f"  peak RSS: generating {g['peak_rss_mb']} MB · measuring {r['peak_rss_mb']} MB",
            "  checks: "
            + ", ".join(f"{name} {'ok' if ok else 'FAILED'}" for name, ok in r["checks"].items()),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.command = args.command or " ".join(
        ["uv run python bench/weekly_updates.py", *sys.argv[1:]]
    )
    if args.asks + args.answered > args.applications:
        raise SystemExit("--asks + --answered cannot exceed --applications.")
    kind = "postgresql" if benchdb.is_postgres(database_url()) else "sqlite"
    out = args.json or benchdb.OUT / f"weekly_updates-{kind}.json"
    if args.phase == "generate":
        out.write_text(json.dumps(run_generate(args), indent=2))
        return 0
    if args.phase == "measure":
        out.write_text(json.dumps(run_measure(args, json.loads(out.read_text())), indent=2))
        return 0
    benchdb.database_guard(database_url())
    benchdb.OUT.mkdir(parents=True, exist_ok=True)
    common = [
        "--managers", str(args.managers), "--jobs-per-manager", str(args.jobs_per_manager),
        "--applications", str(args.applications), "--asks", str(args.asks),
        "--answered", str(args.answered), "--now", args.now, "--seed", str(args.seed),
        "--json", str(out), "--command", args.command,
    ]  # fmt: skip
    subprocess.run([sys.executable, __file__, "--phase", "generate", *common], check=True)
    keep = ["--keep"] if args.keep else []
    subprocess.run([sys.executable, __file__, "--phase", "measure", *common, *keep], check=True)
    result = json.loads(out.read_text())
    print(report(result), flush=True)
    return 0 if all(result["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
