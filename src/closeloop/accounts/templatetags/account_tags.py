"""Template filters for the account pages: `{% load account_tags %}`."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def minutes_label(value: dt.timedelta | None) -> str:
    """A lockout length in words: "15 minutes", "1 hour", "1 hour 30 minutes"."""
    if not value:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
