"""What touch-bases do when lower apps announce a change (connected in `TouchbasesConfig.ready`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from closeloop.touchbases.services import (
    action_items_end_with_job,
    action_items_follow_calendar,
    series_sync,
    touchbases_resume_with_job,
)
from closeloop.touchbases.weekly import weekly_update_follow_zone

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job


def on_agreement_applied(
    sender: Any, *, job: Job, by: User | None, now: dt.datetime, **kwargs: Any
) -> None:
    """The agreed cadence reaches the calendars now (`series_sync_due` is the safety net)."""
    series_sync(job=job, by=by, now=now)


def on_job_role_changed(sender: Any, *, job: Job, by: User, **kwargs: Any) -> None:
    """A new recruiter or hiring manager: the series invites them (and sends the one they
    replace its cancellation) now, not on the worker's next loop, so the job page they land
    on names them."""
    series_sync(job=job, by=by)


def on_job_closed(sender: Any, *, job: Job, by: User, **kwargs: Any) -> None:
    """The search ended: its open action items are dropped with it, and the series ends now
    (its cancellation says why), not on the worker's next loop."""
    action_items_end_with_job(job=job, by=by)
    series_sync(job=job, by=by)


def on_job_reopened(sender: Any, *, job: Job, by: User | None, **kwargs: Any) -> None:
    """The search is on again: the series and its unrecorded meetings' asks come back now."""
    touchbases_resume_with_job(job=job, by=by)


def on_calendar_changed(
    sender: Any, *, user: User, changed: tuple[str, ...], **kwargs: Any
) -> None:
    """The weekly update goes out at its time in the person's own zone (working hours and
    holidays play no part in it), so only a new zone moves it. Their open action items are
    due at the end of their working day on their dates, in the new calendar."""
    if "time_zone" in changed:
        weekly_update_follow_zone(person=user)
    action_items_follow_calendar(person=user)
