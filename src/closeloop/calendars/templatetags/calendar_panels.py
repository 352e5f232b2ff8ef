"""The personal calendar feed panel on the profile page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("calendars/_profile_panel.html", takes_context=True)
def calendar_profile_panel(context: dict[str, Any], profile_user: Any) -> dict[str, Any]:
    return {"profile_user": profile_user, "user": context["user"]}
