"""Fixtures for the candidate and application pages: a throwaway media root, a submission."""

from __future__ import annotations

import pytest
from pipeline_helpers import PITCH


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores résumés in its own directory."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def submitted(world):
    """Carla (whom ivy interviews) submitted by rita to hank: a pending submission."""
    from closeloop.pipeline.services import application_submit

    return application_submit(
        application=world.interviewed,
        by=world.rita,
        pitch=PITCH,
        must_haves_met=["Python", "PostgreSQL"],
    )
