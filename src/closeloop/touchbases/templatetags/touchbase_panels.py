"""Touch-base and weekly-update panels on the job and profile pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("touchbases/_job_panel.html", takes_context=True)
def touchbase_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    return {"job": job, "user": context["user"]}


@register.inclusion_tag("touchbases/_profile_panel.html", takes_context=True)
def touchbase_profile_panel(context: dict[str, Any], profile_user: Any) -> dict[str, Any]:
    return {"profile_user": profile_user, "user": context["user"]}
