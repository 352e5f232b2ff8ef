"""bench/pages.py at toy size: the page benchmark still runs end to end and checks itself.

Not a performance test (performance is measured in bench/, never by timed assertions). It
keeps the benchmark from rotting as the pages change: real child processes generate a small
organisation (300 candidates, a "big" job of 60) on their own database (SQLite here; a
`<test db>_bench` database on the CI's PostgreSQL run, which exercises the COPY path), count
each page's queries in process, serve the pages with granian and fetch each one over HTTP
with its persona's session. The load itself (wrk) runs for one second on two pages, when wrk
is installed.

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
    "candidate", "application",
}  # fmt: skip


def run_bench(tmp_path: Path, *options: str) -> tuple[dict, str]:
    """Run the benchmark in a child process; returns (result, database URL)."""
    url = bench_database_url(tmp_path)
    out = tmp_path / "result.json"
    env = {**os.environ, "DATABASE_URL": url, "CLOSELOOP_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, str(SCRIPT), "--candidates", "300", "--big-job", "60", *options]
    finished = subprocess.run(
        [*command, "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return json.loads(out.read_text()), url


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
    """Every page in process and served once over HTTP, no load."""
    return run_bench(tmp_path_factory.mktemp("pages"), "--seconds", "0")


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
def test_the_load_runs_and_counts_only_real_page_responses(tmp_path):
    result, _url = run_bench(tmp_path, "--seconds", "1", "--pages", "candidate")
    runs = result["load"]["wrk"]
    assert set(runs) == {"ceiling", "candidate", "ceiling_again"}
    assert all(run["requests"] > 0 for run in runs.values())
    assert all(result["checks"].values()), result["checks"]


def test_the_ceiling_view_is_not_in_the_product():
    with pytest.raises(Resolver404):
        resolve("/bench/ceiling/")
