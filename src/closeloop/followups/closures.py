"""The organisation's office closures, as business time reads them: kept per process.

`calendar_for` runs for every ask, message and wait a page or the worker looks at, so the
closures are read from the database at most once a minute per process, not once a call. A
change made in this process (`followups.services.office_closure_add` / `_delete`) forgets
them at once and again when its transaction commits; another process (the other web
workers, the worker) sees it within `KEPT_FOR`.

See docs/architecture.md#the-follow-up-engine.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from closeloop.followups.models import OfficeClosure

# How long a process may go on with the closures it read: another process's change is seen
# at most this late.
KEPT_FOR = 60.0


@dataclass(frozen=True)
class Closure:
    pk: int
    name: str
    first_day: dt.date
    last_day: dt.date

    @property
    def days(self) -> list[dt.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=n) for n in range(count)]


@dataclass(frozen=True)
class _Kept:
    read_at: float
    closures: tuple[Closure, ...]
    days: frozenset[dt.date]
    names: dict[dt.date, str]


_lock = threading.Lock()
_kept: list[_Kept | None] = [None]


def closures_read() -> tuple[Closure, ...]:
    """Every closure in the database, earliest first (one query, nothing kept)."""
    rows = OfficeClosure.objects.order_by("first_day", "pk")
    return tuple(
        Closure(row.pk, row.name, row.first_day, row.last_day)
        for row in rows.only("name", "first_day", "last_day")
    )


def _kept_now() -> _Kept:
    kept = _kept[0]
    now = time.monotonic()
    if kept is not None and now - kept.read_at < KEPT_FOR:
        return kept
    closures = closures_read()
    names = {day: closure.name for closure in closures for day in closure.days}
    fresh = _Kept(now, closures, frozenset(names), names)
    with _lock:
        _kept[0] = fresh
    return fresh


def closed_days() -> frozenset[dt.date]:
    """Every date the organisation is closed (the same object until the closures change, so
    calendars built from it compare and hash cheaply)."""
    return _kept_now().days


def closure_name(day: dt.date) -> str | None:
    """The name of the closure `day` falls in, if any."""
    return _kept_now().names.get(day)


def closures_forget() -> None:
    """Read the closures afresh on the next call (a change in this process)."""
    with _lock:
        _kept[0] = None
