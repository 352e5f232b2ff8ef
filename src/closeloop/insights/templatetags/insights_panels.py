"""The insights panel on the job page: how fast the hiring team answers on this job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from closeloop.insights.forms import DEFAULT_DAYS
from closeloop.insights.selectors import Period, job_team_responsiveness, records_readable

register = template.Library()


@register.inclusion_tag("insights/_job_panel.html", takes_context=True)
def insights_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """The team's figures on the job over the last 90 days (team and admins only)."""
    user = context["user"]
    zone = user.zone
    today = timezone.localdate(timezone.now(), zone)
    start = today - dt.timedelta(days=DEFAULT_DAYS - 1)
    period = Period(
        dt.datetime.combine(start, dt.time(0), tzinfo=zone),
        dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )
    rows = job_team_responsiveness(viewer=user, job=job, period=period)
    # A name links only to a record the reader may open (a deactivated teammate's is closed
    # to all but admins): the others read "(deactivated)", never a link to a 404.
    readable = records_readable(viewer=user, ids=[row.person.pk for _role, row in rows or []])
    return {
        "team_rows": rows,
        "team_start": start,
        "team_end": today,
        "job": job,
        "readable": readable,
    }
