"""The worker loop: small steps, each safe to run in several processes.

The follow-up engine adds its steps (advance asks, deliver, periodic work) to `STEPS`.
Until then the loop only reports its heartbeat, but the process structure is the real one:
it stops cleanly on SIGTERM/SIGINT and one failing step never stops the loop.

See docs/architecture.md#the-worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType

from django.db import close_old_connections, connection
from django.utils import timezone

from closeloop.followups.models import WorkerHeartbeat
from closeloop.lib.sweep import Swept, sweep_progress_set

log = logging.getLogger("closeloop.worker")

# Heartbeat rows of workers gone this long are deleted when a worker starts.
HEARTBEAT_FORGET_AFTER_SECONDS = 24 * 3600
# A busy worker beats at least this often, between the rows of a long step too (/readyz
# calls a worker gone after 60 s of silence; one row, such as a send over a slow mail relay,
# is bounded by its own timeout).
BEAT_EVERY_SECONDS = 10.0

# A step does one bounded batch of work (closeloop.lib.sweep) and says what it did: units of
# work handled, and rows that raised and were pushed back.
Step = Callable[[], Swept]
STEPS: list[tuple[str, Step]] = []


class Worker:
    """Runs the steps in a loop until asked to stop."""

    def __init__(
        self,
        *,
        idle_seconds: float = 2.0,
        name: str | None = None,
        beat_every_seconds: float = BEAT_EVERY_SECONDS,
    ) -> None:
        self.idle_seconds = idle_seconds
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = threading.Event()
        self.beat_every_seconds = beat_every_seconds
        self.loops = 0
        self._last_beat = -float("inf")

    def request_stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Signal handler: finish the step in flight, then leave the loop."""
        if signum is None:
            self._stop()
            return
        # A signal handler runs on the main thread between two bytecodes, possibly while that
        # thread holds the Event's internal lock (inside wait()); calling set() here could then
        # deadlock. A helper thread sets it as soon as the lock is free.
        threading.Thread(target=self._stop, name="worker-stop", daemon=True).start()

    def _stop(self) -> None:
        log.info("worker %s stopping", self.name)
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)

    def forget_old_heartbeats(self) -> None:
        """Drop rows of workers silent for a day: restarts would otherwise pile them up."""
        cutoff = timezone.now() - dt.timedelta(seconds=HEARTBEAT_FORGET_AFTER_SECONDS)
        WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).delete()

    def beat_if_due(self) -> None:
        """Beat when the last beat is `beat_every_seconds` old: run after each row of a
        sweep and after each step, so a long step never looks like a dead worker (a sweep
        calls it between rows, outside their transactions)."""
        if time.monotonic() - self._last_beat < self.beat_every_seconds:
            return
        self.heartbeat(self.loops)

    def heartbeat(self, loops: int) -> None:
        """Record that this worker is alive; /readyz reports the age of the newest beat."""
        self._last_beat = time.monotonic()
        now = timezone.now()
        updated = WorkerHeartbeat.objects.filter(name=self.name).update(beat_at=now, loops=loops)
        if not updated:
            WorkerHeartbeat.objects.create(
                name=self.name, pid=os.getpid(), started_at=now, beat_at=now, loops=loops
            )

    def run_once(self) -> int:
        """Run every step once; returns the units of work handled (0: nothing to do).

        A step pushes back the rows it fails on and says how many; a step that fails as a
        whole (its claim could not run) is logged, and the other steps still run.
        """
        handled = 0
        for name, step in STEPS:
            if self.stopping.is_set():
                break
            try:
                swept = step()
            except Exception:
                log.exception("worker step %s failed; continuing", name)
                continue
            finally:
                _drop_stale_connection()
                self._beat_quietly()
            handled += swept.handled
            if swept.failed:
                log.warning(
                    "worker step %s: %d handled, %d rows failed and were pushed back",
                    name,
                    swept.handled,
                    swept.failed,
                )
            elif swept.handled:
                log.debug("worker step %s: %d handled", name, swept.handled)
        return handled

    def _beat_quietly(self) -> None:
        try:
            self.beat_if_due()
        except Exception:
            log.exception("worker heartbeat failed; continuing")

    def run(self, *, max_loops: int | None = None) -> int:
        """Loop until stopped (or for `max_loops` rounds, for tests); returns rounds run."""
        loops = 0
        log.info("worker %s started", self.name)
        sweep_progress_set(self.beat_if_due)
        try:
            self.forget_old_heartbeats()
        except Exception:
            log.exception("worker could not tidy old heartbeats; continuing")
        while not self.stopping.is_set() and (max_loops is None or loops < max_loops):
            handled = self.run_once()
            loops += 1
            self.loops = loops
            try:
                # A database restart must not end the worker: drop a broken connection first.
                _drop_stale_connection()
                self.heartbeat(loops)
            except Exception:
                log.exception("worker heartbeat failed; continuing")
            if not handled:
                self.stopping.wait(self.idle_seconds)
        sweep_progress_set(None)
        log.info("worker %s stopped after %d loops", self.name, loops)
        return loops


def _drop_stale_connection() -> None:
    """Drop a broken or expired connection between steps (a database restart must not end us).

    Never inside a transaction: that is a caller's (a test's) transaction, not a stale one.
    """
    if not connection.in_atomic_block:
        close_old_connections()
