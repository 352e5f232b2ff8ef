"""How pages show time: relative and absolute ("3 days · since Tue 17 Nov 14:00")."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone


def duration_short(delta: dt.timedelta) -> str:
    """A waiting time in the largest sensible unit: "45 min", "5 h", "3 days"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        minutes = max(1, seconds // 60)
        return f"{minutes} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    return f"{days} days"


def waited_since(since: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if since is None:
        return ""
    return duration_short((now or timezone.now()) - since)


def ago(since: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long ago `since` was, to stand alone: "just now" under a minute, else "45 min
    ago", "5 h ago", "3 days ago"."""
    if since is None:
        return ""
    delta = (now or timezone.now()) - since
    return "just now" if delta < dt.timedelta(minutes=1) else f"{duration_short(delta)} ago"


def absolute(value: dt.datetime | None, zone: dt.tzinfo | None = None) -> str:
    """Absolute time ("Tue 17 Nov 14:00") in `zone`, with the year when not this one."""
    if value is None:
        return ""
    local = timezone.localtime(value, zone)
    now = timezone.localtime(timezone.now(), zone)
    pattern = "%a %d %b %H:%M" if local.year == now.year else "%a %d %b %Y %H:%M"
    return local.strftime(pattern)


def absolute_named(value: dt.datetime | None) -> str:
    """An absolute time in the viewer's zone (the active one), naming it: "Fri 11 Dec 17:00
    (Europe/London)". For a moment two people compare, each reading it in their own zone
    (a window that closes for both sides at once)."""
    if value is None:
        return ""
    return f"{absolute(value)} ({timezone.get_current_timezone_name()})"


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    """The named zone; UTC for an empty or unknown name (stored data must never crash a page)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def zoned(value: dt.datetime | None, zone_name: str) -> str:
    """An absolute time in a named zone, naming it: "Wed 25 Nov 14:00 (Europe/Berlin)".

    For a time shown beside a zone (an interview's, a meeting's), so it is never read in
    the viewer's zone by mistake.
    """
    if value is None:
        return ""
    zone = zone_or_utc(zone_name)
    return f"{absolute(value, zone)} ({zone.key})"


def zoned_unless_viewers(value: dt.datetime | None, zone_name: str) -> str:
    """An absolute time in a named zone, naming the zone only when it is not the viewer's
    (the active one): "Mon 30 Nov 10:00 (Europe/Berlin)" in London, "Mon 30 Nov 10:00" in
    Berlin. For lists of one thing's times (a meeting series) shown in that thing's zone."""
    if value is None:
        return ""
    if zone_or_utc(zone_name).key == timezone.get_current_timezone_name():
        return absolute(value, zone_or_utc(zone_name))
    return zoned(value, zone_name)
