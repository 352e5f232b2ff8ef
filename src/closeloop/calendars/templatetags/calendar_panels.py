"""The personal calendar feed panel on the profile page."""

from __future__ import annotations

from typing import Any

from django import template

from closeloop.calendars.models import CalendarFeed

register = template.Library()


@register.inclusion_tag("calendars/_profile_panel.html", takes_context=True)
def calendar_profile_panel(context: dict[str, Any], profile_user: Any) -> dict[str, Any]:
    """The feed's state (never its address: only a hash is kept) and its buttons."""
    user = context["user"]
    own = getattr(user, "pk", None) == getattr(profile_user, "pk", None)
    feed = CalendarFeed.objects.filter(user=profile_user).first() if own else None
    return {"profile_user": profile_user, "user": user, "own": own, "feed": feed}
