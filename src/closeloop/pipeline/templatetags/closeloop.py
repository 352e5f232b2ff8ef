"""Template filters shared by every page: `{% load closeloop %}`."""

from __future__ import annotations

import datetime as dt

from django import template

from closeloop.lib.rounding import percent_text, rounded_text
from closeloop.lib.text import excerpt
from closeloop.lib.timefmt import absolute, absolute_named, ago, waited_since, zoned

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


@register.filter(name="ago")
def ago_filter(value: dt.datetime | None) -> str:
    """How long ago `value` was: "just now" under a minute, else "3 days ago"."""
    return ago(value)


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


@register.filter(name="rounded")
def rounded_filter(value: float | None, places: int = 1) -> str:
    """A figure to `places` decimals, halves up ("4.3" for 4.25), as its CSV writes it
    (`lib.rounding`; `floatformat` would do, but then the page and the CSV rounded apart)."""
    return rounded_text(value, int(places))


@register.filter(name="percent")
def percent_filter(share: float | None) -> str:
    """A share as a whole percentage, halves up ("63" for 0.625; `widthratio` rounds halves to
    even, "62"); "" for None."""
    return percent_text(share)


@register.filter(name="excerpt")
def excerpt_filter(text: str | None, limit: int = 280) -> str:
    """Someone's words quoted in a line, cut at a word past `limit` characters (escaped
    like any other value when shown)."""
    return excerpt(text or "", int(limit))
