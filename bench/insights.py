"""Insights benchmark: the responsiveness selector against the same figures in hand-written SQL.

    uv run python bench/insights.py                       # SQLite file under bench/out/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_bench uv run python bench/insights.py
    uv run python bench/insights.py --asks 20000 --repeat 3   # a quick look

On a fresh database (dropped and re-created; a PostgreSQL one's name must contain "bench"),
migrated here, the engine benchmark's generator (bench/asks_data.py) writes the people and
jobs (`--owners` hiring managers, their directors and recruiters, three jobs each); then N
asks are inserted in batches, spread over the last 180 days: 90% answered (a response time
drawn from a log-normal around a business day, due two days after opening, closed a little
later in wall-clock time than its response time), the rest open, a tenth of those overdue,
5% escalated.

It times, over the last 90 days and every person:

  selector  `insights.selectors.responsiveness` as the admins' table calls it (three queries:
            counts, percentile ranks, snoozes);
  by hand   one SQL statement per database for the same counts and percentiles: PostgreSQL's
            `percentile_cont` inside a GROUP BY; on SQLite (no percentile function) the same
            window-rank statement the selector builds, written out.

Both are run `--repeat` times; the table reports the median and the worst, the queries, and
the ratio selector / by hand. The results are compared figure by figure (they must agree)
and the EXPLAIN of the hand-written statement is printed. Results:
bench/out/insights-<database>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import benchdb  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
PERIOD_DAYS = 90
DAY = 8 * 3600  # one business day of a 09:00-17:00 calendar, in seconds
COLUMNS = [
    "id", "kind", "subject", "title", "owner_id", "job_id", "status", "opened_at", "due_at",
    "steps_done", "level", "policy", "snooze_reason", "closed_via", "held_for_id",
    "held_seconds", "closed_at", "closed_by_id", "response_seconds",
]  # fmt: skip

PG_SQL = """
SELECT owner_id,
       COUNT(*) FILTER (WHERE answered) AS answered,
       COUNT(*) FILTER (WHERE answered AND closed_at <= due_at) AS within,
       COUNT(*) FILTER (WHERE NOT answered) AS open,
       COUNT(*) FILTER (WHERE NOT answered AND held_at IS NULL AND due_at <= %(now)s) AS overdue,
       COUNT(*) FILTER (WHERE level > 0) AS escalated,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY response_seconds)
           FILTER (WHERE answered AND response_seconds IS NOT NULL) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY response_seconds)
           FILTER (WHERE answered AND response_seconds IS NOT NULL) AS p90
FROM (SELECT *, status = 'done' AS answered FROM followups_ask
      WHERE (status = 'done' AND closed_at >= %(start)s AND closed_at < %(end)s)
         OR status = 'open') asks
GROUP BY owner_id
"""

SQLITE_COUNTS = """
SELECT owner_id,
       SUM(status = 'done') AS answered,
       SUM(status = 'done' AND closed_at <= due_at) AS within,
       SUM(status = 'open') AS open,
       SUM(status = 'open' AND held_at IS NULL AND due_at <= %(now)s) AS overdue,
       SUM(level > 0) AS escalated
FROM followups_ask
WHERE (status = 'done' AND closed_at >= %(start)s AND closed_at < %(end)s) OR status = 'open'
GROUP BY owner_id
"""
SQLITE_RANKS = """
SELECT owner_id, rank, size, response_seconds FROM (
  SELECT owner_id, response_seconds,
         ROW_NUMBER() OVER (PARTITION BY owner_id ORDER BY response_seconds, id) AS rank,
         COUNT(*) OVER (PARTITION BY owner_id) AS size
  FROM followups_ask
  WHERE status = 'done' AND closed_at >= %(start)s AND closed_at < %(end)s
    AND response_seconds IS NOT NULL)
