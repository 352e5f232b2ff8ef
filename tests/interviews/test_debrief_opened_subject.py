"""The email that opens a debrief says in its subject what its reader has to do: the one who
decides is asked to decide, the others are told who decides (as the other subjects say
what to do: "Tell Carla: …", "Please sign the intake …")."""

from __future__ import annotations

import pytest
from interview_helpers import debrief_open

from closeloop.notify.models import Message


def _subject(person) -> str:
    return Message.objects.get(template="debrief-opened", recipient=person).subject


@pytest.fixture
def opened(world, clock, interview, jonas):
    """Carla's Technical round is over with both scorecards in: the debrief opens."""
    return debrief_open(world, clock, interview, jonas)


def test_the_hiring_manager_is_asked_to_decide(world, opened):
    assert _subject(world.hank) == (
        "Decide on Carla Candidate after the Technical round (Backend Engineer)"
    )


def test_the_recruiter_is_told_who_decides(world, opened):
    assert _subject(world.rita) == (
        "Hank Manager decides on Carla Candidate after the Technical round (Backend Engineer)"
    )


def test_while_the_hiring_manager_is_away_the_delegate_is_asked_and_he_is_told(
    world, clock, interview, jonas
):
    debrief_open(world, clock, interview, jonas, hank_away=True)
    assert _subject(world.olga) == (
        "Decide on Carla Candidate after the Technical round (Backend Engineer)"
    )
    # Not "Your decision: …" to the manager who is out of office and holds no decision.
    assert _subject(world.hank) == (
        "Olga Outsider decides on Carla Candidate while you are away (Backend Engineer)"
    )
