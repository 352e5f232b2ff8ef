"""The demo's end-of-search surveys and quality-of-hire check-ins, through the services.

Two searches ended and both sides answered the survey: *Engineering Manager, Payments*
(filled; Marcus and Hank would work together again) and *Growth Marketing Manager* (failed:
the profile could not be found in the market; Priya and Grace say what they would change).
Every hire of the seeded history has its 30- and 90-day check-ins planned: the worker opens
them when due. The Payments hire was made five weeks ago, so its 30-day check-in opened
and Hank answered it. Closing any
open job as cancelled (its edit form) sends both sides the survey, live.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from closeloop.jobs.models import JobOutcome
from closeloop.partnership.surveys.models import QualityCheckin
from closeloop.partnership.surveys.services import (
    checkin_answer,
    checkins_open_due,
    checkins_plan,
    survey_answer,
    survey_open,
)
from closeloop.pipeline.models import Application, ApplicationStatus

DAY = dt.timedelta(days=1)

# (job key, the recruiter's answer, the HM's answer): again, what worked, what to change.
ANSWERS = {
    "em": (
        ("yes", "Hank's feedback after every round was clear and specific.",
         "Answer reviews within the agreed two days: two good candidates waited a week."),
        ("yes", "A short slate, but every candidate on it was someone I wanted to meet.",
         "Tell me earlier when the market says our range is low."),
    ),
    "marketing": (
        ("yes", "Grace's feedback on each profile was fast and specific.",
         "We changed the must-haves twice after the intake; amend and re-sign it when they "
         "move, so the slate follows."),
        ("maybe", "Priya kept me informed every week, including the bad news.",
         "Paid acquisition plus B2B in New York at this range does not exist: say so in "
         "week two, not week ten."),
    ),
}  # fmt: skip


def _survey_answered(ctx: Any, closed_at: dt.datetime, outcome: str) -> None:
    """The survey of a search that ended at `closed_at`, answered by both within a week."""
    job = ctx.job
    survey = survey_open(job=job, by=ctx.recruiter, outcome=outcome, now=closed_at)
    for person, (again, worked, change), days in zip(
        (ctx.recruiter, ctx.hm), ANSWERS[ctx.plan.key], (1, 4), strict=True
    ):
        at = closed_at + days * DAY
        survey_answer(survey=survey, by=person, again=again, what_worked=worked,
                      what_to_change=change, at=at)  # fmt: skip


def _checkins_answered(org: Any) -> None:
    """The check-ins already due, opened when they came due (as the worker would have) and
    answered by the hiring manager two days later."""
    due = QualityCheckin.objects.filter(due_at__lte=org.now, opened_at__isnull=True)
    for checkin in due.order_by("due_at"):
        checkins_open_due(now=checkin.due_at)
        checkin.refresh_from_db()
        if checkin.opened_at is None:
            continue
        checkin_answer(
            checkin=checkin, by=checkin.hiring_manager, rating=4, hire_again="yes",
            note="Took over the payments on-call rotation in week three; the team trusts "
            "their reviews already.", at=min(checkin.due_at + 2 * DAY, org.now),
        )  # fmt: skip


def seed(org: Any) -> dict[str, int]:
    for key, outcome in (("em", JobOutcome.FILLED), ("marketing", JobOutcome.FAILED)):
        ctx = org.jobs[key]
        _survey_answered(ctx, ctx.job.closed_at, outcome)
    # Every hire of the seeded history gets its check-ins planned, as a live hire does.
    for application in Application.objects.filter(status=ApplicationStatus.HIRED):
        checkins_plan(application=application)
    _checkins_answered(org)
    return {
        "surveys": 2,
        "quality check-ins": QualityCheckin.objects.count(),
    }
