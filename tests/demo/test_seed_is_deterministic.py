"""Seeding is deterministic: the same organisation whatever the day, only the times move."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.demo.seed import demo_is_seeded, demo_seed
from closeloop.jobs.models import Job
from closeloop.pipeline.models import Application, Submission, SubmissionDecision

SUNDAY_NIGHT = dt.datetime(2025, 11, 16, 23, 30, tzinfo=dt.UTC)
# A working afternoon, and the night Europe moves its clocks forward.
OTHER_MOMENTS = {
    "wednesday": dt.datetime(2025, 11, 19, 15, 45, tzinfo=dt.UTC),
    "dst": dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),
}


@dataclass
class Seeded:
    facts: dict[str, list[tuple]]
    stamps: list[tuple]


def facts() -> dict[str, list[tuple]]:
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


def hanks_waiting_days(now: dt.datetime) -> list[float]:
    pending = Submission.objects.filter(
        decision=SubmissionDecision.PENDING,
        application__job__hiring_manager__email="hank@example.com",
        application__status="active",
    )
    return sorted((now - s.submitted_at) / dt.timedelta(days=1) for s in pending)


def seed_at(moment: dt.datetime) -> Seeded:
    """Seed at `moment` in a savepoint, look, roll back."""
    with time_machine.travel(moment, tick=False), transaction.atomic():
        demo_seed()
        now = timezone.now()
        assert now == moment
        assert not Activity.objects.filter(at__gt=now).exists()
        waits = hanks_waiting_days(now)
        assert len([w for w in waits if 1 <= w <= 9]) >= 4, waits
        assert Activity.objects.order_by("at").first().at >= now - dt.timedelta(days=92)
        stamps = sorted(Activity.objects.values_list("kind", "summary", "at"), key=repr)
        seeded = Seeded(facts(), stamps)
        transaction.set_rollback(True)
    return seeded


@pytest.fixture(scope="module")
def sunday_night(django_db_setup, django_db_blocker) -> Seeded:
    with django_db_blocker.unblock():
        return seed_at(SUNDAY_NIGHT)


def test_an_empty_database_is_not_seeded(db):
    assert not demo_is_seeded()


@pytest.mark.parametrize("moment", OTHER_MOMENTS.values(), ids=OTHER_MOMENTS.keys())
def test_seeding_on_another_day_builds_the_same_organisation(db, sunday_night, moment):
    assert seed_at(moment).facts == sunday_night.facts
    assert not demo_is_seeded()


def test_seeding_again_at_the_same_moment_writes_the_same_history(db, sunday_night):
    assert seed_at(SUNDAY_NIGHT).stamps == sunday_night.stamps
