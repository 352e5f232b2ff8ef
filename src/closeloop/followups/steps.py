"""The worker's steps, in the order one loop runs them (docs/architecture.md#the-worker)."""

from __future__ import annotations

import os
import secrets
import socket
from functools import cache

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.people import COVER_STEP, asks_cover_absent
from closeloop.lib.sweep import Swept
from closeloop.notify.outbox import deliver_due


@cache
def worker_identity() -> str:
    """Names this process in leases, so a late result from a lost lease is ignored.

    A random suffix keeps it unique even where host names and pids repeat (containers).
    """
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def deliver() -> Swept:
    return deliver_due(worker=worker_identity())


DEFAULT_STEPS = [
    # Before the ladder moves: an absent owner's asks go to their delegate first.
    (COVER_STEP, asks_cover_absent),
    ("advance asks", asks_advance),
    ("compose nudges", notices_compose),
    ("deliver", deliver),
]
