"""The intake agreement's panel on the job page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("intake/_job_panel.html", takes_context=True)
def intake_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    return {"job": job, "user": context["user"]}
