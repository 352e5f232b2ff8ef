"""Page benchmark: Closeloop's busiest pages at a real organisation's size, against a ceiling.

    uv run python bench/pages.py                                   # 100,000 candidates, SQLite
    uv run python bench/pages.py --candidates 10000,100000         # the growth comparison
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_bench uv run python bench/pages.py

On a fresh database (a SQLite file under bench/out/, or the PostgreSQL database named in
DATABASE_URL, dropped and re-created: its name must contain "bench"), migrated here, a child
process generates an organisation (bench/pages_data.py: 1,000 jobs, ~350 people, N
candidates, one job with 2,000 applications, a busy hiring manager and a busy recruiter).
A second child process measures each page as its persona sees it:

  1. In process, through Django's test client with the real settings: status, size, the
     queries per request (CaptureQueriesContext: the session and user lookups included) and
     their SQL time, and the time of one request alone (best of 3 after a warm-up;
     --repeat).
  2. Served: granian with 2 workers and 4 threads each, started as `closeloop serve` starts
     it, on the product's settings (DEBUG off, the bench database). wrk drives each page at
     concurrency 8 for --seconds with the persona's session cookie, after a warm-up: req/s,
     p50/p99 latency, and the CPU the server processes (and, on PostgreSQL, the database's
     backends) spent per request.

The ceiling is a view doing one small ORM query behind the same middleware, sessions and auth
(bench/pages_urls.py, served only here through bench/pages_settings.py); it is measured first
and last in the same run, and each page's req/s is reported as a share of it. With several
sizes the report ends with the growth of each page's cost. Results go to
bench/out/pages-<database>-<N>.{json,md}, and the comparison to bench/out/pages-<database>.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import benchdb
from asks_sweep import database_version, say

BENCH = Path(__file__).resolve().parent
CONCURRENCY = 8
WRK_THREADS = 2
WORKERS = 2
THREADS = 4  # per worker: `closeloop serve`'s default (WEB_THREADS)
SESSION_COOKIE = "sessionid"
# wrk prints its own summary; this adds one JSON line the script reads (latencies in µs).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, '
    .. '"read": %d, "write": %d, "status": %d, "timeout": %d}, "latency_us": {"min": %d, '
    .. '"max": %d, "mean": %.1f, "p50": %d, "p90": %d, "p99": %d}}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.min, latency.max, latency.mean, latency:percentile(50),
    latency:percentile(90), latency:percentile(99)))
end
"""


