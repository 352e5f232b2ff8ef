"""The surveys panel on the job page: how the search ended and the hires' check-ins."""

from __future__ import annotations

from typing import Any

from django import template

from closeloop.partnership.surveys.selectors import survey_job_panel

register = template.Library()


@register.inclusion_tag(
    "partnership/surveys/_job_panel.html", takes_context=True, name="survey_job_panel"
)
def survey_job_panel_tag(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """Shown to the job's recruiter, HM and admins once the job has a survey or a hire."""
    return {"job": job, "panel": survey_job_panel(user=context["user"], job=job)}
