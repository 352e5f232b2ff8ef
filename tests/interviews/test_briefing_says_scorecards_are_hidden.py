"""The briefing of a round someone does not sit on, read by someone who still owes scorecards
on the candidate from another round (an escalation contact who interviews, as Sofia does in
the demo): the scorecards that are in are hidden, and the page says so instead of "No
scorecards submitted yet"."""

from __future__ import annotations

import datetime as dt

import pytest
from interview_helpers import end, score

from closeloop.interviews.models import Interview
from closeloop.interviews.selectors import briefing_scorecards

SECRET = "Could not explain the indexes."


@pytest.fixture
def final_with_olga(world):
    """olga, the job's escalation contact, sits on Carla's final round, still to come."""
    world.job.escalation_contact = world.olga
    world.job.save()
    start = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    final = Interview.objects.create(
        application=world.interviewed,
        round_name="Final",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    final.interviewers.add(world.olga)
    return final


@pytest.fixture
def technical_scored(world, clock, interview, jonas):
    end(clock, interview)
    score(interview, jonas, notes=SECRET)
    score(interview, world.ivy)
    return interview


def test_the_other_rounds_interviewer_is_told_the_scorecards_are_hidden(
    world, login, final_with_olga, technical_scored
):
    body = login(world.olga).get(f"/interviews/{technical_scored.pk}/").content.decode()
    assert "No scorecards submitted yet." not in body
    assert (
        "2 scorecards are in, hidden from you until your own scorecards on Carla Candidate are in "
        "(you interview them in another round)"
    ) in body
    assert SECRET not in body


def test_with_none_in_she_is_told_there_are_none(world, clock, interview, final_with_olga):
    end(clock, interview)
    shown = briefing_scorecards(user=world.olga, interview=interview, on_panel=False)
    assert (shown.cards, shown.note) == ([], "No scorecards submitted yet.")


def test_once_hers_is_in_she_reads_them(world, login, clock, final_with_olga, technical_scored):
    end(clock, final_with_olga)
    score(final_with_olga, world.olga)
    body = login(world.olga).get(f"/interviews/{technical_scored.pk}/").content.decode()
    assert SECRET in body and "hidden from you" not in body


def test_the_recruiter_reads_them_all(world, login, technical_scored):
    shown = briefing_scorecards(user=world.rita, interview=technical_scored, on_panel=False)
    assert len(shown.cards) == 2 and shown.note == ""