@dataclass
class Page:
    key: str
    label: str
    persona: str
    path: str


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", default="100000", help="several: 10000,100000")
    parser.add_argument("--big-job", type=int, default=2000, help="applications on the big job")
    parser.add_argument("--seconds", type=float, default=10, help="load per page; 0: no load")
    parser.add_argument(
        "--min-requests",
        type=int,
        default=5 * CONCURRENCY,
        help="a page finishing fewer in --seconds is run again, longer",
    )
    parser.add_argument("--max-seconds", type=float, default=120, help="the longest such run")
    parser.add_argument(
        "--warmup", type=float,
        help="load on each page before it is measured (default: a fifth of --seconds, at "
        "least 1; 0: none)",
    )  # fmt: skip
    parser.add_argument("--pages", help="only these pages (keys, comma-separated)")
    parser.add_argument(
        "--repeat", type=int, default=3,
        help="timed requests of each page in process, after its warm-up (the best is kept)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--closed-asks", type=int, default=0,
        help="answered asks of history for the insights pages (the issue's size: 1000000)",
    )  # fmt: skip
    parser.add_argument(
        "--events", type=int, default=0, help="activity events in all with the history (5000000)"
    )
    parser.add_argument("--history-days", type=int, default=365, help="the history's span")
    parser.add_argument("--json", type=Path, help="result file (one size)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--template", help=benchdb.TEMPLATE_HELP)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database an earlier --keep run left (one size), without generating",
    )
    parser.add_argument(
        "--phase", choices=["all", "generate", "measure"], default="all", help=argparse.SUPPRESS
    )
    parser.add_argument("--command", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat: at least 1 timed request a page")
    return args


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{benchdb.OUT / 'pages.sqlite3'}"


def database_kind() -> str:
    return "postgresql" if benchdb.is_postgres(database_url()) else "sqlite"


def django_setup(url: str) -> None:
    """Closeloop's settings plus the ceiling's urlconf, on the bench database."""
    sys.path.insert(0, str(BENCH))
    os.environ["DJANGO_SETTINGS_MODULE"] = "pages_settings"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CLOSELOOP_DATA_DIR", str(benchdb.OUT))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


# --- generating ----------------------------------------------------------------------------


def run_generate(args: argparse.Namespace, candidates: int) -> dict[str, Any]:
    """Child process 1: a fresh database, migrated and filled; kept for the measuring child."""
    url = database_url()
    benchdb.database_recreate(url, args.template)
    benchdb.OUT.mkdir(parents=True, exist_ok=True)
    django_setup(url)
    import asks_data
    import history_data
    import pages_data
    from django.db import connection
    from django.utils import timezone

    result: dict[str, Any] = {
        "command": args.command,
        "machine": benchdb.machine(),
        "product": product_version(),
    }
    try:
        result.update(benchdb.database_migrate(url, args.template))
        result["database"] = database_version()
        say(f"{result['database']}: generating {candidates:,} candidates …")
        now = timezone.now()

        def history(org: Any, rng: Any) -> dict[str, Any]:
            return history_data.history_generate(
                org, closed=args.closed_asks, events=args.events, days=args.history_days,
                now=now, rng=rng,
            )  # fmt: skip

        generated = pages_data.generate(
            candidates=candidates, big_job=args.big_job, now=now, seed=args.seed,
            history=history if args.closed_asks or args.events else None,
        )  # fmt: skip
        generated["analyze_s"] = asks_data.statistics_refresh()
        generated["peak_rss_mb"] = round(benchdb.peak_rss_mb(), 1)
        result["generate"] = generated
        say(f"generated in {generated['total_s']} s (+ ANALYZE {generated['analyze_s']} s)")
    except BaseException:
        connection.close()
        benchdb.database_drop(url)
        raise
    connection.close()
    return result


def product_version() -> dict[str, Any]:
    """Which code was measured: the commit, and how many files under src/ differ from it."""
    import closeloop

    root = Path(closeloop.__file__).resolve().parents[2]

    def git(*command: str) -> str:
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *command], capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return ""
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "src")
    return {
        "source": str(root),
        "commit": git("rev-parse", "HEAD") or None,
        "changed_files_in_src": len(changed.splitlines()) if changed else 0,
    }


# --- measuring in process ------------------------------------------------------------------


