"""What the README promises Ada, the admin, on her home page holds whenever the demo is seeded:
the organisation's overdue asks by person, the escalations that reached her, jobs at risk."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.demo.seed import demo_seed
from closeloop.followups.engine import asks_advance
from closeloop.pipeline.overview import org_overview

UTC = dt.UTC
MOMENTS = [
    ("thu-1930", dt.datetime(2026, 11, 26, 19, 30, tzinfo=UTC)),
    ("sun-1400", dt.datetime(2026, 11, 29, 14, 0, tzinfo=UTC)),
    ("fri-1000-christmas", dt.datetime(2026, 12, 25, 10, 0, tzinfo=UTC)),
]


@pytest.fixture(
    scope="module", params=[moment for _, moment in MOMENTS], ids=[label for label, _ in MOMENTS]
)
def seeded(request, django_db_setup, django_db_blocker):
    """The demo seeded at one moment and the worker's first loops done; rolled back after."""
    with (
        time_machine.travel(request.param, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        demo_seed()
        # The worker reaches one rung per ask a loop: its first few loops, as in the demo.
        for _ in range(10):
            if not asks_advance(limit=10_000).handled:
                break
        yield
        transaction.set_rollback(True)


@pytest.fixture
def ada(seeded, db):
    return User.objects.get(email="ada@example.com")


def test_ada_sees_who_owes_overdue_asks_the_escalations_that_reached_her_and_jobs_at_risk(ada):
    overview = org_overview(user=ada, top=50)
    people = [row.person.email for row in overview.overdue_people]
    assert "hank@example.com" in people
    assert overview.overdue_asks_total == sum(row.count for row in overview.overdue_people)
    assert any(
        row.ask.owner.email == "hank@example.com" and row.as_admin for row in overview.escalations
    )
    assert overview.jobs_at_risk
    assert all(risk.reasons for risk in overview.jobs_at_risk)


def test_her_home_page_shows_it_and_rita_does_not_see_it(ada, client):
    client.force_login(ada)
    html = client.get(reverse("pipeline:queue")).content.decode()
    assert 'id="org-overview"' in html
    assert "Overdue asks by person" in html
    assert "Escalated to the admins" in html
    client.force_login(User.objects.get(email="rita@example.com"))
    assert 'id="org-overview"' not in client.get(reverse("pipeline:queue")).content.decode()
