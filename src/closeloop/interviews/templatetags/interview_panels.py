"""Interview panels on the job and application pages (a fixed number of queries each)."""

from __future__ import annotations

from typing import Any

from django import template

from closeloop.interviews.selectors import (
    debriefs_for_application,
    debriefs_waiting,
    interview_can_book,
    interview_rows,
    interviews_this_week,
)

register = template.Library()


@register.inclusion_tag("interviews/_job_panel.html", takes_context=True)
def interviews_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """The soonest interviews of the next seven days (all of them on the job's interviews
    page) and rounds whose debrief waits for a decision."""
    user = context["user"]
    return {
        "job": job,
        "user": user,
        "this_week": interviews_this_week(user=user, job=job),
        "waiting": debriefs_waiting(user=user, job=job),
    }


@register.inclusion_tag("interviews/_application_panel.html", takes_context=True)
def interviews_application_panel(context: dict[str, Any], application: Any) -> dict[str, Any]:
    """The application's interviews with each interviewer's scorecard state (blind), and
    the debriefs the user may open (hiring team and the application's panel)."""
    user = context["user"]
    return {
        "application": application,
        "user": user,
        "rows": interview_rows(user=user, application=application),
        "debriefs": debriefs_for_application(user=user, application=application),
        "can_book": application.is_active and interview_can_book(user=user, job=application.job),
        # The delegate holding the decision while the hiring manager is away (the page's).
        "covered_by": context.get("covered_by"),
    }
