"""The worker loop: heartbeats, steps that fail without stopping the loop, clean stops."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import time

import pytest
import time_machine

from closeloop.followups import worker as worker_module
from closeloop.followups.models import WorkerHeartbeat
from closeloop.followups.worker import Worker
from closeloop.lib.sweep import Swept, sweep


@pytest.fixture
def steps(monkeypatch):
    """An empty STEPS list the test fills with real functions."""
    registered: list = []
    monkeypatch.setattr(worker_module, "STEPS", registered)
    return registered


def test_two_loops_write_one_heartbeat_row_with_the_loop_count(db, steps):
    worker = Worker(idle_seconds=0, name="test-host:1")
    assert worker.run(max_loops=2) == 2
    beat = WorkerHeartbeat.objects.get()
    assert beat.name == "test-host:1"
    assert beat.pid == os.getpid()
    assert beat.loops == 2


def test_the_heartbeat_moves_forward_with_the_clock(db, steps):
    worker = Worker(idle_seconds=0, name="test-host:1")
    start = dt.datetime(2030, 1, 7, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        worker.run(max_loops=1)
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        worker.run(max_loops=1)
    beat = WorkerHeartbeat.objects.get()
    assert beat.started_at == start
    assert beat.beat_at == start + dt.timedelta(minutes=5)


def test_a_failing_step_is_logged_and_the_loop_and_other_steps_go_on(db, steps, caplog):
    calls: list[str] = []

    def broken() -> Swept:
        calls.append("broken")
        raise RuntimeError("one bad row")

    def healthy() -> Swept:
        calls.append("healthy")
        return Swept()

    steps.extend([("broken", broken), ("healthy", healthy)])
    with caplog.at_level(logging.ERROR, logger="closeloop.worker"):
        loops = Worker(idle_seconds=0, name="w").run(max_loops=3)
    assert loops == 3
    assert calls == ["broken", "healthy"] * 3
    failures = [r for r in caplog.records if "worker step broken failed" in r.getMessage()]
    assert len(failures) == 3
    assert failures[0].exc_info[0] is RuntimeError
    assert WorkerHeartbeat.objects.get().loops == 3


def test_a_step_that_handled_work_skips_the_idle_wait(db, steps):
    handled = iter([Swept(handled=5), Swept()])
    steps.append(("busy", lambda: next(handled)))
    worker = Worker(idle_seconds=60, name="w")
    # With work done the loop goes straight on; the idle wait would take a minute.
    worker.stopping.wait = lambda timeout=None: pytest.fail("waited although work was done")
    assert worker.run(max_loops=1) == 1


def test_a_stop_request_ends_the_loop_after_the_step_in_flight(db, steps):
    worker = Worker(idle_seconds=0, name="w")
    calls: list[str] = []

    def stop_midway() -> Swept:
        calls.append("first")
        worker.request_stop()
        return Swept()

    steps.extend([("first", stop_midway), ("second", lambda: calls.append("second") or Swept())])
    assert worker.run() == 1
    assert calls == ["first"]


def test_a_signal_handler_stop_wakes_an_idle_worker(db, steps):
    worker = Worker(idle_seconds=30, name="w")
    steps.append(("signal", lambda: worker.request_stop(signal.SIGTERM, None) or Swept()))
    assert worker.run() == 1  # returns at once instead of idling for 30 s


def test_heartbeats_of_long_gone_workers_are_forgotten_at_start(db, steps):
    old = WorkerHeartbeat.objects.create(
        name="gone:1", pid=1, beat_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    )
    recent = WorkerHeartbeat.objects.create(name="other:2", pid=2)
    Worker(idle_seconds=0, name="w").run(max_loops=1)
    names = set(WorkerHeartbeat.objects.values_list("name", flat=True))
    assert names == {"w", recent.name}
    assert not WorkerHeartbeat.objects.filter(pk=old.pk).exists()


def test_a_step_that_pushed_rows_back_is_logged_with_its_counts(db, steps, caplog):
    steps.append(("sweepy", lambda: Swept(handled=2, failed=1)))
    with caplog.at_level(logging.WARNING, logger="closeloop.worker"):
        assert Worker(idle_seconds=0, name="w").run_once() == 2
    [line] = [r for r in caplog.records if r.name == "closeloop.worker"]
    assert line.levelno == logging.WARNING
    assert line.getMessage() == (
        "worker step sweepy: 2 handled, 1 rows failed and were pushed back"
    )


def test_a_long_step_beats_between_its_rows(db, steps):
    """A step slow on every row (a slow mail relay) must not look like a dead worker: the
    heartbeat moves while the step is still working through its batch."""
    seen: list[int] = []

    def slow_rows() -> Swept:
        def act(row: int) -> int:
            time.sleep(0.05)
            seen.append(WorkerHeartbeat.objects.filter(name="w").count())
            return 1

        return sweep("slow", range(6), act, push_back=lambda row, error: None)

    steps.append(("slow", slow_rows))
    worker = Worker(idle_seconds=0, name="w", beat_every_seconds=0.1)
    worker.run(max_loops=1)
    # No beat yet when the first row ran (the loop had not beaten); one by the later rows.
    assert seen[0] == 0 and seen[-1] == 1
    assert WorkerHeartbeat.objects.get().loops == 1


def test_a_quick_step_does_not_beat_more_than_the_interval(
    db, steps, django_assert_max_num_queries
):
    steps.append(("quick", lambda: Swept()))
    worker = Worker(idle_seconds=0, name="w", beat_every_seconds=3600)
    worker.run(max_loops=1)
    beat = WorkerHeartbeat.objects.get()
    with django_assert_max_num_queries(0):
        worker.beat_if_due()  # beaten a moment ago: nothing to write
    assert WorkerHeartbeat.objects.get().beat_at == beat.beat_at
