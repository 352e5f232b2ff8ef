"""Follow-up engine benchmark: N open asks, D due; time the worker's three steps end to end.

    uv run python bench/asks_sweep.py --open 1000000 --due 10000
    uv run python bench/asks_sweep.py --open 100000,1000000 --due 10000     # the comparison
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_bench uv run python bench/asks_sweep.py

On a fresh database (a SQLite file under bench/out/, or the PostgreSQL database named in
DATABASE_URL, dropped and re-created: its name must contain "bench"), migrated here, the
script generates the asks (bench/asks_data.py), then measures with the engine's own code:

  (a) `asks_advance` until it returns 0: every due ask reaches its next rung (Nudge + Notices);
  (b) `notices_compose` until 0: one message per person with everything pending for them;
  (c) `deliver_due` until 0: each message sent over SMTP to a real aiosmtpd sink (EMAIL_URL);
  (d) from due to delivered: when each due ask reached its owner's mailbox, counted from the
      start of (a) (the steps run back to back, as one worker drains a backlog).

With `--workers N` (PostgreSQL), N worker processes drain the same backlog together instead,
each running the three steps in turn as `closeloop worker` does, and (d) is timed for them:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_bench uv run python bench/asks_sweep.py \
        --open 100000 --due 10000 --workers 2

Around them it measures baselines on the same data in the same run (raw SQL counts and
updates) so the numbers mean something on a noisy machine, the EXPLAIN of the exact due-asks
query the engine runs (captured with an execute wrapper, bound parameters included), the
idle poll once nothing is due, and peak RSS. Each size runs in two child processes, one that
generates and one that measures, so the measured peak RSS is the engine's own (not the
generator's page cache). Several sizes (`--open 100000,1000000`) run one after the other and
end with a table comparing them: the proof that the sweep's cost follows the number due, not
the number open. Results go to bench/out/asks_sweep-<database>-<N>.json (and .md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import benchdb

if TYPE_CHECKING:
    from closeloop.lib.sweep import Swept

DEFAULT_NOW = "2026-11-25T14:00:00+00:00"  # a Wednesday: working time in every bench calendar


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", default="1000000", help="open asks; several: 100000,1000000")
    parser.add_argument("--due", type=int, default=10_000, help="how many of them are due")
    parser.add_argument("--owners", type=int, default=300, help="hiring managers owning the asks")
    parser.add_argument("--now", default=DEFAULT_NOW, help="the sweep's now (ISO, working time)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--json", type=Path, help="result file (one size); default bench/out/asks_sweep-*.json"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--template", help=benchdb.TEMPLATE_HELP)
    parser.add_argument(
        "--workers", type=int, default=1,
        help="worker processes draining the backlog together (2 or more: PostgreSQL, one size)",
    )  # fmt: skip
    # Internal: the parent runs each size as a generating, then a measuring child process.
    parser.add_argument(
        "--phase", choices=["all", "generate", "measure"], default="all", help=argparse.SUPPRESS
    )
    parser.add_argument("--command", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def samples_ms(run: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of `repeat` runs after one warm-up run, in milliseconds."""
    run()
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        run()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def median_ms(run: Callable[[], object], repeat: int) -> float:
    return round(statistics.median(samples_ms(run, repeat)), 2)


def best_and_median_ms(run: Callable[[], object], repeat: int) -> dict[str, float]:
    """On a shared machine the best run is the cost; the median adds waiting for a core."""
    samples = samples_ms(run, repeat)
    return {"best": round(min(samples), 2), "median": round(statistics.median(samples), 2)}


