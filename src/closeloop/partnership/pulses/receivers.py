"""What pulses do when a lower app announces a change (connected in plug.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closeloop.partnership.pulses.services import pulse_round_end_with_job, pulse_side_hand_over

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job


def on_job_role_changed(
    sender: Any, *, job: Job, role: str, before: User, after: User, by: User, **kwargs: Any
) -> None:
    """jobs' `job_role_changed`: a new recruiter or hiring manager answers the open round in
    the place of the one they replace (the sides are named after the roles)."""
    pulse_side_hand_over(job=job, side=role, before=before, after=after, by=by)


def on_job_closed(sender: Any, *, job: Job, by: User | None, **kwargs: Any) -> None:
    """jobs' `job_closed`: the open round ends with the search, so nobody is chased for
    scores about a search that is over."""
    pulse_round_end_with_job(job=job, by=by)
