"""The seeded demo, once per module, for the partnership parts' demo tests (imported by each,
not a conftest: the other tests of this folder need no demo). Seeded as `closeloop demo`
seeds it: what seeding queues goes out at any hour. The module's transaction is rolled back
at its end; each test runs in a savepoint inside it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from closeloop.demo.seed import demo_seed

__all__ = ["demo", "seeded"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(QUIET_HOURS=False), transaction.atomic():
        yield demo_seed()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded
