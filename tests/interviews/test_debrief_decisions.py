"""Deciding after a debrief: reject reuses the pipeline's inform ask; hold can be decided
again; a decision cancels scorecard asks still open."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from interview_helpers import end, open_asks, score

from closeloop.interviews.models import Debrief, DebriefStatus
from closeloop.interviews.services import Decision, debrief_candidate_informed, debrief_decide
from closeloop.pipeline.models import ApplicationStatus
from closeloop.pipeline.services import candidate_updated


def test_reject_closes_the_application_with_the_reason_and_one_inform_ask(world, debrief):
    debrief_decide(
        debrief=debrief,
        by=world.hank,
        decision=Decision("reject", "Design is below the bar.", reject_reason="skills"),
    )
    world.interviewed.refresh_from_db()
    assert world.interviewed.status == ApplicationStatus.REJECTED
    assert world.interviewed.closed_reason == "skills"
    assert len(open_asks("inform_candidate")) == 1
    assert not open_asks("decide_after_debrief")


def test_hold_keeps_the_debrief_open_for_a_later_decision(world, debrief, clock):
    import datetime as dt

    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("hold", "Wait for Ana."))
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.HELD and world.interviewed.is_active
    candidate_updated(application=world.interviewed, by=world.rita, note="Still deciding.")
    clock.shift(dt.timedelta(hours=1))
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Ana withdrew."))
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.DECIDED and debrief.informed_on is None


def test_a_decision_cancels_scorecard_asks_still_open(world, clock, interview, jonas):
    from closeloop.interviews.services import debriefs_open_due

    end(clock, interview)
    score(interview, jonas)
    interview.refresh_from_db()
    clock.move_to(interview.scorecards_due_at)
    debriefs_open_due()
    debrief = Debrief.objects.get()
    assert open_asks("submit_scorecard", owner=world.ivy)
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Enough signal."))
    assert not open_asks("submit_scorecard")


def test_deciding_twice_is_refused(world, debrief):
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Yes."))
    with pytest.raises(ValidationError, match="already decided"):
        debrief_decide(debrief=debrief, by=world.hank, decision=Decision("reject", "No.", "skills"))


def test_candidate_informed_is_recorded_once(world, debrief):
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Yes."))
    debrief_candidate_informed(debrief=debrief, by=world.rita, note="Phoned.")
    with pytest.raises(ValidationError, match="already told"):
        debrief_candidate_informed(debrief=debrief, by=world.rita)


def test_a_rejection_after_the_debrief_marks_the_decide_ask_done_not_cancelled(world, debrief):
    from closeloop.followups.models import Ask, AskStatus

    debrief_decide(
        debrief=debrief,
        by=world.hank,
        decision=Decision("reject", "Below the bar.", reject_reason="skills"),
    )
    ask = Ask.objects.get(kind="decide_after_debrief")
    assert ask.status == AskStatus.DONE and ask.closed_by == world.hank
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.DECIDED and debrief.decision == "reject"


@pytest.mark.parametrize("outcome", ["advance"])
def test_the_outcome_replaces_the_candidates_waiting_clock(world, debrief, outcome):
    from closeloop.followups.services import ask_open
    from closeloop.pipeline.services import update_subject

    ask_open(
        kind="update_candidate",
        subject=update_subject(world.interviewed),
        title="Give Carla news",
        owner=world.rita,
        application=world.interviewed,
    )
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision(outcome, "Why."))
    assert not open_asks("update_candidate", application=world.interviewed)
    inform = open_asks("inform_candidate", application=world.interviewed)
    assert [ask.owner for ask in inform] == [world.rita]
