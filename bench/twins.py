"""Plumbing for the benchmarks that time a selector against the same figures written by hand
in SQL (`insights_waits.py`, `insights_funnel.py`): the arguments, timing a run, reading a
statement's rows, and the table that stops when the two sides disagree."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# (what is measured, the selector's run, the hand-written run, the figures of a result)
Twin = tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any], Any]]


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--admin", default="admin0@bench.example")
    return parser.parse_args()


@dataclass(frozen=True)
class Start:
    """What every twin measures with: the arguments, the admin who reads, now, the last 90 days."""

    args: argparse.Namespace
    admin: Any
    now: dt.datetime
    period: Any


def start(description: str) -> Start:
    """Arguments read, Django set up on DATABASE_URL (PostgreSQL only), the admin found."""
    args = parse_args(description)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")
    import django

    django.setup()
    from django.utils import timezone

    from closeloop.accounts.models import User
    from closeloop.insights.selectors import Period

    require_postgresql()
    now = timezone.now()
    admin = User.objects.get(email=args.admin)
    return Start(args, admin, now, Period(now - dt.timedelta(days=90), now))


def timed(run: Callable[[], Any], repeat: int) -> tuple[dict[str, float], Any, int]:
    """The median and worst of `repeat` runs after a warm one, the last result, its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, result, queries = [], None, 0
    run()  # warm: plans and caches, as a second visit of the page
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            result = run()
            times.append((time.perf_counter() - begin) * 1000)
        queries = len(captured)
    return {"median": statistics.median(times), "worst": max(times)}, result, queries


def sql_rows(sql: str, params: dict[str, Any]) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def require_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The hand-written statements are PostgreSQL's: set DATABASE_URL.")


def twins_print(twins: Sequence[Twin], repeat: int) -> None:
    """Time each pair and print the table; stop when a pair's figures differ."""
    from django.db import connection

    print("| figures | selector median / worst | queries | by hand median / worst | queries "
          "| ratio |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|")
    for name, selector, by_hand, figures in twins:
        mine, found, queries = timed(selector, repeat)
        theirs, expected, hand_queries = timed(by_hand, repeat)
        if figures(found) != figures(expected):
            raise SystemExit(f"{name}: the figures differ from the hand-written ones")
        print(f"| {name} | {mine['median']:.0f} / {mine['worst']:.0f} ms | {queries} "
              f"| {theirs['median']:.0f} / {theirs['worst']:.0f} ms | {hand_queries} "
              f"| {mine['median'] / theirs['median']:.2f} |")  # fmt: skip
    print(f"\n{os.getloadavg()[0]:.1f} load average; {connection.vendor}")
