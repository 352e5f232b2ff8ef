"""Template filters shared by every page: `{% load closeloop %}`."""

from __future__ import annotations

import datetime as dt

from django import template

from closeloop.lib.timefmt import absolute, waited_since

register = template.Library()


@register.filter
def waited(value: dt.datetime | None) -> str:
    """How long since `value`, short: "3 days"."""
    return waited_since(value)


@register.filter
def when(value: dt.datetime | None) -> str:
    """An absolute time in the viewer's zone: "Tue 17 Nov 14:00"."""
    return absolute(value)
