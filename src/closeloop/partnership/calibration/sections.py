"""Calibration's sections of the touch-base agenda and of the weekly update.

Registered with touch-bases from `plug.plug_in()`; each is a plain function that reads the
figures through this part's selectors (a fixed number of queries per agenda or update).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from closeloop.partnership.calibration.selectors import (
    RECENT,
    WEEKS_SHOWN,
    calibration_jobs_week,
    calibration_recent,
)
from closeloop.touchbases.sections import WeeklyLine, agenda_item

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job
    from closeloop.touchbases.models import Touchbase


def calibration_agenda(
    touchbase: Touchbase, since: dt.datetime, now: dt.datetime
) -> list[dict[str, Any]]:
    """One line on the job's last RECENT rated decisions ("2 of the last 6 close"), flagged
    with a question for the meeting when fewer than half were close."""
    job = touchbase.job
    recent = calibration_recent(job=job, count=RECENT)
    if not recent.rated:
        return []
    text = f"Calibration: {recent.close} of the last {recent.rated} close"
    if recent.is_low:
        text += " — review the must-haves?"
    return [
        agenda_item(
            text,
            detail=f"Close or Spot on, as {job.hiring_manager.full_name} rated each decision",
            url=reverse("partnership:calibration-round", args=[job.pk]),
            flag="warn" if recent.is_low else "",
        )
    ]


def calibration_weekly(
    person: User, jobs: list[Job], week_start: dt.datetime, week_end: dt.datetime
) -> list[WeeklyLine]:
    """For each job the person recruits or hires for: this week's rated decisions and the
    share close over the last weeks (one query for all the jobs)."""
    mine = [job for job in jobs if person.pk in (job.recruiter_id, job.hiring_manager_id)]
    rows = calibration_jobs_week(jobs=mine, start=week_start, end=week_end, zone=person.zone)
    return [_weekly_line(row.job, row.week, row.trend) for row in rows]


def _weekly_line(job: Job, week: Any, trend: Any) -> WeeklyLine:
    if week.rated:
        text = f"{job.title}: {week.close} of {week.rated} rated close or better this week"
    else:
        text = f"{job.title}: no decision rated this week"
    # Shown in brackets after the line: no brackets of its own.
    detail = (
        f"{trend.percent}% close or better over the last {WEEKS_SHOWN} weeks, "
        f"{trend.close} of {trend.rated}"
    )
    if trend.is_low:
        detail += " — low: worth reviewing the must-haves together"
    url = settings.SITE_URL + reverse("partnership:calibration-round", args=[job.pk])
    return WeeklyLine(text, detail, url)
