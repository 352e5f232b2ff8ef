"""A stage removed while a candidate is moved into it: one of the two wins and nobody lands in
a removed stage. Moves hold the stage in the plan (`stage_keep`, FOR KEY SHARE) and the
removal locks the plan before counting. PostgreSQL only (SQLite serialises every writer, so
there the race cannot happen and the test would prove nothing)."""

from __future__ import annotations

import pytest
from django.db import connection

from closeloop.jobs.models import Stage
from closeloop.jobs.services import stage_remove
from closeloop.pipeline.models import Application
from closeloop.pipeline.services import application_move
from racing import race

pytestmark = pytest.mark.slow


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises writers, so a move and a removal cannot race "
            "there (CI runs this with DATABASE_URL=postgres://…)."
        )


def test_a_move_into_a_stage_being_removed_is_refused(postgresql, world):
    offer = world.job.stages.get(name="Offer")
    done = race(
        ("remove", lambda: stage_remove(stage=offer, by=world.rita)),
        (
            "move",
            lambda: application_move(application=world.sourced, by=world.rita, to_stage=offer),
        ),
    )
    assert done == ["move refused: Offer is no longer one of the job's stages.", "remove done"]
    assert Application.objects.get(pk=world.sourced.pk).stage.name == "Sourced"
    assert Stage.with_removed.get(pk=offer.pk).removed_at is not None


def test_a_removal_while_a_candidate_is_moved_in_counts_them(postgresql, world):
    offer = world.job.stages.get(name="Offer")
    done = race(
        (
            "move",
            lambda: application_move(application=world.sourced, by=world.rita, to_stage=offer),
        ),
        ("remove", lambda: stage_remove(stage=offer, by=world.rita)),
    )
    assert done == [
        "move done",
        "remove refused: Offer holds 1 candidate: move them out before removing it.",
    ]
    assert Application.objects.get(pk=world.sourced.pk).stage_id == offer.pk
    assert Stage.objects.filter(pk=offer.pk).exists()
