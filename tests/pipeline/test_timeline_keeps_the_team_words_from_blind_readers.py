"""An interviewer who still owes a scorecard on the candidate reads in the timeline what
happened (a move, a rejection) but not the hiring team's words on it (the move's reason,
the rejection's note), on the application's page and on the candidate's: the stage history
hides them from her too. Once her scorecard is in, or for the hiring team, they are there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from closeloop.interviews.models import Scorecard, ScorecardStatus
from closeloop.pipeline.selectors import candidate_timeline
from closeloop.pipeline.services import application_move, application_reject

REASON = "Strong call — line up the panel."
NOTE = "Thin on PostgreSQL internals."


@pytest.fixture
def moved(world):
    """Hank moves Carla (whom ivy interviews, her scorecard not in) on, with his reason."""
    stage = world.job.stages.get(kind="interviewing")
    application_move(application=world.interviewed, by=world.hank, to_stage=stage, reason=REASON)
    return world.interviewed


def _pages(client, application) -> list[str]:
    return [
        client.get(reverse(name, args=[pk])).content.decode()
        for name, pk in (
            ("pipeline:application-detail", application.pk),
            ("pipeline:candidate-detail", application.candidate_id),
        )
    ]


def test_the_blind_interviewer_reads_the_move_but_not_its_reason(world, login, moved):
    for html in _pages(login(world.ivy), moved):
        assert "Hank Manager moved Carla Candidate from Sourced to Interviewing" in html
        assert REASON not in html


def test_nor_the_note_of_a_rejection(world, login, moved):
    # Her interview took place (a rejection calls off only interviews still to come, and
    # with them the panel's access), her scorecard not in: she stays on the panel, blind.
    started = timezone.now() - dt.timedelta(hours=2)
    moved.interviews.update(
        starts_at=started, ends_at=started + dt.timedelta(hours=1), status="completed"
    )
    application_reject(application=moved, by=world.hank, reason="skills", note=NOTE)
    events = candidate_timeline(user=world.ivy, candidate=moved.candidate)
    rejected = events.get(kind="closeloop.application.rejected")
    assert rejected.detail_shown == "" and rejected.detail == NOTE
    for html in _pages(login(world.ivy), moved):
        assert "Hank Manager rejected Carla Candidate" in html
        assert NOTE not in html  # nor in the application's header
    assert NOTE in "".join(_pages(login(world.rita), moved))


def test_the_hiring_team_reads_the_reason(world, login, moved):
    for html in _pages(login(world.rita), moved):
        assert REASON in html


def test_once_her_scorecard_is_in_she_reads_it(world, login, moved):
    interview = moved.interviews.get()
    started = timezone.now() - dt.timedelta(hours=2)
    interview.starts_at, interview.ends_at = started, started + dt.timedelta(hours=1)
    interview.status = "completed"
    interview.save()
    Scorecard.objects.create(
        interview=interview,
        interviewer=world.ivy,
        status=ScorecardStatus.SUBMITTED,
        recommendation="yes",
        submitted_at=timezone.now(),
    )
    for html in _pages(login(world.ivy), moved):
        assert REASON in html
