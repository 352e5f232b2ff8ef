"""The calibration panel on the job page:
`{% load calibration_panels %}{% calibration_job_panel job %}`.

A template library, so the jobs app (below partnership) imports nothing of ours.
"""

from __future__ import annotations

from typing import Any

from django import template

from closeloop.partnership.calibration.selectors import (
    calibration_can_see,
    calibration_job_figures,
    calibration_person_readable,
    calibration_round_progress,
)

register = template.Library()

PANEL_WEEKS = 6


@register.inclusion_tag("partnership/calibration/_job_panel.html", takes_context=True)
def calibration_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """The job's calibration figure, its recent weeks and the round (deciding team, admins)."""
    user = context["user"]
    if not calibration_can_see(user=user, job=job):
        return {"visible": False}
    figures = calibration_job_figures(job=job, zone=user.zone)
    return {
        "visible": True,
        # Pages name their reader "you": the panel on Hank's own job says "rated ... by you".
        "reader": user,
        "job": job,
        "figures": figures,
        "weeks": figures.recent_weeks_first[:PANEL_WEEKS],
        "progress": calibration_round_progress(job=job),
        "recruiter_readable": calibration_person_readable(viewer=user, person=job.recruiter),
    }
