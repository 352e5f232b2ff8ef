"""PostgreSQL's JIT stays off on Closeloop's connections: it compiled a jobs-list query for
140 ms to save nothing on a 25 ms query (bench/pages.py)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_jit_is_off_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL has a JIT; CI runs this with DATABASE_URL=postgres://…")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
