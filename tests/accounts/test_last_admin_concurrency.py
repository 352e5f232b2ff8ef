"""Two admins stepping each other down at the same moment: one wins, the other is refused,
and an admin is left. PostgreSQL only (SQLite serialises every writer, so there the race
cannot happen and the test would prove nothing)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from closeloop.accounts.models import User
from closeloop.accounts.people import user_deactivate, user_roles_update

pytestmark = pytest.mark.slow


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises writers, so the two changes cannot race there "
            "(CI runs this with DATABASE_URL=postgres://…)."
        )


def race(*acts) -> list[str]:
    """Run the acts at once, each on its own connection; what each one ended with."""
    start = threading.Barrier(len(acts))
    results: list[str] = [""] * len(acts)

    def run(i: int, act) -> None:
        try:
            start.wait()
            act()
            results[i] = "done"
        except (ValidationError, PermissionDenied) as refusal:
            results[i] = f"refused: {refusal}"
        except Exception as error:  # a deadlock or a server error: the test fails on it
            results[i] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, act)) for i, act in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(5))
def test_two_admins_demoting_each_other_leave_one_admin(postgresql, attempt):
    ada = User.objects.create_user("ada@example.com", "x", full_name="Ada", is_admin=True)
    rita = User.objects.create_user("rita@example.com", "x", full_name="Rita", is_admin=True)
    roles = {"is_recruiter": True}
    results = race(
        lambda: user_roles_update(user=rita, by=ada, roles=roles),
        lambda: user_roles_update(user=ada, by=rita, roles=roles),
    )
    assert sorted(result.split(":")[0] for result in results) == ["done", "refused"], results
    assert User.objects.filter(is_admin=True, is_active=True).count() == 1


@pytest.mark.parametrize("attempt", range(5))
def test_two_admins_deactivating_each_other_leave_one_admin(postgresql, attempt):
    ada = User.objects.create_user("ada@example.com", "x", full_name="Ada", is_admin=True)
    rita = User.objects.create_user("rita@example.com", "x", full_name="Rita", is_admin=True)
    results = race(
        lambda: user_deactivate(user=rita, by=ada),
        lambda: user_deactivate(user=ada, by=rita),
    )
    assert sorted(result.split(":")[0] for result in results) == ["done", "refused"], results
    assert User.objects.filter(is_admin=True, is_active=True).count() == 1
