"""Interview panels on the job and application pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("interviews/_job_panel.html", takes_context=True)
def interviews_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    return {"job": job, "user": context["user"]}


@register.inclusion_tag("interviews/_application_panel.html", takes_context=True)
def interviews_application_panel(context: dict[str, Any], application: Any) -> dict[str, Any]:
    return {"application": application, "user": context["user"]}
