"""Bench plumbing: a throwaway database, Django set up on it, and a local SMTP sink.

Benchmarks run against a database they create and destroy themselves, never against real
data: a SQLite file under bench/out/, or the PostgreSQL database named in DATABASE_URL, which
is dropped and re-created — so its name must contain "bench" (e.g. cl_bench).
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import socket
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


TEMPLATE_HELP = (
    "a migrated database to start from (a SQLite URL, or a PostgreSQL one on the same server "
    "whose name contains 'bench'): copied when it is there, else saved there once migrated"
)


class BenchError(SystemExit):
    """A refusal with a message for the person running the benchmark."""


def database_url(requested: str | None) -> str:
    """DATABASE_URL if given, else a SQLite file under bench/out/."""
    return requested or f"sqlite:///{OUT / 'asks_sweep.sqlite3'}"


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def _pg_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        # Recreating the database wipes it: refuse anything that could be real data.
        raise BenchError(f"Refusing to drop and re-create {name!r}: its name must contain 'bench'.")
    return name


def _pg_admin(url: str, *statements: str) -> None:
    """Run statements in the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def database_guard(url: str, template: str | None = None) -> None:
    """Refuse before any work starts if the database is not one the benchmark may drop, or
    its template one it may create."""
    for name in (url, template):
        if name is not None and is_postgres(name):
            _pg_name(name)
    if template is not None and is_postgres(url) != is_postgres(template):
        raise BenchError("The template must be the same kind of database as DATABASE_URL.")


def _sqlite_files(url: str) -> list[Path]:
    path = Path(url.removeprefix("sqlite:///"))
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def database_recreate(url: str, template: str | None = None) -> None:
    """Start from nothing: a missing SQLite file, or an empty PostgreSQL database; or, given a
    `template` that an earlier run saved (`database_migrate`), from a copy of it."""
    found = template is not None and template_exists(url, template)
    if is_postgres(url):
        name = _pg_name(url)
        source = f' TEMPLATE "{_pg_name(template)}"' if found and template else ""
        _pg_admin(
            url,
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}"{source}',
        )
        return
    OUT.mkdir(parents=True, exist_ok=True)
    database_drop(url)
    if found and template:
        shutil.copyfile(_sqlite_files(template)[0], _sqlite_files(url)[0])


def template_exists(url: str, template: str) -> bool:
    """Whether the template database is there (on the same kind of server as `url`)."""
    database_guard(url, template)
    if not is_postgres(template):
        return _sqlite_files(template)[0].exists()
    import psycopg

    admin = urlsplit(template)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [_pg_name(template)]
        ).fetchone()
    return found is not None


def database_migrate(url: str, template: str | None = None) -> dict[str, Any]:
    """Django's migrate on the bench database (Django set up on `url`): every migration from
    nothing, or only those a copy of the template lacks. Given a `template` that is not there
    yet, the migrated database is then saved to it, for later runs to start from a copy
    (`database_recreate`) instead of migrating again: the toy runs in tests/bench migrate once
    for the three benchmarks. Returns the seconds migrate took and what it started from."""
    from django.core.management import call_command
    from django.db import connection

    copied = "django_migrations" in connection.introspection.table_names()
    begin = time.perf_counter()
    call_command("migrate", verbosity=0)
    seconds = round(time.perf_counter() - begin, 2)
    if template is not None and not copied and not template_exists(url, template):
        connection.close()  # PostgreSQL copies a database no one is connected to
        if is_postgres(url):
            _pg_admin(url, f'CREATE DATABASE "{_pg_name(template)}" TEMPLATE "{_pg_name(url)}"')
        else:
            _sqlite_save(_sqlite_files(url)[0], _sqlite_files(template)[0])
    return {"migrate_s": seconds, "migrated_from": "template" if copied else "nothing"}


def _sqlite_save(source: Path, target: Path) -> None:
    """A consistent copy (its write-ahead log included), written whole or not at all."""
    import sqlite3

    partial = target.with_name(target.name + ".partial")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
        src.backup(dst)
    partial.replace(target)


def database_drop(url: str) -> None:
    """Remove the throwaway database (the Django connection must be closed first)."""
    if is_postgres(url):
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{_pg_name(url)}" WITH (FORCE)')
        return
    for path in _sqlite_files(url):
        path.unlink(missing_ok=True)


def django_configure(*, url: str, email_url: str) -> None:
    """Point Closeloop's settings at the bench database and the SMTP sink, then set up Django.

    Settings read the environment once at import, exactly as in production: the sink is
    reached through EMAIL_URL, so EMAIL_ENABLED is true and the real SMTP backend is used.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "closeloop.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["EMAIL_URL"] = email_url
    os.environ.setdefault("CLOSELOOP_DATA_DIR", str(OUT))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def server_cpu_seconds() -> tuple[int, float] | None:
    """The PostgreSQL backend serving this process's connection, and the CPU time it has
    used so far, when that server runs on this machine (/proc); None on SQLite or a remote
    server.

    The engine waits for its database at every statement: on a shared machine this is the
    other half of what a step costs, and like the process's own CPU time it does not count
    waiting for a core."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields of the whole line, in clock ticks.
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CountingSink:
    """aiosmtpd handler that keeps counts, not messages, so memory stays flat."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages = 0
        self.bytes = 0
        self.message_ids: set[str] = set()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        content: bytes = envelope.content
        header = content.split(b"\r\n\r\n", 1)[0]
        message_id = next(
            (
                line.split(b":", 1)[1].strip().decode()
                for line in header.split(b"\r\n")
                if line.lower().startswith(b"message-id:")
            ),
            "",
        )
        with self.lock:
            self.messages += 1
            self.bytes += len(content)
            self.message_ids.add(message_id)
        return "250 OK"


def smtp_sink_start() -> tuple[object, CountingSink, str]:
    """A real SMTP server on 127.0.0.1 in a thread; returns (controller, sink, EMAIL_URL)."""
    from aiosmtpd.controller import Controller

    sink = CountingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink, f"smtp://127.0.0.1:{port}"


def machine() -> dict[str, str]:
    """What the numbers were measured on; the load average says how noisy it was."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "load_average_at_start": load,
    }
