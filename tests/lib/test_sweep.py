"""The sweep every worker step runs: one row at a time, a row that raises never stops it."""

from __future__ import annotations

import logging

import pytest

from closeloop.lib import sweep as sweep_module
from closeloop.lib.sweep import Swept, sweep


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch):
    """Each test starts with no traceback logged yet."""
    monkeypatch.setattr(sweep_module, "_TRACEBACK_LOGGED", set())


def act(row: int) -> int:
    if row % 2:
        raise ValueError(f"odd row {row}")
    return 1


def test_every_row_is_tried_and_the_counts_say_what_happened():
    pushed: list[tuple[int, str]] = []
    swept = sweep("demo", [1, 2, 3, 4], act, push_back=lambda r, e: pushed.append((r, str(e))))
    assert swept == Swept(handled=2, failed=2)
    assert pushed == [(1, "odd row 1"), (3, "odd row 3")]


def test_each_failure_is_one_line_with_the_step_and_the_row_and_its_traceback_once(caplog):
    with caplog.at_level(logging.DEBUG, logger="closeloop.sweep"):
        for _ in range(2):
            sweep("demo", [7], act, push_back=lambda r, e: None, row_id=lambda r: f"thing {r}")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "worker step demo: row thing 7 failed (ValueError: odd row 7); pushed back, "
        "the sweep goes on"
    ] * 2
    assert errors[0].exc_info is not None and errors[1].exc_info is None
    [debug] = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert debug.exc_info is not None  # the repeated traceback, for whoever turns DEBUG on


def test_a_push_back_that_fails_is_logged_and_the_sweep_still_goes_on(caplog):
    def broken_push_back(row: int, error: Exception) -> None:
        raise RuntimeError("database gone")

    with caplog.at_level(logging.ERROR, logger="closeloop.sweep"):
        swept = sweep("demo", [1, 2], act, push_back=broken_push_back)
    assert swept == Swept(handled=1, failed=1)
    assert any("could not push back row 1" in r.getMessage() for r in caplog.records)


def test_counts_add_up_across_sweeps():
    assert Swept(1, 2) + Swept(3, 4) == Swept(handled=4, failed=6)
