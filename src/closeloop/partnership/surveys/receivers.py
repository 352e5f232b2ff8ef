"""What the surveys part does when lower apps announce a change (connected in plug_in())."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closeloop.partnership.surveys.services import (
    checkins_plan,
    survey_open_when_it_ran,
    surveys_call_off,
)
from closeloop.pipeline.models import ApplicationStatus

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job
    from closeloop.pipeline.models import Application


def on_job_closed(sender: Any, *, job: Job, by: User | None, outcome: str, **kwargs: Any) -> None:
    """Filled, cancelled or failed: both sides are asked how the search went (unless it
    never really ran)."""
    survey_open_when_it_ran(job=job, by=by, outcome=outcome)


def on_job_reopened(sender: Any, *, job: Job, by: User | None, **kwargs: Any) -> None:
    """The search is on again: its survey still waiting for answers is called off."""
    surveys_call_off(job=job, by=by)


def on_application_closed(
    sender: Any, *, application: Application, by: User | None, reason: str, **kwargs: Any
) -> None:
    """A hire: plan the HM's 30- and 90-day check-ins (rejections and withdrawals: nothing)."""
    if application.status == ApplicationStatus.HIRED:
        checkins_plan(application=application)
