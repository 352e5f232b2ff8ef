"""Weekly slots in a person's or a meeting's own time zone.

A weekly meeting at 10:00 Berlin stays at 10:00 Berlin across daylight-saving changes, so
slots are computed on local dates and converted to UTC one by one (never by adding 7 × 24 h).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

# Re-exported: the touch-base code reads zones from here.
from closeloop.lib.timefmt import zone_or_utc as zone_or_utc

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def local_slot(day: dt.date, at: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC moment of `at` on local `day` (a time skipped by DST lands an hour later)."""
    local = dt.datetime.combine(day, at, tzinfo=zone)
    # Round-trip through UTC: a wall time in a spring-forward gap normalises forward.
    return local.astimezone(dt.UTC)


def slot_after(
    *, weekday: int, at: dt.time, zone: zoneinfo.ZoneInfo, after: dt.datetime, strict: bool = True
) -> dt.datetime:
    """The first weekly slot after `after` (or at it, when `strict` is False), in UTC."""
    day = after.astimezone(zone).date()
    day -= dt.timedelta(days=1)  # the local day may already be "tomorrow" in UTC terms
    for offset in range(15):
        candidate = day + dt.timedelta(days=offset)
        if candidate.weekday() != weekday:
            continue
        moment = local_slot(candidate, at, zone)
        if moment > after or (not strict and moment == after):
            return moment
    raise AssertionError("a weekday recurs within 15 days")  # pragma: no cover


def slot_before(
    *, weekday: int, at: dt.time, zone: zoneinfo.ZoneInfo, before: dt.datetime
) -> dt.datetime:
    """The last weekly slot strictly before `before`, in UTC."""
    day = before.astimezone(zone).date() + dt.timedelta(days=1)
    for offset in range(15):
        candidate = day - dt.timedelta(days=offset)
        if candidate.weekday() != weekday:
            continue
        moment = local_slot(candidate, at, zone)
        if moment < before:
            return moment
    raise AssertionError("a weekday recurs within 15 days")  # pragma: no cover