WHERE rank IN ((size - 1) * 5 / 10 + 1, ((size - 1) * 5 + 9) / 10 + 1,
               (size - 1) * 9 / 10 + 1, ((size - 1) * 9 + 9) / 10 + 1)
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--asks", type=int, default=1_000_000)
    parser.add_argument("--owners", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--template", help=benchdb.TEMPLATE_HELP)
    parser.add_argument("--json", type=Path, help="also write the result here")
    return parser.parse_args(argv)


def _ask_row(ask_id: int, rng: random.Random, jobs: list[tuple[int, int]]) -> tuple:
    job_id, owner_id = jobs[rng.randrange(len(jobs))]
    opened = NOW - dt.timedelta(seconds=rng.uniform(0, 180 * 86400))
    due = opened + dt.timedelta(days=2)
    level = 1 if rng.random() < 0.05 else 0
    common = (
        ask_id, "review_submission", f"bench:{ask_id}", f"Review {ask_id}", owner_id, job_id,
    )  # fmt: skip
    if rng.random() < 0.1 and opened > NOW - dt.timedelta(days=5):
        return (*common, "open", opened, due, 0, level, "{}", "", "", None, 0, None, None, None)
    response = int(rng.lognormvariate(math.log(DAY), 0.9))
    closed = opened + dt.timedelta(seconds=response * 3)  # nights and weekends between
    return (
        *common, "done", opened, due, 1, level, "{}", "", "web", None, 0, closed, owner_id,
        response,
    )  # fmt: skip


def data_create(n_asks: int, owners: int, seed: int) -> dict[str, Any]:
    import asks_data

    from closeloop.followups.models import Ask
    from closeloop.jobs.models import Job

    rng = random.Random(seed)
    begin = time.perf_counter()
    managers, recruiters = asks_data.people_create(owners=owners)
    asks_data.jobs_create(owners=managers, recruiters=recruiters)
    jobs = list(Job.objects.values_list("pk", "hiring_manager_id"))
    rows: Iterator[tuple] = (_ask_row(i, rng, jobs) for i in range(1, n_asks + 1))
    with asks_data.bulk_load():
        inserted = asks_data.rows_insert("followups_ask", COLUMNS, rows)
    asks_data.sequences_reset(Ask)
    statistics_s = asks_data.statistics_refresh()
    return {
        "asks": inserted,
        "load_s": round(time.perf_counter() - begin, 1),
        "analyze_s": statistics_s,
    }


def _params() -> dict[str, Any]:
    from closeloop.insights.selectors import Period

    period = Period(NOW - dt.timedelta(days=PERIOD_DAYS), NOW)
    return {"start": period.start, "end": period.end, "now": NOW, "period": period}


def selector_run() -> dict[int, tuple]:
    from closeloop.insights.selectors import responsiveness

    found = responsiveness(period=_params()["period"], now=NOW)
    return {
        owner: (f.answered, f.within, f.open, f.overdue, f.escalated, f.median_seconds,
                f.p90_seconds)
        for (owner, _kind), f in found.items()
    }  # fmt: skip


def _fetch(sql: str) -> list[tuple]:
    from django.db import connection

    params = {key: value for key, value in _params().items() if key != "period"}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def by_hand_run() -> dict[int, tuple]:
    from django.db import connection

    if connection.vendor == "postgresql":
        return {row[0]: (*row[1:6], _float(row[6]), _float(row[7])) for row in _fetch(PG_SQL)}
    from closeloop.insights.selectors import _percentiles

    percentiles = _percentiles(_fetch(SQLITE_RANKS))
    return {
        row[0]: (*row[1:6], *percentiles.get((row[0],), (None, None)))
        for row in _fetch(SQLITE_COUNTS)
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _timed(run: Callable[[], Any], repeat: int) -> tuple[dict[str, float], Any, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds = []
    result: Any = None
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            result = run()
            seconds.append(time.perf_counter() - begin)
        queries = len(captured)
    timing = {"median_ms": statistics.median(seconds) * 1000, "worst_ms": max(seconds) * 1000}
    return timing, result, queries


def _agree(mine: dict[int, tuple], theirs: dict[int, tuple]) -> None:
    """Every owner's figures the same both ways (percentiles to a millisecond)."""
    for owner in mine.keys() | theirs.keys():
        a, b = mine.get(owner), theirs.get(owner)
        if a is None or b is None:
            raise benchdb.BenchError(f"owner {owner}: only one side has figures")
        same = a[:5] == tuple(int(x) for x in b[:5]) and all(
            (x is None and y is None) or abs(x - y) < 1e-3
            for x, y in zip(a[5:], b[5:], strict=True)
        )
        if not same:
            raise benchdb.BenchError(f"owner {owner}: selector {a} != by hand {b}")


def explain() -> str:
    from django.db import connection

    sql = PG_SQL if connection.vendor == "postgresql" else SQLITE_RANKS
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    return "\n".join(" ".join(str(c) for c in row) for row in _fetch(prefix + sql))


def report(args: argparse.Namespace, result: dict[str, Any]) -> str:
    rows = [
        "| run | median ms | worst ms | queries |",
        "|---|---:|---:|---:|",
    ]
    for name in ("selector", "by_hand"):
        r = result[name]
        rows.append(f"| {name} | {r['median_ms']:.0f} | {r['worst_ms']:.0f} | {r['queries']} |")
    rows.append("")
    rows.append(
        f"{result['database']}, {result['data']['asks']:,} asks, {result['people']} people "
        f"with figures; selector / by hand = {result['ratio']:.2f}"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = benchdb.database_url(os.environ.get("DATABASE_URL")).replace(
        "asks_sweep.sqlite3", "insights.sqlite3"
    )
    benchdb.database_guard(url, args.template)
    benchdb.database_recreate(url, args.template)
    benchdb.django_configure(url=url, email_url="smtp://127.0.0.1:25")  # nothing is sent
    from django.db import connection

    try:
        migrated = benchdb.database_migrate(url, args.template)
        data = data_create(args.asks, args.owners, args.seed)
        selector, mine, selector_queries = _timed(selector_run, args.repeat)
        by_hand, theirs, hand_queries = _timed(by_hand_run, args.repeat)
        _agree(mine, theirs)
        result = {
            "database": connection.vendor,
            "data": data,
            **migrated,
            "people": len(mine),
            "selector": {**selector, "queries": selector_queries},
            "by_hand": {**by_hand, "queries": hand_queries},
            "ratio": selector["median_ms"] / by_hand["median_ms"],
            "machine": benchdb.machine(),
        }
        print(explain())
        table = report(args, result)
        print(table)
        out = benchdb.OUT / f"insights-{connection.vendor}"
        out.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str))
        out.with_suffix(".md").write_text(table + "\n")
        if args.json:
            args.json.write_text(json.dumps(result, indent=2, default=str))
    finally:
        connection.close()
        if not args.keep:
            benchdb.database_drop(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
