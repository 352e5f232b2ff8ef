"""`closeloop worker`: the background process that chases asks and delivers messages."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from closeloop.followups.worker import Worker


class Command(BaseCommand):
    help = "Run the background worker until SIGTERM or Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--idle", type=float, default=2.0, help="Seconds to sleep when idle.")
        parser.add_argument("--max-loops", type=int, default=None, help=argparse_hidden())

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(idle_seconds=options["idle"])
        worker.install_signal_handlers()
        worker.run(max_loops=options["max_loops"])


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