def _scalar(sql: str, params: list[Any]) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def baselines(now: dt.datetime, due: int) -> dict[str, Any]:
    """Raw SQL on the same tables, for scale: what the database alone costs here and now."""
    from django.db import connection, transaction

    at = connection.ops.adapt_datetimefield_value(now)
    later = connection.ops.adapt_datetimefield_value(now + dt.timedelta(days=30))
    due_sql = "FROM followups_ask WHERE status = %s AND next_nudge_at <= %s"
    result: dict[str, Any] = {
        "due_rows": _scalar(f"SELECT count(*) {due_sql}", ["open", at]),
        "count_due_ms": median_ms(lambda: _scalar(f"SELECT count(*) {due_sql}", ["open", at]), 5),
        # No index leads with status: this one reads every open ask, the O(N) contrast.
        "count_open_ms": median_ms(
            lambda: _scalar("SELECT count(*) FROM followups_ask WHERE status = %s", ["open"]), 3
        ),
    }

    def update_due() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE followups_ask SET steps_done = steps_done + 1, next_nudge_at = %s "
                "WHERE status = %s AND next_nudge_at <= %s",
                [later, "open", at],
            )
            assert cursor.rowcount == due, cursor.rowcount
            transaction.set_rollback(True)  # measure the work, keep the data

    result["update_due_one_statement_ms"] = median_ms(update_due, 3)
    ids = [row[0] for row in _rows(f"SELECT id {due_sql} ORDER BY next_nudge_at", ["open", at])]

    def update_each() -> None:
        # One committed single-row UPDATE per due ask: the floor of any per-ask transaction.
        with connection.cursor() as cursor:
            for pk in ids:
                cursor.execute("UPDATE followups_ask SET level = level WHERE id = %s", [pk])

    begin = time.perf_counter()
    update_each()
    result["update_due_one_commit_each_ms"] = round((time.perf_counter() - begin) * 1000, 1)
    return result


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def explain_due(now: dt.datetime) -> dict[str, str]:
    """EXPLAIN of the very query `asks_due` sends, with its bound parameters."""
    from django.db import connection

    from closeloop.followups.engine import asks_due

    captured: list[tuple[str, Any]] = []

    def capture(execute, sql, params, many, context):  # Django's execute-wrapper signature
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        asks_due(now=now, limit=500)
    sql, params = captured[0]
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    rows = _rows(prefix + sql, list(params))
    plan = "\n".join(str(row[0] if len(row) == 1 else row[-1]) for row in rows)
    return {"query": sql, "params": repr(params), "plan": plan}


def phase(step: Callable[[], Swept]) -> dict[str, Any]:
    """Call a worker step until it reports no work, as the worker loop does."""
    calls = handled = 0
    slowest = 0.0
    server_start = benchdb.server_cpu_seconds()
    cpu = time.process_time()
    begin = time.perf_counter()
    while True:
        started = time.perf_counter()
        done = step().handled
        slowest = max(slowest, time.perf_counter() - started)
        calls += 1
        handled += done
        if not done:
            break
    seconds = time.perf_counter() - begin
    cpu = time.process_time() - cpu
    server: float | None = None
    server_end = benchdb.server_cpu_seconds()
    # A step that reconnected ran on another backend: its server time is unknown.
    if server_start is not None and server_end is not None and server_end[0] == server_start[0]:
        server = server_end[1] - server_start[1]
    return {
        "handled": handled,
        "calls": calls,
        "seconds": round(seconds, 2),
        # CPU time of this process: on a shared machine the wall time includes waiting for a
        # core; the CPU time does not (the database server's CPU is not in it on PostgreSQL).
        "cpu_seconds": round(cpu, 2),
        # Per unit of work: the fairest speed on a shared machine.
        "cpu_ms_each": round(1000 * cpu / handled, 2) if handled else None,
        # The database server's CPU for this process's connection (PostgreSQL on this machine).
        "server_cpu_ms_each": round(1000 * server / handled, 2)
        if handled and server is not None
        else None,
        "per_second": round(handled / seconds, 1) if seconds else None,
        "slowest_call_s": round(slowest, 2),
        "peak_rss_mb": round(benchdb.peak_rss_mb(), 1),
    }


# As `closeloop worker` does after a round in which no step had anything to do.
WORKER_IDLE_S = 2.0


