"""`closeloop demo`: the whole system on one machine, with the demo organisation.

Creates the data directory, migrates SQLite, seeds the demo once, then runs the web server
and the worker side by side until Ctrl-C. A second run reuses the data; `--reset` starts over.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from closeloop.demo.seed import DEMO_LOGINS, DEMO_PASSWORD, demo_is_seeded, demo_seed
from closeloop.ops.processes import Supervisor, granian_command, port_is_free, worker_command

# How long the web server may take to accept connections before we say so.
START_TIMEOUT_SECONDS = 30.0


class Command(BaseCommand):
    help = "Run the demo: web server and worker on SQLite, with a seeded demo organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (8000).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (127.0.0.1).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo data and seed it again."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the data, then exit (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not options["no_serve"] and not port_is_free(host, port):
            # Say so before spending time on migrations and seeding.
            raise CommandError(
                f"Port {port} on {host} is already in use; try `closeloop demo --port {port + 1}`."
            )
        if "SITE_URL" not in os.environ:
            # Messages written while seeding (sign requests, invitations) link to this server.
            settings.SITE_URL = f"http://{host}:{port}"
        if "CLOSELOOP_QUIET_HOURS" not in os.environ:
            # Like the served demo (see serve()): what seeding queues goes out at any hour too.
            settings.QUIET_HOURS = False
        try:
            self.prepare(reset=options["reset"])
        except KeyboardInterrupt:
            raise CommandError("Interrupted before the demo started.") from None
        if options["no_serve"]:
            return
        self.serve(host, port)

    def prepare(self, *, reset: bool) -> None:
        """Data directory, schema and demo organisation: each step only when needed."""
        if reset:
            self.reset()
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if demo_is_seeded():
            self.stdout.write("Reusing the demo organisation already in the database.")
        else:
            self.stdout.write("Seeding the demo organisation…")
            started = time.monotonic()
            counts = demo_seed()
            self.stdout.write(
                f"Seeded {counts['users']} people, {counts['jobs']} jobs and "
                f"{counts['candidates']} candidates in {time.monotonic() - started:.1f} s."
            )
        connections.close_all()

    def reset(self) -> None:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                "--reset only deletes the demo's SQLite database; unset DATABASE_URL to use it."
            )
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            path = f"{database['NAME']}{suffix}"
            if os.path.exists(path):
                os.remove(path)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        self.stdout.write("Deleted the demo database and uploads.")

    def serve(self, host: str, port: int) -> None:
        """Run web and worker until Ctrl-C (or until one of them dies)."""
        url = f"http://{host}:{port}"
        env = {**os.environ, "CLOSELOOP_DEMO": "1", "CLOSELOOP_DATA_DIR": str(settings.DATA_DIR)}
        env.setdefault("SITE_URL", url)
        # Deliver nudges at any hour, so the Outbox fills whenever someone tries the demo.
        env.setdefault("CLOSELOOP_QUIET_HOURS", "0")
        supervisor = Supervisor(
            {
                "web": granian_command(host=host, port=port, workers=1, threads=4),
                "worker": worker_command(),
            },
            env,
        )
        try:
            supervisor.start()
            self.announce(url, host, port)
        except KeyboardInterrupt:
            supervisor.stop()
            self.stdout.write("Closeloop demo stopped.")
            return
        code = supervisor.wait()
        self.stdout.write("Closeloop demo stopped.")
        if code:
            sys.exit(code)

    def announce(self, url: str, host: str, port: int) -> None:
        """Print where to go once the web server answers, with the demo logins."""
        if not _wait_for_port(host, port, START_TIMEOUT_SECONDS):
            self.stderr.write(f"The web server did not answer on {url} yet; still waiting.")
        self.stdout.write(self.style.SUCCESS(f"\nCloseloop demo running at {url}/"))
        self.stdout.write(f"Log in with any of these (password {DEMO_PASSWORD}):")
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:<24} {role}")
        self.stdout.write("Press Ctrl-C to stop.\n")
        self.stdout.flush()


def _wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False
