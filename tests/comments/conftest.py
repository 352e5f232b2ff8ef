from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def ivy_scored(world):
    """ivy has interviewed Carla and her scorecard is in: the scorecards' blindness, which
    also hides the comments about Carla from her until then, no longer holds."""
    from closeloop.interviews.models import Interview, Scorecard, ScorecardStatus

    long_ago = dt.datetime(2020, 1, 6, 10, tzinfo=dt.UTC)
    interviews = Interview.objects.filter(application=world.interviewed, interviewers=world.ivy)
    interviews.update(starts_at=long_ago, ends_at=long_ago + dt.timedelta(hours=1))
    for interview in interviews:
        Scorecard.objects.update_or_create(
            interview=interview,
            interviewer=world.ivy,
            defaults={"status": ScorecardStatus.SUBMITTED, "submitted_at": long_ago},
        )
    return world
