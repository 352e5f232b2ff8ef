"""Touch-base and weekly-update panels on the job and profile pages, and agenda helpers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import template
from django.utils import timezone

from closeloop.followups.selectors import covering_words
from closeloop.jobs.selectors import job_can_manage
from closeloop.lib.forms import refused_kept
from closeloop.lib.timefmt import absolute, zoned_unless_viewers
from closeloop.touchbases.forms import WEEKLY_KEPT, WeeklyUpdateForm
from closeloop.touchbases.models import ActionItem, ActionItemStatus, TouchbaseSeries
from closeloop.touchbases.selectors import (
    SeriesState,
    series_for_job,
    series_list_for_person,
    series_state,
    touchbase_can_view,
    touchbase_current,
    touchbase_history,
)
from closeloop.touchbases.slots import WEEKDAY_NAMES, zone_or_utc
from closeloop.touchbases.weekly import (
    weekly_update_describe,
    weekly_update_held_back_by,
    weekly_update_schedule_for,
)

if TYPE_CHECKING:
    from closeloop.accounts.models import User

register = template.Library()


@register.filter(name="covering_for")
def covering_for_filter(absent: User, reader: User | None) -> str:
    """`{{ item.owner|covering_for:user }}`: what whoever holds the item does for its owner,
    "covering for Hank Manager (out of office until Fri 11 Dec)" ("covering for you (…)" to
    Hank himself), as the agenda says it."""
    return covering_words(absent, reader)


@register.inclusion_tag("touchbases/_job_panel.html", takes_context=True)
def touchbase_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """The job's series, this week's meeting, recent ones and open action items (team only)."""
    user = context["user"]
    if not touchbase_can_view(user=user, job=job):
        return {"visible": False}
    series = series_for_job(job=job)
    state = series_state(job=job, series=series)
    active = state == SeriesState.RUNNING
    now = timezone.now()
    current = touchbase_current(series=series, now=now) if series and active else None
    return {
        "visible": True,
        "job": job,
        "user": user,
        "series": series,
        "state": state,
        "active": active,
        "current": current,
        # This week's meeting may be next week's: the panel says "next" until it starts.
        "upcoming": current is not None and current.scheduled_at > now,
        "history": touchbase_history(series=series, exclude=current, limit=4) if series else [],
        "open_items": ActionItem.objects.filter(job=job, status=ActionItemStatus.OPEN).count(),
        # Set up (or sync) only while the search is on: a filled or closed job's series ended.
        "can_set_up": state != SeriesState.ENDED and job_can_manage(user=user, job=job),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("touchbases/_profile_panel.html", takes_context=True)
def touchbase_profile_panel(context: dict[str, Any], profile_user: Any) -> dict[str, Any]:
    """The person's touch-bases and their weekly-update settings with a preview link."""
    user = context["user"]
    schedule = weekly_update_schedule_for(person=profile_user)
    gets_update = profile_user.is_hiring_manager or profile_user.is_recruiter or schedule
    # Just refused: the form as it was sent, its problems beside the boxes.
    kept = refused_kept(context["request"].session, WEEKLY_KEPT, person=profile_user.pk)
    form = WeeklyUpdateForm(kept) if kept else None
    if form is not None:
        form.is_valid()
    return {
        "user": user,
        "profile_user": profile_user,
        "series_list": series_list_for_person(person=profile_user),
        "gets_update": bool(gets_update),
        "schedule": schedule,
        "describe": weekly_update_describe(person=profile_user, schedule=schedule),
        "held_back_by": weekly_update_held_back_by(person=profile_user, schedule=schedule),
        "form": form or WeeklyUpdateForm(initial=WeeklyUpdateForm.initial_for(schedule)),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def iso_when(value: str) -> str:
    """An ISO timestamp from an agenda snapshot, shown like `when` in the viewer's zone."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return ""
    return absolute(moment)


@register.filter
def local_when(value: dt.datetime | None, zone_name: str) -> str:
    """A moment in a named zone (a meeting's own time): "Thu 03 Dec 10:00"."""
    if value is None:
        return ""
    return absolute(value, zone_or_utc(zone_name))


@register.filter
def meeting_when(value: dt.datetime | None, zone_name: str) -> str:
    """A meeting's time in its own zone, the zone named unless it is the viewer's:
    "Mon 30 Nov 10:00 (Europe/Berlin)"; every list of a series' meetings reads the same."""
    return zoned_unless_viewers(value, zone_name)


@register.filter
def cadence(series: TouchbaseSeries | None) -> str:
    """A series' rhythm with its weekday and zone: "Mondays 10:00 (Europe/Berlin)"."""
    if series is None:
        return ""
    return f"{WEEKDAY_NAMES[series.weekday]}s {series.start_time:%H:%M} ({series.time_zone})"