def _backlog_drained(now: dt.datetime) -> bool:
    """Nothing due a rung, no notice waiting for its message, no message waiting to be sent."""
    from closeloop.followups.engine import asks_due
    from closeloop.followups.models import Notice
    from closeloop.notify.models import Delivery, DeliveryStatus

    return (
        not asks_due(now=now, limit=1)
        and not Notice.objects.filter(message__isnull=True).exists()
        and not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
    )


def _worker_drain(now: dt.datetime, name: str, totals: Any) -> None:
    """One worker process of `workers_drain`, looping as the worker loop does: each round
    runs the three steps once (one batch each), and a round with nothing to do waits
    WORKER_IDLE_S; it stops once the whole backlog is drained. Its counts go on `totals`."""
    from closeloop.followups.engine import asks_advance, notices_compose
    from closeloop.notify.outbox import deliver_due

    counts = {"advanced": 0, "composed": 0, "delivered": 0, "idle_waits": 0}
    while True:
        done = {
            "advanced": asks_advance(now=now).handled,
            "composed": notices_compose(now=now).handled,
            "delivered": deliver_due(worker=name).handled,
        }
        for key, value in done.items():
            counts[key] += value
        if any(done.values()):
            continue
        if _backlog_drained(now):
            break
        counts["idle_waits"] += 1
        time.sleep(WORKER_IDLE_S)
    totals.put(counts)


