"""Poison rows for the worker steps' tests (imported by name, like workerproc).

`Poison` replaces a step's per-row function so that it raises for the rows `is_bad` picks
and runs the real function for every other row; `cure()` makes the bad row good again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any


class PoisonError(RuntimeError):
    """What a poisoned row raises."""


class Poison:
    def __init__(self, monkeypatch, module: Any, name: str, is_bad: Callable[..., bool]) -> None:
        self.calls = 0
        self.cured = False
        real = getattr(module, name)

        def poisoned(*args: Any, **kwargs: Any) -> Any:
            if not self.cured and is_bad(*args, **kwargs):
                self.calls += 1
                raise PoisonError("this row cannot be handled")
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, poisoned)

    def cure(self) -> None:
        self.cured = True


def sweep_errors(caplog) -> list[logging.LogRecord]:
    """The sweep's error lines: one per row that failed."""
    return [
        record
        for record in caplog.records
        if record.name == "closeloop.sweep" and record.levelno >= logging.ERROR
    ]
