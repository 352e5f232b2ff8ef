"""What the demo's determinism tests compare: the organisation a person would recognise, and
the history's stamps. Shared by test_demo_any_moment.py (the same organisation at every
moment) and test_seed_is_deterministic.py (the same history when seeded twice at one moment).
"""

from __future__ import annotations

import datetime as dt

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.jobs.models import Job
from closeloop.pipeline.models import Application, Submission, SubmissionDecision


def organisation_facts() -> dict[str, list[tuple]]:
    """What a person would recognise: who is there and where every candidate stands."""
    applications = Application.objects.values_list(
        "candidate__full_name",
        "candidate__email",
        "candidate__current_company",
        "job__title",
        "status",
        "stage__name",
        "next_move_owner__email",
        "closed_reason",
    )
    return {
        "people": sorted(User.objects.values_list("email", "full_name", "time_zone")),
        "jobs": sorted(Job.objects.values_list("title", "status", "must_haves")),
        "applications": sorted(applications, key=repr),
        "decisions": sorted(Submission.objects.values_list("pitch", "decision", "pass_reason")),
    }


def history_stamps() -> list[tuple]:
    """Every event of the history: its kind, its words and its time."""
    return sorted(Activity.objects.values_list("kind", "summary", "at"), key=repr)


def hanks_waiting_days(now: dt.datetime) -> list[float]:
    """How long each submission pending on hank's jobs has waited, in days."""
    pending = Submission.objects.filter(
        decision=SubmissionDecision.PENDING,
        application__job__hiring_manager__email="hank@example.com",
        application__status="active",
    )
    return sorted((now - s.submitted_at) / dt.timedelta(days=1) for s in pending)
