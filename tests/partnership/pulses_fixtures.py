"""Pulse fixtures, imported by each pulse test module (not a conftest: the other parts'
tests share this folder and need not run on the clock): the clock on Monday 23 Nov 2026
10:00 UTC, and a round on "Backend Engineer" (hank, its hiring manager, and rita, its
recruiter, rate each other)."""

from __future__ import annotations

import pytest

__all__ = ["pulse", "world"]


@pytest.fixture
def world(clock, world):
    return world


@pytest.fixture
def pulse(world):
    """An open round on the job, opened now: one answer_pulse ask each for hank and rita."""
    from closeloop.partnership.pulses.services import pulse_round_open

    return pulse_round_open(job=world.job)
