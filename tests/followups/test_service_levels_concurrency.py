"""Two admins saving a service level nobody has set yet, at the same moment: the second save
waits for the first and is judged against it, as it would be for a kind set before
(`followups.services.service_levels_update`). PostgreSQL only: SQLite runs one writing
transaction at a time, so there the saves cannot interleave and the test would prove nothing.

Neither save can lock a row that does not exist yet, so the test holds them where they
would interleave: a third transaction inserts the kind's row and keeps it uncommitted until
both saves are waiting on the database, then rolls it back.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.followups.models import ServiceLevel
from closeloop.followups.policies import service_levels_in_force
from closeloop.followups.services import service_levels_seen, service_levels_update

pytestmark = pytest.mark.slow

KIND = "review_submission"  # never set: it runs on its default, 2 business days


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises writers, so the two saves cannot race there "
            "(CI runs this with DATABASE_URL=postgres://…)."
        )


class Rollback(Exception):
    """Ends the blocking transaction without committing it."""


def _waiting_on_the_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def race_first_saves(*saves) -> list[str]:
    """Run the saves while an uncommitted row of KIND holds them; what each one ended with."""
    results: list[str] = [""] * len(saves)
    inserted, release = threading.Event(), threading.Event()

    def block() -> None:
        try:
            with transaction.atomic():
                ServiceLevel.objects.create(kind=KIND, amount=9)
                inserted.set()
                release.wait(timeout=30)
                raise Rollback
        except Rollback:
            pass
        finally:
            connection.close()

    def run(i: int, save) -> None:
        try:
            save()
            results[i] = "done"
        except ValidationError as refusal:
            results[i] = f"refused: {refusal.messages[0]}"
        except Exception as error:  # an IntegrityError, a deadlock: the test fails on it
            results[i] = f"error: {error!r}"
        finally:
            connection.close()

    blocker = threading.Thread(target=block)
    blocker.start()
    assert inserted.wait(timeout=10)
    threads = [threading.Thread(target=run, args=(i, save)) for i, save in enumerate(saves)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while _waiting_on_the_database() < len(saves) and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in (blocker, *threads):
        thread.join(timeout=30)
    return results


def changes_recorded() -> list[str]:
    changes = Activity.objects.filter(kind="closeloop.settings.service_level_changed")
    return list(changes.order_by("pk").values_list("summary", flat=True))


def test_two_first_saves_from_pages_out_of_date_save_once_and_refuse_the_other(postgresql):
    ada = User.objects.create_user("ada@example.com", "x", full_name="Ada", is_admin=True)
    rita = User.objects.create_user("rita@example.com", "x", full_name="Rita", is_admin=True)
    seen = service_levels_seen(service_levels_in_force())  # both pages: the default
    results = race_first_saves(
        lambda: service_levels_update(by=ada, levels={KIND: (1, True)}, seen=seen),
        lambda: service_levels_update(by=rita, levels={KIND: (3, True)}, seen=seen),
    )
    assert sorted(result.split(":")[0] for result in results) == ["done", "refused"], results
    assert "Someone saved changes to the service levels" in max(results)
    [level] = ServiceLevel.objects.all()
    saved = 1 if results[0] == "done" else 3
    assert (level.kind, level.amount) == (KIND, saved)
    assert len(changes_recorded()) == 1


def test_two_first_saves_by_a_script_both_apply_in_turn(postgresql):
    """Without a page (seen=None) nothing is refused: the second save applies after the
    first, and the audit trail says what it changed from."""
    ada = User.objects.create_user("ada@example.com", "x", full_name="Ada", is_admin=True)
    results = race_first_saves(
        lambda: service_levels_update(by=ada, levels={KIND: (1, True)}),
        lambda: service_levels_update(by=ada, levels={KIND: (3, True)}),
    )
    assert results == ["done", "done"], results
    assert ServiceLevel.objects.count() == 1
    first, second = changes_recorded()
    assert "(was 2 business days)" in first and "(was 2 business days)" not in second
