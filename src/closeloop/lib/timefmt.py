"""How pages show time: relative and absolute ("3 days · since Tue 17 Nov 14:00")."""

from __future__ import annotations

import datetime as dt

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


def absolute(value: dt.datetime | None, zone: dt.tzinfo | None = None) -> str:
    """Absolute time ("Tue 17 Nov 14:00") in `zone`, with the year when not this one."""
    if value is None:
        return ""
    local = timezone.localtime(value, zone)
    now = timezone.localtime(timezone.now(), zone)
    pattern = "%a %d %b %H:%M" if local.year == now.year else "%a %d %b %Y %H:%M"
    return local.strftime(pattern)
