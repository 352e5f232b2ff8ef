"""Template filters shared by every page: `{% load closeloop %}`."""

from __future__ import annotations

import datetime as dt

from django import template

from closeloop.lib.timefmt import absolute, absolute_named, waited_since, zoned

register = template.Library()


@register.filter(expects_localtime=True)
def iso(value: dt.date | None) -> str:
    """A time for a <time datetime> attribute, to the second, with its offset. Django's "c"
    format adds the microseconds: seven bytes of noise a time on pages showing hundreds."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat() if isinstance(value, dt.date) else ""


@register.filter
def waited(value: dt.datetime | None) -> str:
    """How long since `value`, short: "3 days"."""
    return waited_since(value)


@register.filter
def when(value: dt.datetime | None) -> str:
    """An absolute time in the viewer's zone: "Tue 17 Nov 14:00"."""
    return absolute(value)


@register.filter
def when_zoned(value: dt.datetime | None) -> str:
    """An absolute time in the viewer's zone, naming it: "Fri 11 Dec 17:00 (Europe/London)"."""
    return absolute_named(value)


@register.filter(name="zoned")
def zoned_filter(value: dt.datetime | None, zone_name: str) -> str:
    """An absolute time in a named zone, naming it: "Wed 25 Nov 14:00 (Europe/Berlin)"."""
    return zoned(value, zone_name)
