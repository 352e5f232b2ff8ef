"""Intake fixtures: a Monday-morning clock and helpers that drive the guided form."""

from __future__ import annotations

import pytest
from intake_helpers import complete_draft


@pytest.fixture
def world(clock, world):
    return world


@pytest.fixture
def drafted(world):
    """rita's complete draft of version 1 (through the services, not proposed)."""
    return complete_draft(world)


@pytest.fixture
def proposed(drafted, world):
    from closeloop.intake.services import intake_propose

    return intake_propose(version=drafted, by=world.rita)


@pytest.fixture
def signed(proposed, world):
    from closeloop.intake.services import intake_sign

    version = intake_sign(version=proposed, by=world.hank)
    world.job.refresh_from_db()  # the agreement was handed over to the job
    return version
