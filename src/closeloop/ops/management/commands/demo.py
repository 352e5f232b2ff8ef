"""`closeloop demo`: the whole system on one machine, with the demo organisation.

Creates the data directory, migrates SQLite, seeds the demo once, then runs the web server
and the worker side by side until Ctrl-C. A second run reuses the data; `--reset` starts over.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from closeloop.demo.seed import DEMO_LOGINS, DEMO_PASSWORD, demo_is_seeded, demo_seed
from closeloop.ops.processes import Supervisor, granian_command, worker_command


class Command(BaseCommand):
    help = "Run the demo: web server and worker on SQLite, with a seeded demo organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo data and seed it again."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the data, then exit (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            self.reset()
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if demo_is_seeded():
            self.stdout.write("Reusing the demo organisation already in the database.")
        else:
            self.stdout.write("Seeding the demo organisation (a few seconds)…")
            demo_seed()
        connections.close_all()
        if options["no_serve"]:
            return
        self.serve(options["host"], options["port"])

    def reset(self) -> None:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("--reset only deletes the embedded SQLite database.")
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            path = f"{database['NAME']}{suffix}"
            if os.path.exists(path):
                os.remove(path)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        self.stdout.write("Deleted the demo database and uploads.")

    def serve(self, host: str, port: int) -> None:
        url = f"http://{host}:{port}"
        env = {**os.environ, "CLOSELOOP_DEMO": "1", "CLOSELOOP_DATA_DIR": str(settings.DATA_DIR)}
        env.setdefault("SITE_URL", url)
        supervisor = Supervisor(
            {
                "web": granian_command(host=host, port=port, workers=1, threads=4),
                "worker": worker_command(),
            },
            env,
        )
        supervisor.start()
        self.stdout.write(self.style.SUCCESS(f"\nCloseloop demo running at {url}/"))
        self.stdout.write(f"Log in with any of these (password {DEMO_PASSWORD}):")
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:<24} {role}")
        self.stdout.write("Press Ctrl-C to stop.\n")
        self.stdout.flush()
        code = supervisor.wait()
        self.stdout.write("Closeloop demo stopped.")
        if code:
            sys.exit(code)
