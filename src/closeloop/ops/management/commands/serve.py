"""`closeloop serve`: the production web server (granian, WSGI)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from closeloop.ops.processes import granian_command


class Command(BaseCommand):
    help = "Serve Closeloop over HTTP with granian (WSGI). Put a reverse proxy in front."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_WORKERS", "2")),
            help="Web processes (default: WEB_WORKERS or 2).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", "4")),
            help="Threads per process (default: WEB_THREADS or 4).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        command = granian_command(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
        )
        self.stdout.write(f"Serving Closeloop on http://{options['host']}:{options['port']}")
        self.stdout.flush()
        # Replace this process, so the service manager signals granian directly.
        os.execv(command[0], command)  # noqa: S606
