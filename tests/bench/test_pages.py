"""bench/pages.py at toy size: the page benchmark still runs end to end and checks itself.

Not a performance test (performance is measured in bench/, never by timed assertions). It
keeps the benchmark from rotting as the pages change: real child processes generate a small
organisation (300 candidates, a "big" job of 60) on their own database (SQLite here; a
`<test db>_bench` database on the CI's PostgreSQL run, which exercises the COPY path), count
each page's queries in process (one timed request each: --repeat 1), serve the pages with
granian and fetch each one over HTTP with its persona's session. The load itself (wrk) runs
for one second on two pages, without a warm-up (--warmup 0), when wrk is installed.

The organisation is generated once: the first run keeps its database (--keep) and the second,
the load, measures it again (--reuse) and drops it, so the last test still sees the benchmark
clean up after itself. Its database starts from the session's migrated template (--template,
tests/bench/conftest.py), unless this is the session's first toy run.

See docs/architecture.md#tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve
from test_asks_sweep import bench_database_url

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "pages.py"
PAGES = {
    "ceiling", "queue_hm", "queue_recruiter", "jobs_admin", "jobs_recruiter", "board",
    "job_form", "candidate", "application", "insights_jobs", "insights_funnel", "insights_waits",
    "insights_people", "insights_record", "insights_jobs_recount", "insights_waits_recount",
    "insights_people_recount",
}  # fmt: skip


def run_bench(tmp_path: Path, url: str, out: Path, *options: str) -> dict:
    """Run the benchmark in a child process on `url`; returns its result (also in `out`)."""
    env = {**os.environ, "DATABASE_URL": url, "CLOSELOOP_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, str(SCRIPT), "--candidates", "300", "--big-job", "60",
               "--repeat", "1", *options]  # fmt: skip
    finished = subprocess.run(
        [*command, "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def runs(tmp_path_factory, bench_template) -> tuple[dict, dict | None, str]:
    """(every page in process and served once, no load; the load on one page, or None
    without wrk; the database URL). One organisation for both: the first run keeps it."""
    tmp_path = tmp_path_factory.mktemp("pages")
    url = bench_database_url(tmp_path)
    served = run_bench(
        tmp_path, url, tmp_path / "served.json", "--seconds", "0", "--keep",
        "--closed-asks", "400", "--events", "6000", "--template", bench_template,
    )  # fmt: skip
    # --reuse reads the generated organisation's facts from its result file.
    loaded_out = tmp_path / "loaded.json"
    shutil.copyfile(tmp_path / "served.json", loaded_out)
    # One second of wrk, and no longer run (--min-requests 1) when a busy machine serves fewer
    # than the default 40 requests in it: the checks below ask only that requests were served.
    # Without wrk the reused database is still measured and dropped, with no load.
    load = (
        ["--seconds", "1", "--min-requests", "1", "--warmup", "0"]
        if shutil.which("wrk")
        else ["--seconds", "0"]
    )
    loaded = run_bench(tmp_path, url, loaded_out, "--reuse", "--pages", "candidate", *load)
    return served, (loaded if shutil.which("wrk") else None), url


@pytest.fixture(scope="module")
def toy_run(runs) -> tuple[dict, str]:
    """Every page in process and served once over HTTP, no load."""
    served, _loaded, url = runs
    return served, url


@pytest.mark.slow
def test_every_page_answers_its_persona_in_process_and_over_http(toy_run):
    result, _url = toy_run
    assert set(result["pages"]) == PAGES
    for key, page in result["pages"].items():
        assert page["in_process"]["status"] == 200, key
        assert page["in_process"]["queries"] > 0, key
        assert result["load"]["served"][key]["status"] == 200, key
    assert all(result["checks"].values()), result["checks"]


@pytest.mark.slow
def test_the_organisation_has_its_big_job_and_busy_people(toy_run):
    result, _url = toy_run
    facts = result["facts"]
    assert facts["big_job_applications"] == 60
    assert result["generate"]["candidates_rows"] == 300
    assert facts["open_asks_by_persona"]["busy_hm"] > 0
    assert facts["open_asks_by_persona"]["busy_recruiter"] > 0
    assert facts["jobs_by_persona"]["busy_recruiter"] >= 50
    # The insights' history: answered asks, and the activity log topped up to its size.
    assert result["generate"]["history_asks_rows"] == 400
    assert (
        result["generate"]["activities_rows"] + result["generate"]["history_activities_rows"]
        == 6000
    )


@pytest.mark.slow
def test_the_benchmark_leaves_no_database_behind(toy_run):
    _result, url = toy_run
    if url.startswith("sqlite"):
        assert not Path(url.removeprefix("sqlite:///")).exists()
    else:
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        assert found is None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_load_runs_and_counts_only_real_page_responses(runs):
    _served, result, _url = runs
    assert set(result["pages"]) == {"ceiling", "candidate"}
    loads = result["load"]["wrk"]
    assert set(loads) == {"ceiling", "candidate", "ceiling_again"}
    assert all(run["requests"] > 0 for run in loads.values())
    assert all(result["checks"].values()), result["checks"]


def test_the_ceiling_view_is_not_in_the_product():
    with pytest.raises(Resolver404):
        resolve("/bench/ceiling/")
