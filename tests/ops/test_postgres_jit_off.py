"""PostgreSQL's JIT and parallel workers stay off on Closeloop's connections: the JIT compiled
a jobs-list query for 140 ms to save nothing on a 25 ms query, and starting a parallel worker
for My queue's count of 800 asks took longer than the count (bench/pages.py)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "value"), [("jit", "off"), ("max_parallel_workers_per_gather", "0")]
)
def test_the_jit_and_parallel_workers_are_off_on_postgresql(setting, value):
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL has these; CI runs this with DATABASE_URL=postgres://…")
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone() == (value,)
