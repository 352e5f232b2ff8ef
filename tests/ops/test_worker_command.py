"""`closeloop worker` as a real process: it beats, and SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory):
    """One migrated SQLite database for the module; each test works on its own copy."""
    data_dir = tmp_path_factory.mktemp("worker-template")
    subprocess.run(
        [sys.executable, "-m", "closeloop.cli", "migrate", "--verbosity", "0"],
        env=child_environment(data_dir),
        check=True,
        timeout=120,
    )
    return data_dir / "closeloop.sqlite3"


def child_environment(data_dir) -> dict[str, str]:
    """SQLite in `data_dir`, whatever database the suite itself runs on (DATABASE_URL unset)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "CLOSELOOP_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "closeloop.settings",
            "SECRET_KEY": "test-only-secret",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@pytest.fixture
def child_env(migrated_db, tmp_path):
    with (
        sqlite3.connect(migrated_db) as source,
        sqlite3.connect(tmp_path / "closeloop.sqlite3") as target,
    ):
        source.backup(target)
    return child_environment(tmp_path)


def heartbeat_loops(data_dir) -> int:
    with sqlite3.connect(data_dir / "closeloop.sqlite3") as db:
        row = db.execute("SELECT max(loops) FROM followups_workerheartbeat").fetchone()
    return row[0] or 0


def wait_for(condition, timeout: float = 60.0) -> bool:
    # Generous: a worker starting on a loaded 2-core machine took over 20 s to beat once.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_sigterm_stops_the_worker_within_seconds_with_exit_code_0(child_env, tmp_path):
    worker = subprocess.Popen(
        [sys.executable, "-m", "closeloop.cli", "worker", "--idle", "0.2"],
        env=child_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(lambda: heartbeat_loops(tmp_path) >= 2), "the worker never beat"
        worker.send_signal(signal.SIGTERM)
        started = time.monotonic()
        code = worker.wait(timeout=10)
        assert time.monotonic() - started < 5
        assert code == 0
        output = worker.stdout.read().decode()
        assert "stopped after" in output
        assert "Traceback" not in output
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_sigterm_during_a_long_idle_wait_still_stops_at_once(child_env, tmp_path):
    worker = subprocess.Popen(
        [sys.executable, "-m", "closeloop.cli", "worker", "--idle", "60"],
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: heartbeat_loops(tmp_path) >= 1), "the worker never beat"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
