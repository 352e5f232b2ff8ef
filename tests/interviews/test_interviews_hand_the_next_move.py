"""The interview loop says whose move it is through the pipeline's one door: the next
interviewer while an interview is coming, the HM once the debrief opens (and while it is on
hold: the decision is still theirs), the recruiting side when the interviews are called off."""

from __future__ import annotations

import datetime as dt

import pytest
from interview_helpers import end, score

from closeloop.interviews.models import Debrief, Interview
from closeloop.interviews.services import Decision, debrief_decide, interview_cancel

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def only_the_booked_round(world):
    """Without the world's own unbooked interview, so "nothing coming" is true after a call-off."""
    Interview.objects.filter(application=world.interviewed, round__isnull=True).delete()


def owner_and_since(world):
    world.interviewed.refresh_from_db()
    return world.interviewed.next_move_owner, world.interviewed.next_move_since


def test_a_booked_interview_is_its_first_interviewers_move_from_the_booking(world, interview):
    assert world.job.coordinator is None  # else the recruiting side below is the coordinator
    first = interview.interviewers.order_by("pk").first()
    assert owner_and_since(world) == (first, MONDAY_10)


def test_calling_the_interview_off_hands_the_move_back_to_the_recruiting_side(
    world, clock, interview
):
    clock.shift(dt.timedelta(minutes=30))
    interview_cancel(interview=interview, by=world.rita, reason="Panel is ill.")
    assert owner_and_since(world) == (world.rita, MONDAY_10 + dt.timedelta(minutes=30))


def test_the_debrief_opening_makes_it_the_hms_move(world, clock, interview, jonas):
    end(clock, interview)
    score(interview, world.ivy)
    score(interview, jonas)
    assert Debrief.objects.filter(application=world.interviewed).exists()
    assert owner_and_since(world) == (world.hank, interview.ends_at + dt.timedelta(minutes=1))


def test_a_hold_leaves_the_move_with_the_hm_who_decides_again(world, clock, interview, jonas):
    end(clock, interview)
    score(interview, world.ivy)
    score(interview, jonas)
    decision_owed = owner_and_since(world)  # the debrief handed Hank the decision
    assert decision_owed[0] == world.hank
    clock.shift(dt.timedelta(hours=2))
    debrief_decide(
        debrief=Debrief.objects.get(), by=world.hank, decision=Decision("hold", "Wait for Ana.")
    )
    # Still his move, and the candidate's wait runs on from the debrief: a hold defers the
    # decision, not the wait.
    assert owner_and_since(world) == decision_owed


def test_after_the_interview_the_move_is_whoever_still_owes_a_scorecard(
    world, clock, interview, jonas
):
    """The candidate waits on the panel's feedback, not on the recruiter to book a round
    nobody can decide on yet: the move stays with the first interviewer while her card is
    owed, passes to the other once hers is in, and goes to the HM when the debrief opens."""
    first, second = interview.interviewers.order_by("pk")
    end(clock, interview)
    assert owner_and_since(world)[0] == first
    score(interview, first)
    assert owner_and_since(world)[0] == second
    score(interview, second)
    assert owner_and_since(world)[0] == world.hank
