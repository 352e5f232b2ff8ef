"""A longest wait names the move its owner owes, as their queue does: an interviewer who holds
the move after her interview took place owes its scorecard ("Give feedback on the Technical
interview", chased by her scorecard ask), not the next booking; and while a job is on hold
nothing is booked, so its recruiter's move is the news the candidate is owed."""

from __future__ import annotations

import datetime as dt

import pytest

from closeloop.interviews.models import Interview
from closeloop.interviews.services import Slot, interview_book
from closeloop.interviews.services.steps import interview_complete
from closeloop.jobs.models import Job, JobStatus, StageKind
from closeloop.pipeline.selectors import queue_for
from closeloop.pipeline.services import application_move

URL = "/insights/waits/"


@pytest.fixture
def world(clock, world):
    return world


@pytest.fixture
def held(world, clock) -> Interview:
    """Carla's technical interview with ivy took place two days ago; the worker completed it
    and ivy still owes its scorecard."""
    Interview.objects.all().delete()
    interviewing = world.job.stages.get(kind=StageKind.INTERVIEWING)
    application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
    starts_at = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    interview = interview_book(
        application=world.interviewed,
        by=world.rita,
        round=None,
        round_name="Technical",
        slot=Slot(starts_at=starts_at, time_zone="UTC", interviewers=[world.ivy]),
    )
    clock.move_to(interview.ends_at + dt.timedelta(days=2))
    assert interview_complete(pk=interview.pk, now=interview.ends_at + dt.timedelta(minutes=1))
    return interview


def _carla(rows, world):
    (row,) = [row for row in rows if row.item.application.pk == world.interviewed.pk]
    return row


def test_a_held_interviews_scorecard_is_the_move(world, login, held):
    row = _carla(login(world.ada).get(URL).context["rows"], world)

    assert row.item.owner == world.ivy
    assert row.item.move == "Give feedback on the Technical interview"
    assert row.ask is not None and row.ask.kind == "submit_scorecard"
    (mine,) = [i for i in queue_for(user=world.ivy).i_owe if i.application == world.interviewed]
    assert mine.move == row.item.move  # her queue says the same


def test_a_job_on_hold_books_nothing(world, login, held):
    Interview.objects.all().delete()  # called off with the hold; the recruiter holds the move
    world.interviewed.next_move_owner = world.rita
    world.interviewed.save(update_fields=["next_move_owner"])
    Job.objects.filter(pk=world.job.pk).update(status=JobStatus.ON_HOLD)

    row = _carla(login(world.ada).get(URL).context["rows"], world)

    assert row.item.move == "Keep the candidate posted: the job is on hold"
