"""Two admins adding overlapping office closures at the same moment: one is saved, the other
refused as overlapping it (`followups.services.office_closure_add` takes turns). PostgreSQL
only: SQLite runs one writing transaction at a time, so there they cannot interleave."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from closeloop.accounts.models import User
from closeloop.followups.models import OfficeClosure
from closeloop.followups.services import office_closure_add
from racing import race

pytestmark = pytest.mark.slow


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises writers, so the two adds cannot race there "
            "(CI runs this with DATABASE_URL=postgres://…)."
        )


def test_two_overlapping_closures_added_at_once_save_one(postgresql):
    ada = User.objects.create_user("ada@example.com", "x", full_name="Ada", is_admin=True)
    rita = User.objects.create_user("rita@example.com", "x", full_name="Rita", is_admin=True)

    def add(by: User, name: str, first: int, last: int):
        return lambda: office_closure_add(
            by=by, name=name, first_day=dt.date(2026, 12, first), last_day=dt.date(2026, 12, last)
        )

    results = race(("ada", add(ada, "Shutdown", 24, 31)), ("rita", add(rita, "Offsite", 30, 30)))
    assert results[0] == "ada done", results
    assert results[1].startswith("rita refused: These days overlap “Shutdown”"), results
    assert list(OfficeClosure.objects.values_list("name", flat=True)) == ["Shutdown"]
