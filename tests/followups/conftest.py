"""Follow-up engine fixtures: a clock on Monday morning and a submission that opens an ask."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """Start the world at Monday 23 Nov 2026 10:00 UTC; `clock.move_to(...)` travels."""
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


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
