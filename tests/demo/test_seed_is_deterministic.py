"""Seeding is deterministic: seeded twice at the same moment, the demo is the same organisation
with the same history, stamp for stamp.

That it is the same organisation whatever the day (only the times move) is checked where the
demo is seeded at many moments anyway: test_demo_any_moment.py compares the organisation of
each of its moments (weekdays, weekends, holidays, clock changes) with the first it seeded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from demo_facts import hanks_waiting_days, history_stamps, organisation_facts
from django.db import transaction
from django.utils import timezone

from closeloop.activity.models import Activity
from closeloop.demo.seed import demo_is_seeded, demo_seed

SUNDAY_NIGHT = dt.datetime(2025, 11, 16, 23, 30, tzinfo=dt.UTC)


@dataclass
class Seeded:
    facts: dict[str, list[tuple]]
    stamps: list[tuple]


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
        seeded = Seeded(organisation_facts(), history_stamps())
        transaction.set_rollback(True)
    return seeded


@pytest.fixture(scope="module")
def sunday_night(django_db_setup, django_db_blocker) -> Seeded:
    with django_db_blocker.unblock():
        return seed_at(SUNDAY_NIGHT)


def test_an_empty_database_is_not_seeded(db):
    assert not demo_is_seeded()


def test_seeding_again_at_the_same_moment_builds_the_same_organisation_and_history(
    db, sunday_night
):
    again = seed_at(SUNDAY_NIGHT)
    assert again.facts == sunday_night.facts
    assert again.stamps == sunday_night.stamps
    assert not demo_is_seeded()
