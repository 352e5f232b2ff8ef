"""`closeloop demo` as a new user runs it: a real process serving HTTP, stopped with Ctrl-C.

The command runs in a temporary directory with its own SQLite database (DATABASE_URL is
removed, so this also works while CI runs the suite on PostgreSQL).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "CLOSELOOP_DATA_DIR": str(data_dir)}
    # The real settings, not the test suite's, and the demo's own SQLite database.
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SITE_URL", "CLOSELOOP_DEMO"):
        env.pop(name, None)
    return env


def demo_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "closeloop.cli", "demo", *args]


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (Linux /proc), to check that Ctrl-C left nothing behind."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def fetch(opener: urllib.request.OpenerDirector, url: str, data: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=10) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode()


def wait_for(check, timeout: float, what: str, process: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"closeloop demo exited ({process.returncode}):\n{log.read_text()}")
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"{what} within {timeout:.0f} s; output:\n{log.read_text()}")


def port_is_closed(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except OSError:
        return True


def test_the_demo_serves_logs_hank_in_and_stops_cleanly_on_ctrl_c(tmp_path: Path):
    demo_dir = tmp_path
    port, log = free_port(), demo_dir / "demo.log"
    base = f"http://127.0.0.1:{port}"
    env = demo_env(demo_dir / "data")
    with log.open("w") as out:
        process = subprocess.Popen(
            demo_command("--port", str(port)),
            cwd=demo_dir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    family: set[int] = set()
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

        def login_page():
            status, _, body = fetch(opener, f"{base}/accounts/login/")
            return body if status == 200 and "rita@example.com" in body else None

        page = wait_for(login_page, START_TIMEOUT, "the login page answered", process, log)
        assert "closeloop-demo" in page
        ready = wait_for(
            lambda: fetch(opener, f"{base}/readyz")[0] == 200,
            30,
            "/readyz reported a worker heartbeat",
            process,
            log,
        )
        assert ready

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        credentials = {
            "csrfmiddlewaretoken": token,
            "username": "hank@example.com",
            "password": "closeloop-demo",
        }
        status, landed, body = fetch(opener, f"{base}/accounts/login/", credentials)
        assert status == 200, body
        assert urllib.parse.urlsplit(landed).path == "/"
        assert "Hank Hill" in body
        assert "Log in to Closeloop" not in body
        status, _, body = fetch(opener, f"{base}/")
        assert status == 200 and "Hank Hill" in body

        # Messages written while seeding (sign requests, invitations) link to this server.
        with sqlite3.connect(demo_dir / "data" / "closeloop.sqlite3") as database:
            bodies = [row[0] for row in database.execute("select body_text from notify_message")]
        assert any(f"{base}/" in text for text in bodies)
        assert not any("127.0.0.1:8000/" in text for text in bodies)

        family = descendants(process.pid)
        assert len(family) >= 2, "the web server and the worker run as child processes"
        output = log.read_text()
        assert "Seeding the demo organisation" in output
        assert f"running at {base}/" in output
        assert "hank@example.com" in output

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "Closeloop demo stopped." in log.read_text()
        assert port_is_closed(port)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in family if alive(pid)], "child processes outlived the demo"
    finally:
        for pid in [process.pid, *family]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)

    # A second run reuses the data instead of seeding again.
    second = subprocess.run(
        demo_command("--no-serve"),
        cwd=demo_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert second.returncode == 0, second.stderr
    assert "Reusing the demo organisation" in second.stdout
    assert "Seeding" not in second.stdout


def test_the_demo_refuses_a_port_that_is_taken(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            demo_command("--port", str(port)),
            cwd=tmp_path,
            env=demo_env(tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode != 0
    assert f"Port {port}" in result.stderr and "already in use" in result.stderr
