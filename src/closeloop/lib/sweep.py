"""One sweep for every worker step: act on a claimed batch one row at a time, and let a row
that raises be pushed back and logged while the rest of the batch goes on.

A step claims a bounded batch of candidate rows (its own query, with its own concurrency
guard: a conditional UPDATE, SKIP LOCKED, a lease, a unique constraint) and hands it here
with two functions: `act` does one row (in its own transaction where the step needs one) and
returns how much work it did; `push_back` moves a row that raised out of the way (its next
run time forward, or a hold until a back-off passes) so the next loop does not spin on it.
The sweep never raises for one row: the step returns normally, with counts the worker logs.

It lives in `lib` because the delivery step (notify) sits below the follow-up engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger("closeloop.sweep")

Row = TypeVar("Row")

# Tracebacks already logged in this process, by (step, row): a row that fails every loop
# logs its traceback once, then one line per failure (the traceback again at DEBUG).
_TRACEBACK_LOGGED: set[tuple[str, str]] = set()
_TRACEBACK_MEMORY = 10_000


@dataclass(frozen=True)
class Swept:
    """What one run of a worker step did: units of work done, and rows pushed back."""

    handled: int = 0
    failed: int = 0

    def __add__(self, other: Swept) -> Swept:
        return Swept(self.handled + other.handled, self.failed + other.failed)


# Called after each row of every sweep (the worker sets it to beat its heartbeat now and
# then): a step working through a long batch, say over a slow mail relay, still shows that
# its worker is alive. It must be cheap and must not raise.
_progress: list[Callable[[], None]] = []


def sweep_progress_set(callback: Callable[[], None] | None) -> None:
    """Install (or with None remove) the callback run after each row of every sweep."""
    _progress[:] = [callback] if callback is not None else []


def _tick() -> None:
    for callback in _progress:
        try:
            callback()
        except Exception:  # a heartbeat that fails must not fail the row
            log.exception("sweep progress callback failed")


def sweep(
    step: str,
    rows: Iterable[Row],
    act: Callable[[Row], int],
    *,
    push_back: Callable[[Row, Exception], object],
    row_id: Callable[[Row], object] = lambda row: row,
) -> Swept:
    """Run `act` on each row; a row that raises is logged and pushed back, the others go on.

    `rows` is the step's claimed batch (already bounded); `row_id` names a row in the log.
    """
    handled = failed = 0
    for row in rows:
        try:
            handled += act(row)
        except Exception as error:
            failed += 1
            _log_failure(step, str(row_id(row)), error)
            _push_back(step, row, row_id, push_back, error)
        _tick()
    return Swept(handled=handled, failed=failed)


def _log_failure(step: str, name: str, error: Exception) -> None:
    key = (step, name)
    first = key not in _TRACEBACK_LOGGED
    if first:
        if len(_TRACEBACK_LOGGED) >= _TRACEBACK_MEMORY:
            _TRACEBACK_LOGGED.clear()  # bounded: at worst a traceback is logged again
        _TRACEBACK_LOGGED.add(key)
    log.error(
        "worker step %s: row %s failed (%s: %s); pushed back, the sweep goes on",
        step,
        name,
        type(error).__name__,
        error,
        exc_info=error if first else None,
    )
    if not first:
        log.debug("worker step %s: row %s traceback", step, name, exc_info=error)


def _push_back(
    step: str,
    row: Row,
    row_id: Callable[[Row], object],
    push_back: Callable[[Row, Exception], object],
    error: Exception,
) -> None:
    """Push a failed row back; if even that fails (the database is gone), say so and go on:
    the row is still due and the next loop tries it again."""
    try:
        push_back(row, error)
    except Exception:
        log.exception("worker step %s: could not push back row %s", step, row_id(row))
