"""A worker's name in delivery leases is stable within a process and never reused."""

from __future__ import annotations

import os
import socket

from closeloop.followups.steps import worker_identity


def test_the_identity_is_stable_within_a_process():
    assert worker_identity() == worker_identity()


def test_the_same_host_and_pid_still_get_a_new_identity():
    # A restarted container may reuse host name and pid: the random part tells them apart.
    first = worker_identity()
    worker_identity.cache_clear()
    second = worker_identity()
    prefix = f"{socket.gethostname()}:{os.getpid()}:"
    assert first.startswith(prefix) and second.startswith(prefix)
    assert first != second