def pages_for(generated: dict[str, Any]) -> list[Page]:
    from django.urls import reverse

    big, candidate = generated["big_job"]["id"], generated["candidate_page"]
    application = generated["application_page"]
    return [
        Page("ceiling", "Ceiling: one query, same middleware", "busy_recruiter",
             reverse("bench-ceiling")),
        Page("queue_hm", "My queue, busy hiring manager", "busy_hm", reverse("pipeline:queue")),
        Page("queue_recruiter", "My queue, busy recruiter", "busy_recruiter",
             reverse("pipeline:queue")),
        Page("jobs_admin", "Jobs list, admin (1,000 jobs)", "admin", reverse("jobs:job-list")),
        Page("jobs_recruiter", "Jobs list, busy recruiter", "busy_recruiter",
             reverse("jobs:job-list")),
        Page("board", f"Job board, {generated['big_job']['applications']:,} applications",
             "busy_recruiter", reverse("jobs:job-detail", args=[big])),
        # Its people pickers list everyone who may hold each role: the form grows with the
        # organisation's people, not its candidates.
        Page("job_form", f"Job form, admin ({generated['people']:,} people)", "admin",
             reverse("jobs:job-edit", args=[big])),
        Page("candidate", "Candidate page", "busy_recruiter",
             reverse("pipeline:candidate-detail", args=[candidate])),
        Page("application", "Application page (busy HM)", "busy_hm",
             reverse("pipeline:application-detail", args=[application])),
        Page("insights_jobs", "Insights: every job side by side, admin", "admin",
             reverse("insights:jobs") + "?status=all"),
        Page("insights_funnel", f"Insights: funnel of the {generated['big_job']['applications']:,}"
             "-application job", "busy_recruiter", reverse("insights:job-funnel", args=[big])),
        Page("insights_waits", "Insights: longest waits and waits summed, admin", "admin",
             reverse("insights:waits")),
        Page("insights_people", "Insights: responsiveness by person, admin", "admin",
             reverse("insights:people")),
        Page("insights_record", "Insights: my record, busy hiring manager", "busy_hm",
             reverse("insights:my-record")),
        # The three above whose figures are kept a few minutes once counted (insights.kept),
        # counted again on every request: what the first reader after the minutes pays.
        Page("insights_jobs_recount", "Insights: every job side by side, counted again",
             "admin", reverse("insights:jobs") + "?status=all&recount=1"),
        Page("insights_waits_recount", "Insights: the waits, counted again", "admin",
             reverse("insights:waits") + "?recount=1"),
        Page("insights_people_recount", "Insights: responsiveness by person, counted again",
             "admin", reverse("insights:people") + "?recount=1"),
    ]  # fmt: skip


def clients_create(personas: dict[str, int]) -> dict[str, Any]:
    """A logged-in test client per persona; its session (a row in the database's session
    table, as a login writes it) is also the cookie the load generator sends."""
    from django.test import Client

    from closeloop.accounts.models import User

    clients = {}
    for role, pk in personas.items():
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True)
        client.force_login(
            User.objects.get(pk=pk), backend="closeloop.accounts.backends.SessionUserBackend"
        )
        clients[role] = client
    return clients


def in_process(page: Page, client: Any, repeat: int = 3) -> dict[str, Any]:
    """One request alone: status, size, and the fastest of `repeat` runs after a warm-up,
    with its queries and their SQL time, and the least CPU time this process spent on one
    of them (Python and, on SQLite, the database; other processes on a busy machine do not
    count in it, as they do in the wall-clock time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(page.path)  # warm: templates compiled, per-process caches filled
    runs, cpu = [], []
    for _ in range(repeat):
        connection.queries_log.clear()  # CaptureQueriesContext counts by the log's length
        with CaptureQueriesContext(connection) as queries:
            begin, cpu_begin = time.perf_counter(), time.process_time()
            response = client.get(page.path)
            ms = (time.perf_counter() - begin) * 1000
            cpu.append((time.process_time() - cpu_begin) * 1000)
        # Read now: the next request empties the connection's log, and the capture with it.
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        runs.append((ms, len(queries), sql_ms, response))
    ms, count, sql_ms, response = min(runs, key=lambda run: run[0])
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": count,
        "sql_ms": round(sql_ms, 1),
        "best_ms": round(ms, 1),
        "median_ms": round(statistics.median(run[0] for run in runs), 1),
        "cpu_ms": round(min(cpu), 1),
    }


# --- serving and load ----------------------------------------------------------------------


def _cpu_ticks(pids: list[int]) -> dict[int, int]:
    """CPU time (clock ticks) used so far by each of the processes still running."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


def cpu_spent(before: dict[int, int], after: dict[int, int]) -> tuple[int, bool]:
    """Ticks spent between two readings, and whether it is complete: a process that ended
    in between (a database connection past CONN_MAX_AGE) took its last ticks with it."""
    spent = sum(ticks - before.get(pid, 0) for pid, ticks in after.items())
    return spent, set(before) <= set(after)


