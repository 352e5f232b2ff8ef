"""Real `closeloop worker` processes for the concurrency and fault tests.

The children run the production settings (`closeloop.settings`, not the test settings) against
the test database itself (on SQLite a file: closeloop/test.py), so the test reads their work
through the ORM as they commit it. Mail goes to a real SMTP sink in the test process.
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from django.db import connection

WORKER_COMMAND = [sys.executable, "-m", "closeloop.cli", "worker", "--idle", "0.2"]


# --- the database the children use ---------------------------------------------------------


def child_database_url() -> str:
    """A DATABASE_URL for child processes that reaches the data this test committed."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        user = quote(db.get("USER") or "postgres", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        # A socket's directory ("/var/run/postgresql") is percent-encoded in a URL's host.
        host = quote(db.get("HOST") or "127.0.0.1", safe="")
        port = db.get("PORT") or 5432
        return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{connection.settings_dict['NAME']}"


def scalar(sql: str) -> object:
    """One value from the database the children write, while they run."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


# --- the worker processes -----------------------------------------------------------------


def child_environment(
    *, database_url: str, data_dir: Path, smtp_port: int | None, **extra: str
) -> dict[str, str]:
    """Production settings, the given database, mail to the sink (or the Outbox page)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "CLOSELOOP_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "closeloop.settings",
            "SECRET_KEY": "test-only-secret",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    if smtp_port is not None:
        env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    return env


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def worker_start(env: dict[str, str], log_path: Path) -> WorkerProcess:
    """Start one `closeloop worker` whose stdout and stderr go to `log_path`."""
    handle = log_path.open("wb")
    process = subprocess.Popen(
        WORKER_COMMAND, env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    handle.close()
    return WorkerProcess(process, log_path)


def workers_stop(workers: list[WorkerProcess], timeout: float = 30) -> list[int]:
    """SIGTERM every worker, wait for each, and return their exit codes."""
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.send_signal(signal.SIGTERM)
    return [worker.process.wait(timeout=timeout) for worker in workers]


def workers_kill(workers: list[WorkerProcess]) -> None:
    """Last resort in `finally`: never leave a child behind."""
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait()


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    workers: list[WorkerProcess],
    every: float = 0.25,
    progress: Callable[[], str] = str,
) -> float:
    """Poll `condition`; fail early with the log if a worker died. Returns seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        for worker in workers:
            if worker.process.poll() is not None:
                raise AssertionError(
                    f"worker exited with {worker.process.returncode} while waiting for {what}:\n"
                    + worker.log[-4000:]
                )
        time.sleep(every)
    logs = "\n---\n".join(worker.log[-2000:] for worker in workers)
    raise AssertionError(
        f"timed out after {timeout:.0f} s waiting for {what} ({progress()})\n{logs}"
    )


# --- a real SMTP server that records what it receives ---------------------------------------


@dataclass
class RecordingSink:
    """aiosmtpd handler keeping each message's Message-ID; can hold the reply to DATA.

    The delay comes *after* the message is recorded and before the server says 250: a worker
    killed during it has delivered the mail without learning so, which is exactly the
    at-least-once case a crash mid-send produces.
    """

    delay: float = 0.0
    received: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.content)
        with self.lock:
            self.received.append(parsed["Message-ID"])
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def by_message_id(self) -> Counter[str]:
        with self.lock:
            return Counter(self.received)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sink_start(sink: RecordingSink) -> Controller:
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
