"""Follow-up engine fixtures: a clock on Monday morning and a submission that opens an ask."""

from __future__ import annotations

import pytest


@pytest.fixture
def world(clock, world):
    """The shared world, built with the clock already at Monday 10:00."""
    return world


@pytest.fixture
def submitted(world, clock):
    """rita submits Carla to hank on Monday 10:00; returns the submission."""
    from closeloop.pipeline.services import application_submit

    return application_submit(
        application=world.interviewed,
        by=world.rita,
        pitch="Ran Postgres on-call for 3 years.",
        must_haves_met=["Python", "PostgreSQL"],
    )