def _processes(match: Any) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if match(entry):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class Server:
    """granian serving the product, as `closeloop serve` starts it, in its own process group."""

    def __init__(self, *, url: str, log: Path) -> None:
        from closeloop.ops.processes import granian_command

        self.port = benchdb.free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pages_settings", "DATABASE_URL": url}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH), env.get("PYTHONPATH")]))
        # Production's settings: DEBUG off, email on (nothing is sent by a page), INFO logs.
        env["EMAIL_URL"] = "smtp://127.0.0.1:25"
        for name in ("DEBUG", "LOG_LEVEL", "CLOSELOOP_DEMO"):
            env.pop(name, None)
        self.command = granian_command(
            host="127.0.0.1", port=self.port, workers=WORKERS, threads=THREADS
        )
        self.log = log.open("w")
        self.process = subprocess.Popen(
            self.command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.database = url.rsplit("/", 1)[-1] if benchdb.is_postgres(url) else ""

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise benchdb.BenchError(f"granian exited with {self.process.returncode}")
            try:
                self.get(path, cookie="")
                return
            except OSError:
                time.sleep(0.3)
        raise benchdb.BenchError(f"granian did not answer within {timeout} s")

    def get(self, path: str, cookie: str) -> tuple[int, int]:
        """(status, body bytes) of one request, redirects not followed."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response.status, len(response.read())
        finally:
            conn.close()

    def server_pids(self) -> list[int]:
        """The granian processes: every process in the group it leads."""
        pgid = self.process.pid
        return _processes(
            lambda e: int((e / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid
        )

    def database_pids(self) -> list[int]:
        """PostgreSQL's backends serving the bench database (none for SQLite: in process)."""
        if not self.database:
            return []
        marker = f" {self.database} ".encode()
        return _processes(
            lambda e: (
                (e / "cmdline").read_bytes().startswith(b"postgres: ")
                and marker in (e / "cmdline").read_bytes()
            )
        )

    def cpu(self) -> tuple[dict[int, int], dict[int, int]]:
        return _cpu_ticks(self.server_pids()), _cpu_ticks(self.database_pids())

    def wait_idle(self, timeout: float = 300) -> float:
        """Wait until requests the load generator abandoned at its deadline are done: the
        server and its database backends use under 5% of a core for half a second."""
        begin = time.monotonic()
        tick = os.sysconf("SC_CLK_TCK")
        while time.monotonic() - begin < timeout:
            before = self.cpu()
            time.sleep(0.5)
            after = self.cpu()
            spent = cpu_spent(before[0], after[0])[0] + cpu_spent(before[1], after[1])[0]
            if spent <= 0.025 * tick:
                break
        return round(time.monotonic() - begin, 1)

    def stop(self) -> None:
        import signal

        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def wrk(server: Server, page: Page, cookie: str, seconds: float, script: Path) -> dict[str, Any]:
    """wrk at concurrency 8 on one page; its numbers, and the CPU the server spent per request.

    CPU is counted from the start until the server is idle again, and shared over the
    requests wrk completed plus the 8 it left in flight at its deadline (the server finishes
    those too): every request the server ran in that span.
    """
    command = [
        "wrk", "-t", str(WRK_THREADS), "-c", str(CONCURRENCY), "-d", f"{seconds:g}s",
        "--timeout", "120s", "-s", str(script), "-H", f"Cookie: {SESSION_COOKIE}={cookie}",
        f"http://127.0.0.1:{server.port}{page.path}",
    ]  # fmt: skip
    app_before, db_before = server.cpu()
    load_before = os.getloadavg()[0]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    load_after = os.getloadavg()[0]
    idle_after = server.wait_idle()
    app_after, db_after = server.cpu()
    line = next(x for x in finished.stdout.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    requests = raw["requests"]
    # No request finished (a page slower than the run): no latency to speak of.
    latency = raw["latency_us"] if requests else dict.fromkeys(raw["latency_us"])
    seconds_run = raw["duration_us"] / 1e6
    per_request = 1000 / os.sysconf("SC_CLK_TCK") / (requests + CONCURRENCY)
    app_spent, app_complete = cpu_spent(app_before, app_after)
    db_spent, db_complete = cpu_spent(db_before, db_after)
    db_cpu = round(db_spent * per_request, 1) if server.database else None
    return {
        "requests": requests,
        "seconds": round(seconds_run, 2),
        "rps": round(requests / seconds_run, 2) if seconds_run else 0,
        **{
            f"{name}_ms": round(latency[name] / 1000, 1) if requests else None
            for name in ("p50", "p90", "p99", "max")
        },
        "bytes_per_response": round(raw["bytes"] / requests) if requests else 0,
        "errors": raw["errors"],
        "app_cpu_ms_per_request": round(app_spent * per_request, 1),
        "db_cpu_ms_per_request": db_cpu,
        # False when a process ended meanwhile: the number above is then a little low.
        "cpu_complete": app_complete and db_complete,
        "idle_wait_after_s": idle_after,
        "load_average": [round(load_before, 2), round(load_after, 2)],
    }


def wrk_enough(
    server: Server, page: Page, cookie: str, args: argparse.Namespace, script: Path
) -> dict[str, Any]:
    """wrk for --seconds; a page too slow to finish --min-requests in that time is run again,
    longer (up to --max-seconds), so its latencies rest on enough requests."""
    seconds = args.seconds
    while True:
        measured = wrk(server, page, cookie, seconds, script)
        done = measured["requests"]
        if done >= args.min_requests or seconds >= args.max_seconds:
            return measured
        grow = 4 if not done else 1.25 * args.min_requests / done
        seconds = min(args.max_seconds, round(seconds * grow))
        say(f"    {done} requests in {measured['seconds']} s: again for {seconds} s")


def load(pages: list[Page], cookies: dict[str, str], args: argparse.Namespace) -> dict:
    """Serve, check each page answers 200 over HTTP, then load each in turn (the ceiling
    first and again last). The server's log and wrk's script go beside the result file."""
    url = database_url()
    server = Server(url=url, log=args.json.with_suffix(".server.log"))
    script = args.json.with_suffix(".wrk.lua")
    script.write_text(WRK_SCRIPT)
    warmup = max(1.0, args.seconds / 5) if args.warmup is None else args.warmup
    result: dict[str, Any] = {
        "server": " ".join(server.command[1:]), "served": {}, "wrk": {}, "warmup_s": warmup,
    }  # fmt: skip
    try:
        server.wait_ready(pages[0].path)
        for page in pages:
            status, size = server.get(page.path, cookies[page.persona])
            result["served"][page.key] = {"status": status, "bytes": size}
        if args.seconds <= 0:
            return result
        order = [*pages, pages[0]] if pages[0].key == "ceiling" else pages
        for index, page in enumerate(order):
            key = page.key if index < len(pages) else f"{page.key}_again"
            say(f"  load: {page.label} …")
            if warmup > 0:
                wrk(server, page, cookies[page.persona], warmup, script)
            measured = wrk_enough(server, page, cookies[page.persona], args, script)
            result["wrk"][key] = measured
            say(
                f"    {measured['rps']} req/s, p50 {measured['p50_ms']} ms, "
                f"p99 {measured['p99_ms']} ms ({measured['requests']} requests)"
            )
    finally:
        server.stop()
    return result


# --- the measuring process -----------------------------------------------------------------


def run_measure(args: argparse.Namespace, result: dict[str, Any]) -> dict[str, Any]:
    """Child process 2: in-process counts, then the served pages under load."""
    url = database_url()
    django_setup(url)
    from django.db import connection

    try:
        generated = result["generate"]
        pages = pages_for(generated)
        if args.pages:
            wanted = {"ceiling", *args.pages.split(",")}
            pages = [page for page in pages if page.key in wanted]
        clients = clients_create(generated["personas"])
        cookies = {role: client.cookies[SESSION_COOKIE].value for role, client in clients.items()}
        result["pages"] = {page.key: asdict(page) for page in pages}
        # The code measured (with --reuse, not the one that generated the database).
        result["product"] = product_version()
        result["machine"]["load_average_at_measure"] = benchdb.machine()["load_average_at_start"]
        say("in process: status, size, queries …")
        for page in pages:
            result["pages"][page.key]["in_process"] = in_process(
                page, clients[page.persona], args.repeat
            )
        result["facts"] = facts(generated)
        connection.close()  # the server's workers open their own connections
        say(f"serving with granian ({WORKERS} workers × {THREADS} threads) …")
        result["load"] = load(pages, cookies, args)
        result["seconds_per_page"] = args.seconds
        result["min_requests"], result["max_seconds"] = args.min_requests, args.max_seconds
        result["checks"] = checks(result)
        result["machine"]["load_average_at_end"] = benchdb.machine()["load_average_at_start"]
    finally:
        connection.close()
        if not args.keep:
            benchdb.database_drop(url)
    return result


def facts(generated: dict[str, Any]) -> dict[str, Any]:
    """What the personas' pages stand on, read back from the database."""
    from django.db.models import Count, Q

    from closeloop.followups.models import Ask
    from closeloop.jobs.models import Job
    from closeloop.pipeline.models import Application

    personas = generated["personas"]
    open_asks = dict(
        Ask.objects.filter(status="open", owner_id__in=personas.values())
        .values_list("owner_id")
        .annotate(n=Count("pk"))
    )
    big = generated["big_job"]["id"]
    return {
        "applications": Application.objects.count(),
        "open_asks": Ask.objects.filter(status="open").count(),
        "big_job_applications": Application.objects.filter(job_id=big).count(),
        "open_asks_by_persona": {role: open_asks.get(pk, 0) for role, pk in personas.items()},
        "jobs_by_persona": {
            role: Job.objects.filter(Q(recruiter_id=pk) | Q(hiring_manager_id=pk)).count()
            for role, pk in personas.items()
        },
    }


def checks(result: dict[str, Any]) -> dict[str, bool]:
    """The numbers are about the pages themselves: every page answered 200 (not a redirect to
    the login), in process and served, and under load every response was as large as the
    page (a login redirect or an error page would be far smaller), with no errors."""
    pages, load_ = result["pages"], result["load"]
    g, f = result["generate"], result["facts"]
    outcome = {
        "every page answers 200 in process": all(
            p["in_process"]["status"] == 200 for p in pages.values()
        ),
        "every page answers 200 over HTTP": all(
            s["status"] == 200 for s in load_["served"].values()
        ),
        "the big job has its applications": f["big_job_applications"]
        == g["big_job"]["applications"],
        "the busy people owe asks": f["open_asks_by_persona"]["busy_hm"] > 0
        and f["open_asks_by_persona"]["busy_recruiter"] > 0,
    }
    if load_["wrk"]:
        outcome["no errors under load"] = all(
            not any(run["errors"].values()) and run["requests"] > 0 for run in load_["wrk"].values()
        )
        outcome["every response under load was the page"] = all(
            run["bytes_per_response"] >= 0.9 * load_["served"][key.removesuffix("_again")]["bytes"]
            for key, run in load_["wrk"].items()
        )
    return outcome


# --- reporting -----------------------------------------------------------------------------


def ceiling_rps(result: dict[str, Any]) -> float | None:
    runs = [result["load"]["wrk"].get(k) for k in ("ceiling", "ceiling_again")]
    values = [run["rps"] for run in runs if run]
    return round(statistics.mean(values), 1) if values else None


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size >= 10 * 1024 else f"{size / 1024:,.1f} KB"


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return (
        f"{value / 1000:,.2f} s"
        if value >= 1000
        else f"{value:,.0f} ms"
        if value >= 10
        else f"{value:.1f} ms"
    )


def _db_cpu(run: dict[str, Any] | None) -> str:
    """A connection that closed during the run took its last CPU with it: at least this."""
    if not run or run["db_cpu_ms_per_request"] is None:
        return "–"
    return ("" if run.get("cpu_complete", True) else "≥ ") + _ms(run["db_cpu_ms_per_request"])


def _requests(run: dict[str, Any] | None) -> str:
    return f"{run['requests']:,} in {run['seconds']:.0f} s" if run else "–"


def table(result: dict[str, Any]) -> str:
    """One size: a row per page."""
    ceiling = ceiling_rps(result)
    lines = [
        "| page | size | req/s | ratio to ceiling | p50 | p99 | queries | 1 request alone "
        "(SQL) | its CPU in process | server CPU / request | DB CPU / request | requests in |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, page in result["pages"].items():
        ip = page["in_process"]
        run = result["load"]["wrk"].get(key)
        ratio = f"{run['rps'] / ceiling:.1%}" if run and ceiling and key != "ceiling" else "–"
        lines.append(
            f"| {page['label']} | {_kb(ip['bytes'])} | {run['rps'] if run else '–'} | {ratio} | "
            f"{_ms(run and run['p50_ms'])} | {_ms(run and run['p99_ms'])} | {ip['queries']} | "
            f"{_ms(ip['best_ms'])} ({_ms(ip['sql_ms'])}) | {_ms(ip.get('cpu_ms'))} | "
            f"{_ms(run and run['app_cpu_ms_per_request'])} | "
            f"{_db_cpu(run)} | {_requests(run)} |"
        )
    again = result["load"]["wrk"].get("ceiling_again")
    if again:
        lines.append(
            f"| Ceiling, again at the end | | {again['rps']} | | {_ms(again['p50_ms'])} | "
            f"{_ms(again['p99_ms'])} | | | | {_ms(again['app_cpu_ms_per_request'])} | "
            f"{_db_cpu(again)} | {_requests(again)} |"
        )
    return "\n".join(lines)


def report(result: dict[str, Any]) -> str:
    g, f, m = result["generate"], result["facts"], result["machine"]
    head = (
        f"{result['database']} · {g['candidates']:,} candidates · {f['applications']:,} "
        f"applications · {g['jobs']:,} jobs · {g['people']} people · {f['open_asks']:,} open "
        f"asks · generated in {g['total_s']} s · load average {m['load_average_at_measure']} "
        f"→ {m['load_average_at_end']}"
    )
    personas = ", ".join(
        f"{role}: {f['open_asks_by_persona'][role]} open asks, {f['jobs_by_persona'][role]} jobs"
        for role in ("busy_hm", "busy_recruiter")
    )
    seconds = result["seconds_per_page"]
    method = (
        f"granian {WORKERS} workers × {THREADS} threads · wrk concurrency {CONCURRENCY}, "
        f"{seconds:g} s per page (longer until {result['min_requests']} requests, "
        f"up to {result['max_seconds']:g} s) · ceiling {ceiling_rps(result) or '–'} req/s "
        "(mean of its first and last run)"
        if seconds > 0
        else "in process only (--seconds 0)"
    )
    code = result.get("product", {})
    commit = (code.get("commit") or "unknown")[:10]
    changed = code.get("changed_files_in_src", 0)
    code_line = f"code: {code.get('source')} at {commit}" + (
        f" with {changed} files changed under src/" if changed else ""
    )
    checks_line = ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in result["checks"].items())
    lines = [head, personas, method, code_line, "", table(result), "", "checks: " + checks_line]
    return "\n".join(lines)


def _cpu(run: dict[str, Any] | None) -> float | None:
    """Server CPU plus database CPU per request (ms)."""
    if not run:
        return None
    return run["app_cpu_ms_per_request"] + (run["db_cpu_ms_per_request"] or 0)


def _growth(first: float | None, last: float | None) -> str:
    return f"×{last / first:.1f}" if first and last else "–"


def compare(results: list[dict[str, Any]]) -> str:
    """The sizes side by side. Growth is the cost of a request at the last size over the
    first: by req/s (1 / req/s), and by CPU per request (server and database), which a busy
    machine disturbs less."""
    sizes = [f"{r['generate']['candidates']:,}" for r in results]

    def cells(values: list[str]) -> str:
        return " | ".join(values)

    header = (
        f"| page | {cells([f'req/s {s}' for s in sizes])} | growth | "
        f"{cells([f'CPU / request {s}' for s in sizes])} | CPU growth | "
        f"{cells([f'queries {s}' for s in sizes])} | {cells([f'size {s}' for s in sizes])} |"
    )
    lines = [header, "|---" * (3 + 4 * len(results)) + "|"]
    for key, page in results[-1]["pages"].items():
        runs = [r["load"]["wrk"].get(key) for r in results]
        rps = [run["rps"] if run else None for run in runs]
        cpu = [_cpu(run) for run in runs]
        lines.append(
            f"| {page['label']} | {cells([str(v) if v is not None else '–' for v in rps])} | "
            f"{_growth(rps[-1], rps[0])} | {cells([_ms(v) for v in cpu])} | "
            f"{_growth(cpu[0], cpu[-1])} | "
            f"{cells([str(r['pages'][key]['in_process']['queries']) for r in results])} | "
            f"{cells([_kb(r['pages'][key]['in_process']['bytes']) for r in results])} |"
        )
    return "\n".join(lines)


# --- processes -----------------------------------------------------------------------------


def result_path(size: int | None = None, suffix: str = ".json") -> Path:
    if size is None:
        return benchdb.OUT / f"pages-{database_kind()}.md"
    return benchdb.OUT / f"pages-{database_kind()}-{size}{suffix}"


def run_sizes(args: argparse.Namespace, sizes: list[int]) -> list[dict[str, Any]]:
    results = []
    for size in sizes:
        out = args.json if args.json and len(sizes) == 1 else result_path(size)
        common = ["--candidates", str(size), "--big-job", str(args.big_job), "--seconds",
                  str(args.seconds), "--min-requests", str(args.min_requests), "--max-seconds",
                  str(args.max_seconds), "--seed", str(args.seed), "--json", str(out),
                  "--command", args.command, "--closed-asks", str(args.closed_asks),
                  "--events", str(args.events), "--history-days", str(args.history_days),
                  "--repeat", str(args.repeat)]  # fmt: skip
        if args.pages:
            common += ["--pages", args.pages]
        if args.warmup is not None:
            common += ["--warmup", str(args.warmup)]
        if args.template:
            common += ["--template", args.template]
        if not args.reuse:
            subprocess.run([sys.executable, __file__, "--phase", "generate", *common], check=True)
        keep = ["--keep"] if args.keep else []
        subprocess.run([sys.executable, __file__, "--phase", "measure", *common, *keep], check=True)
        result = json.loads(out.read_text())
        text = report(result)
        out.with_suffix(".md").write_text(text + "\n")
        print("\n" + text + "\n", flush=True)
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.command = args.command or " ".join(["uv run python bench/pages.py", *sys.argv[1:]])
    sizes = [int(size.replace("_", "")) for size in args.candidates.split(",")]
    if args.phase == "generate":
        args.json.write_text(json.dumps(run_generate(args, sizes[0]), indent=2))
        return 0
    if args.phase == "measure":
        result = run_measure(args, json.loads(args.json.read_text()))
        args.json.write_text(json.dumps(result, indent=2))
        return 0
    benchdb.database_guard(database_url(), args.template)
    if args.seconds > 0 and shutil.which("wrk") is None:
        raise benchdb.BenchError(
            "wrk is not installed. On Debian or Ubuntu: apt-get install -y wrk (macOS: brew "
            "install wrk). Or run with --seconds 0 for the in-process numbers only."
        )
    if args.reuse and len(sizes) > 1:
        raise benchdb.BenchError("--reuse measures one kept database: give one --candidates.")
    benchdb.OUT.mkdir(parents=True, exist_ok=True)
    results = run_sizes(args, sizes)
    if len(results) > 1:
        summary = compare(results)
        print(summary)
        result_path().write_text("\n\n".join([summary, *(report(r) for r in results)]) + "\n")
    return 0 if all(all(r["checks"].values()) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
