"""The intake agreement's panel on the job page."""

from __future__ import annotations

from typing import Any

from django import template

from closeloop.intake.selectors import (
    awaiting_sides,
    drift_flags,
    intake_can_edit,
    intake_can_read,
    intake_overview,
    intake_sides_of,
    intake_sign_refusal,
    intake_start_refusal,
    intake_status_words,
)

register = template.Library()


@register.inclusion_tag("intake/_job_panel.html", takes_context=True)
def intake_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """Status of the agreement and the drift flags, for the hiring team (not interviewers:
    the flags name candidates' expected pay)."""
    user = context["user"]
    if not intake_can_read(user=user, job=job):
        return {"show": False}
    overview = intake_overview(job=job, reader=user)
    mine = intake_sides_of(user=user, job=job)
    pending = overview.pending
    return {
        "show": True,
        "job": job,
        "user": user,
        "overview": overview,
        "can_edit": intake_can_edit(user=user, job=job),
        # A search that ended invites no intake: there is nothing left to agree on.
        "start_refusal": intake_start_refusal(job=job),
        # Nor is its pending version signed (`intake_sign_refusal`): it is nobody's turn.
        "my_turn": bool(pending and set(mine) & set(awaiting_sides(pending)))
        and not intake_sign_refusal(job=job),
        "flags": drift_flags(job=job, overview=overview),
    }


@register.filter(name="intake_status")
def intake_status_filter(version: Any, job: Any) -> str:
    """`{{ version|intake_status:job }}`: "Awaiting signatures", or "Not signed" once the
    search ended."""
    return intake_status_words(version=version, job=job)
