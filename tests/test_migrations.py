"""The test databases are built from the models, and that is the schema the migrations build.

pyproject's addopts run the suite with pytest-django's --no-migrations: each xdist worker's
database is created straight from the models instead of by running every migration (about
3 s per worker on SQLite, 4 s on PostgreSQL). That is the same schema as long as the
migrations describe exactly the models and do nothing the models cannot say, which these
tests hold. A migration that needs SQL of its own (a trigger, a hand-written index) makes the
second test fail: then drop --no-migrations from addopts rather than the check.

The migrations themselves still run from zero in the tests that start real processes:
`closeloop migrate` and `closeloop demo` on SQLite (tests/ops), and the benchmarks' migrate
on the database the suite runs on, SQLite or PostgreSQL (tests/bench).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import migrations
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

# The real migration modules: --no-migrations replaces MIGRATION_MODULES for the session.
real_migrations = override_settings(MIGRATION_MODULES={})


@real_migrations
def test_the_migrations_describe_the_models_exactly(db):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:  # --check exits 1 when a migration is missing
        pytest.fail(f"the models have changes no migration describes (exit {exit_.code})")


def operations(operation) -> list:
    """An operation, and those inside a SeparateDatabaseAndState."""
    if isinstance(operation, migrations.SeparateDatabaseAndState):
        return [op for inner in operation.database_operations for op in operations(inner)]
    return [operation]


@real_migrations
def test_no_migration_does_what_the_models_cannot_say():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {
        key: migration
        for key, migration in loader.disk_migrations.items()
        if type(migration).__module__.startswith("closeloop.")
    }
    assert ours, "no migrations found"
    raw_sql = sorted(
        f"{app}.{name}"
        for (app, name), migration in ours.items()
        for operation in migration.operations
        for op in operations(operation)
        if isinstance(op, migrations.RunSQL)
    )
    assert raw_sql == [], "the test databases, built from the models, would miss this SQL"


@real_migrations
def test_each_squash_replaces_its_apps_migrations_and_builds_the_same_models():
    """A fresh database runs the squashes, an installation part-way through the originals:
    each squash replaces every migration of its app up to the one it is named after (later
    migrations follow it as usual), and both ends are the same models."""
    originals = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    squashes = {key: m for key, m in originals.replacements.items() if key[0] != "auth"}
    assert squashes, "no squashed migrations found"
    for (app, name), squash in squashes.items():
        up_to = int(name.split("_squashed_")[1][:4])
        replaced = sorted(
            key
            for key, migration in originals.disk_migrations.items()
            if key[0] == app and not migration.replaces and int(key[1][:4]) <= up_to
        )
        assert sorted(squash.replaces) == replaced, f"{app}.{name} replaces {squash.replaces}"
    squashed_apps = {app for app, _ in squashes}
    ends = [squash.replaces[-1] for squash in squashes.values()]
    ends += [key for key in originals.graph.leaf_nodes() if key[0] not in squashed_apps]
    by_originals = originals.project_state(ends)
    squashed = MigrationLoader(None, ignore_no_migrations=True)
    by_squashes = squashed.project_state(
        [*squashes, *(key for key in ends if key[0] not in squashed_apps)]
    )
    changes = MigrationAutodetector(by_originals, by_squashes).changes(graph=squashed.graph)
    assert changes == {}, f"the squashes build other models than the originals: {changes}"
