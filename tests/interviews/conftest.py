"""Interview fixtures: a Monday-morning clock, a round of the plan, a second interviewer,
and a booked interview of Carla (whom ivy interviews) with ivy and jonas."""

from __future__ import annotations

import datetime as dt

import pytest
from interview_helpers import book, end, score


@pytest.fixture
def world(clock, world):
    return world


@pytest.fixture
def jonas(world):
    from closeloop.accounts.models import User

    user = User.objects.create_user(
        "jonas@example.com",
        "correct-horse-battery",
        full_name="Jonas Interviewer",
        is_interviewer=True,
    )
    world.job.interviewers.add(user)
    return user


@pytest.fixture
def technical(world, jonas):
    """Round 1 of the Backend Engineer plan: 60 minutes, ivy and jonas, two attributes."""
    from closeloop.jobs.models import InterviewRound

    round_ = InterviewRound.objects.create(
        job=world.job,
        position=0,
        name="Technical",
        duration_minutes=60,
        focus_attributes=["Python", "System design"],
    )
    round_.interviewers.set([world.ivy, jonas])
    return round_


@pytest.fixture
def interview(world, technical, jonas):
    """rita books Carla's Technical interview for Monday 14:00–15:00 UTC."""
    return book(
        world, technical, [world.ivy, jonas], dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)
    )


@pytest.fixture
def debrief(world, clock, interview, jonas):
    """Carla's Technical interview ends and both scorecards are in: its debrief is open.
    (A module that needs another moment defines its own.)"""
    from closeloop.interviews.models import Debrief

    end(clock, interview)
    score(interview, world.ivy)
    score(interview, jonas)
    return Debrief.objects.get()
