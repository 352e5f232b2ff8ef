"""bench/asks_sweep.py at toy size: the benchmark still runs end to end and checks itself.

Not a performance test (performance is measured in bench/, never by timed
assertions). It keeps the benchmark from rotting as the engine changes: a real child process
generates asks on its own database (SQLite here; a `<test db>_bench` database on the CI's
PostgreSQL run, which exercises the COPY path), sweeps them with the engine, delivers to its
aiosmtpd sink, and its own checks must all pass.

See docs/architecture.md#tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "asks_sweep.py"


def bench_module(name: str):
    """Import a bench/ module by path (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_database_url(tmp_path: Path, name: str = "bench") -> str:
    """A throwaway database beside the test database, on the same kind of server:
    `<test db>_<name>` on PostgreSQL, `<name>.sqlite3` in `tmp_path` on SQLite."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        user = quote(db.get("USER") or "postgres")
        password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
        # A socket's directory ("/var/run/postgresql") is percent-encoded in a URL's host.
        host = quote(db.get("HOST") or "127.0.0.1", safe="")
        port = db.get("PORT") or 5432
        return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}_{name}"
    return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"


def run_toy(tmp_path: Path, url: str, *options: str) -> subprocess.CompletedProcess:
    """The benchmark with 600 open asks, 60 due, 15 owners, in a child process on `url`
    (started from the session's migrated template when the options pass --template)."""
    env = {**os.environ, "DATABASE_URL": url, "CLOSELOOP_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, str(SCRIPT), "--open", "600", "--due", "60", "--owners", "15"]
    return subprocess.run(
        [*command, "--json", str(tmp_path / "result.json"), *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory, bench_template):
    """Run the benchmark once at toy size; returns (result, url)."""
    tmp_path = tmp_path_factory.mktemp("bench")
    url = bench_database_url(tmp_path)
    finished = run_toy(tmp_path, url, "--template", bench_template)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return json.loads((tmp_path / "result.json").read_text()), url


@pytest.mark.slow
def test_the_benchmark_nudges_every_due_ask_once_and_delivers_every_message(toy_run):
    result, _url = toy_run
    assert result["generate"]["asks_rows"] == 600
    assert result["baseline"]["due_rows"] == 60
    assert result["sweep"]["handled"] == 60
    assert result["smtp"]["messages"] == result["compose"]["handled"] > 0
    assert result["deliver"]["handled"] == result["compose"]["handled"]
    assert all(result["checks"].values()), result["checks"]


@pytest.mark.slow
def test_the_benchmark_shows_the_due_query_served_by_the_partial_index(toy_run):
    result, _url = toy_run
    assert "ask_next_nudge_idx" in result["explain"]["plan"]
    assert "next_nudge_at" in result["explain"]["query"]


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
def test_two_worker_processes_drain_the_backlog_together_on_postgresql(tmp_path, request):
    url = bench_database_url(tmp_path)
    if not url.startswith("postgres"):
        pytest.skip("Several workers share a backlog on PostgreSQL only; CI runs this there.")
    template = request.getfixturevalue("bench_template")
    finished = run_toy(tmp_path, url, "--workers", "2", "--template", template)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    drained = result["workers"]
    assert drained["workers"] == len(drained["each"]) == 2
    assert drained["advanced"] == sum(each["advanced"] for each in drained["each"]) == 60
    assert drained["delivered"] == drained["composed"] == result["smtp"]["messages"] > 0
    assert all(result["checks"].values()), result["checks"]
    assert "due → delivered (2 workers, 60 asks)" in finished.stdout


def test_several_workers_on_sqlite_are_refused_with_the_reason(tmp_path):
    finished = run_toy(tmp_path, f"sqlite:///{tmp_path / 'bench.sqlite3'}", "--workers", "2")
    assert finished.returncode != 0
    assert "Several workers need PostgreSQL" in finished.stderr
    assert not (tmp_path / "bench.sqlite3").exists()


def test_it_refuses_to_recreate_a_postgresql_database_without_bench_in_its_name():
    benchdb = bench_module("benchdb")
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        benchdb.database_recreate("postgres://postgres@127.0.0.1:5432/closeloop")
