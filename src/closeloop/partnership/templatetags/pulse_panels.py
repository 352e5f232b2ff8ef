"""The pulse panel on the job page (jobs owns the page, the pulses part fills the slot):
`{% load pulse_panels %}{% pulse_job_panel job %}`. Django finds tag libraries only in an
app's own templatetags package, so it lives here, not in partnership/pulses/."""

from __future__ import annotations

from typing import Any

from django import template

from closeloop.jobs.models import Job
from closeloop.partnership.pulses.selectors import (
    pulse_can_read_job,
    pulse_open_for,
    pulse_round_views,
    pulse_rounds_for_job,
)

register = template.Library()


@register.inclusion_tag("partnership/pulses/_panel.html", takes_context=True)
def pulse_job_panel(context: dict[str, Any], job: Job) -> dict[str, Any]:
    """The latest round as the reader may see it, and the reader's own open pulse; nothing
    for someone who does not read the job's pulses."""
    user = context["user"]
    if not pulse_can_read_job(user=user, job=job):
        return {"shown": False}
    latest = pulse_round_views(user=user, rounds=pulse_rounds_for_job(user=user, job=job)[:1])
    return {
        "shown": True,
        "job": job,
        "latest": latest[0] if latest else None,
        "mine": pulse_open_for(user=user, job=job),
        "user": user,
    }