def workers_drain(workers: int, now: dt.datetime) -> dict[str, Any]:
    """(a)–(c) by `workers` processes at once, forked from this one (Django configured, the
    URL configuration imported): the time until the last of them stops, their CPU, and what
    each did."""
    from django.db import connections

    connections.close_all()  # each process opens its own connection
    context = multiprocessing.get_context("fork")
    totals = context.SimpleQueue()
    children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    processes = [
        context.Process(target=_worker_drain, args=(now, f"bench-{index}", totals))
        for index in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    seconds = time.perf_counter() - begin
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (used.ru_utime - children_cpu.ru_utime) + (used.ru_stime - children_cpu.ru_stime)
    if any(process.exitcode != 0 for process in processes):
        codes = [process.exitcode for process in processes]
        raise benchdb.BenchError(f"a worker process failed (exit codes {codes})")
    each = [totals.get() for _ in processes]
    return {
        "workers": workers,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "each": each,
        "advanced": sum(counts["advanced"] for counts in each),
        "composed": sum(counts["composed"] for counts in each),
        "delivered": sum(counts["delivered"] for counts in each),
    }


def end_to_end(started: dt.datetime) -> dict[str, Any]:
    """From due to delivered: every ask was due when (a) started; each is delivered when the
    message carrying its owner's notice was accepted by the sink (`sent_at`, real time).

    The three steps run back to back, as one worker drains a backlog (composing waits for
    the advance step's backlog), so this is what one worker takes from the moment D asks
    fall due to the moment the last of them reaches its owner's mailbox.
    """
    from closeloop.followups.models import Notice

    sent = list(
        Notice.objects.filter(role="owner").values_list("message__deliveries__sent_at", flat=True)
    )
    if not sent or None in sent:
        return {"asks": len(sent), "all_delivered": False}
    waits = sorted((at - started).total_seconds() for at in sent)
    return {
        "asks": len(sent),
        "all_delivered": True,
        "median_s": round(statistics.median(waits), 1),
        "p90_s": round(waits[int(len(waits) * 0.9) - 1], 1),
        "last_s": round(waits[-1], 1),
    }


def floor(result: dict[str, Any]) -> dict[str, Any]:
    """Advancing compared with the floor of one committed single-row UPDATE per due ask,
    measured in the same run (the baseline)."""
    commits_per_s = result["due"] / (result["baseline"]["update_due_one_commit_each_ms"] / 1000)
    advanced_per_s = result["sweep"]["per_second"] or 0
    return {
        "commits_per_s": round(commits_per_s, 1),
        "advance_share_pct": round(100 * advanced_per_s / commits_per_s, 1),
    }


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def checks(result: dict[str, Any], sink: benchdb.CountingSink, due: int) -> dict[str, bool]:
    """The run did what it claims: one nudge per due ask, every message sent exactly once."""
    from closeloop.followups.engine import asks_due
    from closeloop.followups.models import Notice, Nudge
    from closeloop.notify.models import Delivery, DeliveryStatus, Message

    now = dt.datetime.fromisoformat(result["now"])
    messages = Message.objects.count()
    return {
        "one nudge per due ask": Nudge.objects.count() == due == result["sweep"]["handled"],
        "nothing due after the sweep": not asks_due(now=now, limit=1),
        "every notice composed": not Notice.objects.filter(message__isnull=True).exists(),
        "one message per composed batch": messages == result["compose"]["handled"],
        "every delivery sent": Delivery.objects.filter(status=DeliveryStatus.SENT).count()
        == messages
        == Delivery.objects.count(),
        "the sink got each message once": sink.messages == len(sink.message_ids) == messages,
        "every due ask delivered to its owner": result["end_to_end"]["all_delivered"]
        and result["end_to_end"]["asks"] == due,
    }


def run_generate(args: argparse.Namespace, n_open: int) -> dict[str, Any]:
    """Child process 1: a fresh database, migrated and filled; kept for the measuring child."""
    url = benchdb.database_url(os.environ.get("DATABASE_URL"))
    now = dt.datetime.fromisoformat(args.now)
    benchdb.database_recreate(url, args.template)
    benchdb.django_configure(url=url, email_url="smtp://127.0.0.1:25")  # nothing is sent here
    import asks_data
    from django.db import connection

    asks_data.now_check(now)
    result: dict[str, Any] = {
        "command": args.command,
        "machine": benchdb.machine(),
        "open": n_open,
        "due": args.due,
        "now": now.isoformat(),
    }
    try:
        result.update(benchdb.database_migrate(url, args.template))
        result["database"] = database_version()
        say(f"{result['database']}: generating {n_open:,} open asks, {args.due:,} due …")
        generated = asks_data.generate(
            n_open=n_open, n_due=args.due, now=now, owners=args.owners, seed=args.seed
        )
        generated["analyze_s"] = asks_data.statistics_refresh()
        generated["peak_rss_mb"] = round(benchdb.peak_rss_mb(), 1)
        result["generate"] = generated
        say(f"generated in {generated['total_s']} s")
    except BaseException:
        connection.close()
        benchdb.database_drop(url)
        raise
    connection.close()
    return result


def run_measure(args: argparse.Namespace, result: dict[str, Any]) -> dict[str, Any]:
    """Child process 2: the engine's three steps on the generated data, and the baselines.

    A process of its own, so its peak RSS is the engine's, not the generator's page cache.
    """
    url = benchdb.database_url(os.environ.get("DATABASE_URL"))
    now = dt.datetime.fromisoformat(result["now"])
    controller, sink, email_url = benchdb.smtp_sink_start()
    benchdb.django_configure(url=url, email_url=email_url)
    import asks_data
    from django.db import connection
    from django.utils import timezone

    from closeloop.followups.engine import asks_advance, asks_due, notices_compose
    from closeloop.followups.models import ActionLink, Notice
    from closeloop.notify.outbox import deliver_due

    asks_data.now_check(now)  # also loads the holiday calendars before anything is timed
    worker_start_up()
    try:
        say("baselines and EXPLAIN …")
        result["baseline"] = baselines(now, result["due"])
        result["explain"] = explain_due(now)
        # The engine's due-asks SELECT (one batch of 500) alone, ORM included.
        result["due_query_ms"] = best_and_median_ms(lambda: asks_due(now=now, limit=500), 10)
        started = timezone.now()
        if args.workers > 1:
            say(f"(a)–(c) by {args.workers} worker processes at once …")
            drained = workers_drain(args.workers, now)
            result["workers"] = drained
            # What the checks read: every due ask advanced once, a message per batch composed.
            result["sweep"] = {"handled": drained["advanced"]}
            result["compose"] = {"handled": drained["composed"]}
            result["notices"] = Notice.objects.count()
        else:
            say("(a) asks_advance …")
            result["sweep"] = phase(lambda: asks_advance(now=now))
            result["notices"] = Notice.objects.count()
            say("(b) notices_compose …")
            result["compose"] = phase(lambda: notices_compose(now=now))
            say("(c) deliver_due to the SMTP sink …")
            result["deliver"] = phase(lambda: deliver_due(worker="bench"))
        result["action_links"] = ActionLink.objects.count()
        result["smtp"] = {"messages": sink.messages, "megabytes": round(sink.bytes / 2**20, 1)}
        result["end_to_end"] = end_to_end(started)
        if args.workers == 1:
            result["floor"] = floor(result)
        result["idle_poll_ms"] = best_and_median_ms(lambda: asks_advance(now=now), 50)
        result["checks"] = checks(result, sink, result["due"])
        result["peak_rss_mb"] = round(benchdb.peak_rss_mb(), 1)
        result["machine"]["load_average_at_end"] = benchdb.machine()["load_average_at_start"]
    finally:
        connection.close()
        controller.stop()
        if not args.keep:
            benchdb.database_drop(url)
    return result


def worker_start_up() -> None:
    """What `closeloop worker` does before its first loop: Django's system checks, which
    import the URL configuration and with it every app's views (0.6–1.5 s of CPU once per
    process). Without this the first message composed paid for it, and the benchmark counted
    that as composing (about 5 ms per message of its 322)."""
    from closeloop.followups.management.commands.worker import Command

    Command().check(display_num_errors=False)


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def report(r: dict[str, Any]) -> str:
    """The result of one size as plain text."""
    g, b = r["generate"], r["baseline"]
    lines = [
        f"{r['database']} · {r['open']:,} open asks · {r['due']:,} due · now {r['now']}",
        f"  generate: {g['asks_rows']:,} asks in {g['asks_s']} s, "
        f"{g['applications_rows']:,} applications/candidates, {g['owners']} owners, "
        f"{g['jobs']} jobs; total {g['total_s']} s (+ ANALYZE {g['analyze_s']} s)",
        f"  baseline: count due {b['count_due_ms']} ms · count all open {b['count_open_ms']} ms"
        f" · UPDATE {b['due_rows']:,} due rows in one statement "
        f"{b['update_due_one_statement_ms']} ms · one commit each "
        f"{b['update_due_one_commit_each_ms']} ms",
    ]
    if "workers" in r:
        lines += _workers_lines(r)
    for label, key, unit in (
        ("(a) asks_advance", "sweep", "asks"),
        ("(b) notices_compose", "compose", "messages"),
        ("(c) deliver_due", "deliver", "messages"),
    ):
        p = r.get(key, {})
        if "seconds" not in p:  # several workers: their line above
            continue
        lines.append(
            f"  {label}: {p['handled']:,} {unit} in {p['seconds']} s = {p['per_second']} "
            f"{unit}/s, CPU {p['cpu_seconds']} s = {p.get('cpu_ms_each')} ms each"
            + (
                f" + {p['server_cpu_ms_each']} ms in the database server"
                if p.get("server_cpu_ms_each") is not None
                else ""
            )
            + f" ({p['calls']} calls, slowest "
            f"{p['slowest_call_s']} s, "
            f"peak RSS {p['peak_rss_mb']} MB)"
        )
    e2e, fl = r["end_to_end"], r.get("floor")
    if fl:
        lines.append(
            f"  (a) vs the floor: {fl['advance_share_pct']} % of {fl['commits_per_s']:,} "
            "single-row committed UPDATEs/s"
        )
    who = f"{r['workers']['workers']} workers" if "workers" in r else "one worker"
    lines += [
        f"  due → delivered ({who}, {e2e['asks']:,} asks): median {e2e.get('median_s')} s, "
        f"90 % {e2e.get('p90_s')} s, last {e2e.get('last_s')} s",
        f"  notices {r['notices']:,} · action links {r['action_links']:,} · SMTP "
        f"{r['smtp']['messages']:,} messages, {r['smtp']['megabytes']} MB",
        f"  due-asks SELECT (500 rows): best {r['due_query_ms']['best']} ms, median "
        f"{r['due_query_ms']['median']} ms · idle poll (nothing due): best "
        f"{r['idle_poll_ms']['best']} ms, median {r['idle_poll_ms']['median']} ms",
        f"  peak RSS: generating {g['peak_rss_mb']} MB · measuring {r['peak_rss_mb']} MB",
        f"  load average at start → end: {r['machine']['load_average_at_start']} → "
        f"{r['machine'].get('load_average_at_end')}",
        "  EXPLAIN of the due-asks query:",
        *("    " + line for line in r["explain"]["plan"].splitlines()),
        "  checks: "
        + ", ".join(f"{name} {'ok' if ok else 'FAILED'}" for name, ok in r["checks"].items()),
    ]
    return "\n".join(lines)


def _workers_lines(r: dict[str, Any]) -> list[str]:
    w = r["workers"]
    each = "; ".join(
        f"{c['advanced']:,} advanced, {c['composed']:,} composed, {c['delivered']:,} delivered"
        f" ({c['idle_waits']} idle waits of {WORKER_IDLE_S:g} s)"
        for c in w["each"]
    )
    return [
        f"  (a)–(c) by {w['workers']} worker processes: {w['advanced']:,} asks advanced, "
        f"{w['composed']:,} messages composed and {w['delivered']:,} delivered in "
        f"{w['seconds']} s, CPU {w['cpu_seconds']} s in all",
        f"    each worker: {each}",
    ]


def compare(results: list[dict[str, Any]]) -> str:
    """The sizes side by side: what grows with N, and what does not."""
    rows = [
        ("open asks", lambda r: f"{r['open']:,}"),
        ("due asks", lambda r: f"{r['due']:,}"),
        ("generate (s)", lambda r: r["generate"]["total_s"]),
        ("baseline: count all open (ms)", lambda r: r["baseline"]["count_open_ms"]),
        ("baseline: count due (ms)", lambda r: r["baseline"]["count_due_ms"]),
        ("baseline: UPDATE due, 1 statement (ms)", lambda r: r["baseline"][
            "update_due_one_statement_ms"]),
        ("baseline: UPDATE due, 1 commit each (ms)", lambda r: r["baseline"][
            "update_due_one_commit_each_ms"]),
        ("(a) asks_advance (s)", lambda r: r["sweep"]["seconds"]),
        ("(a) asks/s", lambda r: r["sweep"]["per_second"]),
        ("(a) CPU (s)", lambda r: r["sweep"]["cpu_seconds"]),
        ("(a) share of the 1-commit-each floor (%)", lambda r: r["floor"]["advance_share_pct"]),
        ("(b) notices_compose (s)", lambda r: r["compose"]["seconds"]),
        ("(b) messages/s", lambda r: r["compose"]["per_second"]),
        ("(b) CPU (s)", lambda r: r["compose"]["cpu_seconds"]),
        ("(b) CPU per message (ms)", lambda r: r["compose"].get("cpu_ms_each")),
        ("(b) database server CPU per message (ms)", lambda r: r["compose"].get(
            "server_cpu_ms_each")),
        ("(c) deliver_due (s)", lambda r: r["deliver"]["seconds"]),
        ("(c) messages/s", lambda r: r["deliver"]["per_second"]),
        ("(c) CPU (s), sink included", lambda r: r["deliver"]["cpu_seconds"]),
        ("messages sent", lambda r: r["smtp"]["messages"]),
        ("due → delivered, last ask (s)", lambda r: r["end_to_end"].get("last_s")),
        ("due → delivered, median ask (s)", lambda r: r["end_to_end"].get("median_s")),
        ("due-asks SELECT, 500 rows: best (ms)", lambda r: r["due_query_ms"]["best"]),
        ("idle poll, nothing due: best (ms)", lambda r: r["idle_poll_ms"]["best"]),
        ("peak RSS while measuring (MB)", lambda r: r["peak_rss_mb"]),
        ("peak RSS while generating (MB)", lambda r: r["generate"]["peak_rss_mb"]),
    ]  # fmt: skip
    header = "| | " + " | ".join(f"N = {r['open']:,}" for r in results) + " |"
    lines = [header, "|---" * (len(results) + 1) + "|"]
    lines += [
        f"| {name} | " + " | ".join(str(get(r)) for r in results) + " |" for name, get in rows
    ]
    return "\n".join(lines)


def result_path(size: int | None = None) -> Path:
    """bench/out/asks_sweep-<database>-<size>.json, or the comparison's .md without a size."""
    url = benchdb.database_url(os.environ.get("DATABASE_URL"))
    kind = "postgresql" if benchdb.is_postgres(url) else "sqlite"
    if size is None:
        return benchdb.OUT / f"asks_sweep-{kind}.md"
    return benchdb.OUT / f"asks_sweep-{kind}-{size}.json"


def run_sizes(args: argparse.Namespace, sizes: list[int]) -> list[dict[str, Any]]:
    """Each size in two child processes (generate, then measure): fresh database each time,
    and the measuring process's memory is the engine's alone."""
    results = []
    for size in sizes:
        out = args.json if args.json and len(sizes) == 1 else result_path(size)
        common = ["--open", str(size), "--due", str(args.due), "--owners", str(args.owners),
                  "--now", args.now, "--seed", str(args.seed), "--json", str(out),
                  "--workers", str(args.workers), "--command", args.command]  # fmt: skip
        if args.template:
            common += ["--template", args.template]
        subprocess.run([sys.executable, __file__, "--phase", "generate", *common], check=True)
        measure = [sys.executable, __file__, "--phase", "measure", *common]
        subprocess.run(measure + (["--keep"] if args.keep else []), check=True)
        result = json.loads(out.read_text())
        print(report(result), flush=True)
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.command = args.command or " ".join(["uv run python bench/asks_sweep.py", *sys.argv[1:]])
    sizes = [int(size.replace("_", "")) for size in args.open.split(",")]
    if any(args.due > size for size in sizes):
        raise SystemExit("--due cannot exceed --open.")
    if args.workers < 1:
        raise SystemExit("--workers must be 1 or more.")
    if args.workers > 1 and len(sizes) > 1:
        raise SystemExit("--workers takes one size (--open 100000).")
    if args.workers > 1 and not benchdb.is_postgres(
        benchdb.database_url(os.environ.get("DATABASE_URL"))
    ):
        raise SystemExit(
            "Several workers need PostgreSQL (row locks, SKIP LOCKED): set DATABASE_URL."
        )
    if args.phase == "generate":
        args.json.write_text(json.dumps(run_generate(args, sizes[0]), indent=2))
        return 0
    if args.phase == "measure":
        result = run_measure(args, json.loads(args.json.read_text()))
        args.json.write_text(json.dumps(result, indent=2))
        return 0
    benchdb.database_guard(benchdb.database_url(os.environ.get("DATABASE_URL")), args.template)
    results = run_sizes(args, sizes)
    if len(results) > 1:
        summary = compare(results)
        print("\n" + summary)
        result_path().write_text("\n\n".join([summary, *(report(r) for r in results)]) + "\n")
    return 0 if all(all(r["checks"].values()) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
