"""The worker's interview steps: idempotent, correct about time, and escalating to the HM."""

from __future__ import annotations

import datetime as dt

from interview_helpers import end, open_asks, score

from closeloop.followups.engine import asks_advance
from closeloop.followups.notices import ask_recipients
from closeloop.interviews.models import Debrief, DebriefOpenedBecause, InterviewStatus
from closeloop.interviews.services import (
    debrief_open,
    debriefs_open_due,
    interview_cancel,
    interviews_complete,
)
from closeloop.pipeline.services import (
    application_reject,
    application_reopen,
    application_withdraw,
)


def test_nothing_happens_before_the_interview_ends(world, clock, interview):
    clock.move_to(interview.ends_at - dt.timedelta(minutes=1))
    assert interviews_complete().handled == 0
    assert not open_asks("submit_scorecard")


def test_completing_twice_opens_each_ask_once(world, clock, interview):
    assert end(clock, interview) == 1
    assert interviews_complete().handled == 0
    asks = open_asks("submit_scorecard")
    assert sorted(a.owner.email for a in asks) == ["ivy@example.com", "jonas@example.com"]


def test_a_cancelled_interview_opens_no_asks_and_its_open_asks_are_cancelled(
    world, clock, interview
):
    interview_cancel(interview=interview, by=world.rita, reason="Candidate ill")
    assert end(clock, interview) == 0
    assert not open_asks("submit_scorecard")


def test_the_escalation_reaches_the_hiring_manager(world, clock, interview):
    end(clock, interview)
    ask = open_asks("submit_scorecard", owner=world.ivy)[0]
    people = [person for person, _ in ask_recipients(ask, 1)]
    assert world.hank in people and world.ivy in people
    assert [person for person, _ in ask_recipients(ask, 0)] == [world.ivy]


def test_the_debrief_opens_when_the_agreed_time_has_passed(world, clock, interview, jonas):
    end(clock, interview)
    score(interview, jonas)
    interview.refresh_from_db()
    assert debriefs_open_due().handled == 0  # not yet due
    clock.move_to(interview.scorecards_due_at + dt.timedelta(minutes=1))
    assert debriefs_open_due().handled == 1
    debrief = Debrief.objects.get()
    assert debrief.opened_because == DebriefOpenedBecause.TIME_PASSED
    assert debriefs_open_due().handled == 0  # once
    decide = open_asks("decide_after_debrief")[0]
    # Due 72 h after the round's last interview ended, not after the debrief opened.
    assert decide.due_at == interview.ends_at + dt.timedelta(hours=72)
    assert open_asks("submit_scorecard", owner=world.ivy)  # still owed, still chased


def test_a_round_that_ended_while_the_candidate_was_out_is_debriefed_once_reopened(
    world, clock, interview
):
    # Rejected after the interview ended, before the worker completed it.
    clock.move_to(interview.ends_at + dt.timedelta(minutes=1))
    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    assert interviews_complete().handled == 1  # it took place; nobody owes a card
    assert not open_asks("submit_scorecard")
    assert debriefs_open_due().handled == 0  # nothing to decide while the candidate is out
    application_reopen(application=world.interviewed, by=world.rita)
    assert debriefs_open_due().handled == 1
    assert Debrief.objects.get().opened_because == DebriefOpenedBecause.TIME_PASSED
    assert open_asks("decide_after_debrief")


def test_no_debrief_opens_on_a_closed_candidate_whoever_asks(world, clock, interview):
    """The rule is the service's, not only the worker's: a seeding or a late scorecard that
    calls it for a candidate who has left opens nothing and asks nobody."""
    end(clock, interview)
    application_withdraw(application=world.interviewed, by=world.rita, reason="other_offer")
    interview.refresh_from_db()
    opened = debrief_open(
        interview=interview, because=DebriefOpenedBecause.ALL_IN, interviews=[interview],
        now=interview.ends_at,
    )  # fmt: skip
    assert opened is None
    assert not Debrief.objects.exists() and not open_asks("decide_after_debrief")


def test_the_debrief_waits_for_the_rounds_last_interview(world, clock, interview, technical):
    from interview_helpers import book

    world.interviewed.interviews.filter(round__isnull=True).delete()  # the shared world's
    later = book(world, technical, [world.ivy], dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC))
    end(clock, interview)
    interview.refresh_from_db()
    clock.move_to(interview.scorecards_due_at + dt.timedelta(minutes=1))
    assert debriefs_open_due().handled == 0
    end(clock, later)
    later.refresh_from_db()
    clock.move_to(later.scorecards_due_at + dt.timedelta(minutes=1))
    assert debriefs_open_due().handled == 1
    assert set(Debrief.objects.get().interviews.all()) == {interview, later}


def test_scorecards_in_before_the_worker_runs_still_open_the_debrief_once(
    world, clock, interview, jonas
):
    clock.move_to(interview.ends_at + dt.timedelta(minutes=1))
    score(interview, world.ivy)
    score(interview, jonas)
    assert Debrief.objects.count() == 1
    assert interviews_complete().handled == 1
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED
    assert not open_asks("submit_scorecard")
    assert Debrief.objects.count() == 1


def test_a_debrief_opened_days_late_owes_the_decision_from_its_opening(world, clock, interview):
    """Reopened a week after the round: nobody could decide before the debrief opened, so
    the decision is due the agreed time after it, not overdue (and escalated) at once."""
    clock.move_to(interview.ends_at + dt.timedelta(minutes=1))
    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    interviews_complete()
    clock.move_to(interview.ends_at + dt.timedelta(days=7))
    application_reopen(application=world.interviewed, by=world.rita)
    assert debriefs_open_due().handled == 1
    decide = open_asks("decide_after_debrief")[0]
    now = interview.ends_at + dt.timedelta(days=7)
    assert decide.opened_at == now
    assert decide.due_at > now + dt.timedelta(days=2)  # three business days of hank's
    asks_advance(now=now)
    decide.refresh_from_db()
    assert decide.level == 0 and not decide.is_overdue(now)


def test_a_debrief_opened_on_schedule_owes_the_decision_since_the_round(world, clock, interview):
    end(clock, interview)
    clock.move_to(interview.ends_at + dt.timedelta(days=1, hours=1))  # past the cards' time
    assert debriefs_open_due().handled == 1
    assert open_asks("decide_after_debrief")[0].opened_at == interview.ends_at
