"""The benchmarks' toy runs share one migrate per session (per xdist worker).

Migrating a fresh database from nothing is most of what a toy run costs (96 migrations, about
11 s of CPU on SQLite). Each toy run passes `--template`: the first of the session migrates
its database from nothing, as a real run does, and saves it there; the others start from a
copy of it, and their migrate has nothing left to apply. So the migrations still run from
zero on the database the suite runs on (tests/test_migrations.py counts on it), once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def bench_template(tmp_path_factory) -> Iterator[str]:
    """The URL of the session's migrated template: a SQLite file in a temporary folder, or
    `<test db>_bench_template` beside the test database (dropped at the end of the session)."""
    from test_asks_sweep import bench_database_url, bench_module

    url = bench_database_url(tmp_path_factory.mktemp("bench_template"), "bench_template")
    yield url
    if not url.startswith("sqlite"):
        bench_module("benchdb").database_drop(url)
