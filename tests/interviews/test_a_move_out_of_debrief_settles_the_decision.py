"""A hand move out of the Debrief stage settles the decision the stage waited for: a move
on (or a hire) records the debrief as decided by the mover's move, a rejection as rejected
by it, a move back closes it (the candidate goes round again). Each closes the hiring
manager's decide ask as answered, by the move: it leaves his queue and is never chased
again. The move says so. A withdrawal is no decision: the debrief closes with the
application, its ask cancelled."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from interview_helpers import open_asks

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus, Nudge
from closeloop.interviews.models import DebriefDecision, DebriefStatus
from closeloop.interviews.moves import move_settled_words
from closeloop.interviews.services import Decision, debrief_decide
from closeloop.notify.models import Message
from closeloop.pipeline.bulk import applications_bulk_move
from closeloop.pipeline.models import WithdrawalReason
from closeloop.pipeline.services import (
    application_move,
    application_reject,
    application_reopen,
    application_withdraw,
)

CLOSED = "The debrief of the Technical round is closed: decided by this move."


@pytest.fixture
def in_debrief(world, debrief):
    """Carla sits in the Debrief stage, her Technical debrief open: hank owes the decision."""
    application_move(application=world.interviewed, by=world.rita, to_stage=stage(world, "Debrief"))
    [ask] = open_asks("decide_after_debrief")
    assert ask.owner == world.hank
    return debrief


def stage(world, name):
    return world.job.stages.get(name=name)


def said(response) -> str:
    assert response.status_code == 200
    found = re.findall(r'<li class="message[^"]*">(.*?)</li>', response.text, re.S)
    return " ".join(" ".join(found).split()).replace("&#x27;", "'")


def decide_ask(debrief) -> Ask:
    return Ask.objects.get(kind="decide_after_debrief", subject=debrief.subject)


def assert_never_chased(world, login, clock, debrief):
    """The ask is out of hank's queue, and weeks on the worker reminds nobody of it."""
    queue = login(world.hank).get(reverse("pipeline:queue")).text
    assert "Decide on Carla Candidate" not in queue
    nudged = Nudge.objects.filter(ask=decide_ask(debrief)).count()
    Message.objects.all().delete()
    clock.move_to(dt.datetime(2026, 12, 21, 10, 0, tzinfo=dt.UTC))
    asks_advance()
    notices_compose()
    assert Nudge.objects.filter(ask=decide_ask(debrief)).count() == nudged
    assert not [m for m in Message.objects.all() if "Decide on Carla" in m.body_text]


def test_a_move_on_records_the_debrief_decided_by_the_move(world, clock, login, in_debrief):
    offer = stage(world, "Offer")
    page = reverse("pipeline:application-move", args=[world.interviewed.pk])
    words = said(login(world.rita).post(page, {"to_stage": offer.pk}, follow=True))
    assert words.startswith(f"Moved Carla Candidate to Offer. {CLOSED}")
    in_debrief.refresh_from_db()
    assert in_debrief.status == DebriefStatus.DECIDED
    assert in_debrief.decision == DebriefDecision.ADVANCE
    assert in_debrief.to_stage == offer and in_debrief.decided_by == world.rita
    assert in_debrief.decided_at is not None
    assert "moved Carla Candidate to Offer" in in_debrief.rationale
    # hank owed the decision and did not give it: called off, not counted as his answer.
    ask = decide_ask(in_debrief)
    assert ask.status == AskStatus.CANCELLED and ask.closed_via == "decided by a move"
    assert_never_chased(world, login, clock, in_debrief)


def test_a_bulk_move_on_settles_each_and_says_it(world, clock, login, in_debrief):
    offer = stage(world, "Offer")
    response = login(world.rita).post(
        reverse("pipeline:job-bulk", args=[world.job.pk]),
        {"applications": [str(world.interviewed.pk)], "action": "move", "to_stage": str(offer.pk)},
        follow=True,
    )
    assert f"Moved 1 candidate to Offer: Carla Candidate. {CLOSED}" in said(response)
    in_debrief.refresh_from_db()
    assert in_debrief.decision == DebriefDecision.ADVANCE and in_debrief.to_stage == offer
    assert decide_ask(in_debrief).status == AskStatus.CANCELLED
    assert_never_chased(world, login, clock, in_debrief)


def test_a_bulk_move_with_another_candidate_says_how_many(world, clock, in_debrief):
    applications_bulk_move(
        applications=[world.interviewed, world.sourced],
        by=world.rita,
        to_stage=stage(world, "Offer"),
    )
    words = move_settled_words(
        applications=[world.interviewed, world.sourced],
        to_stage=stage(world, "Offer"),
        reader=world.rita,
    )
    assert words == [
        "The debrief of Carla Candidate's Technical round is closed: decided by this move."
    ]
    assert not open_asks("decide_after_debrief")


def test_a_move_back_closes_the_debrief_for_another_round(world, clock, login, in_debrief):
    page = reverse("pipeline:application-move", args=[world.interviewed.pk])
    back = stage(world, "Interviewing")
    words = said(login(world.rita).post(page, {"to_stage": back.pk}, follow=True))
    assert words.startswith(
        "Moved Carla Candidate to Interviewing. The debrief of the Technical round is closed: "
        "Carla Candidate goes round again."
    )
    in_debrief.refresh_from_db()
    assert in_debrief.status == DebriefStatus.DECIDED and in_debrief.decision == ""
    assert in_debrief.to_stage == back and in_debrief.decided_by == world.rita
    assert not in_debrief.has_outcome  # nothing to tell the candidate but the next round
    assert decide_ask(in_debrief).status == AskStatus.CANCELLED
    assert_never_chased(world, login, clock, in_debrief)
    # The debrief page says what closed it, as its reader reads it.
    detail = login(world.rita).get(reverse("interviews:debrief-detail", args=[in_debrief.pk]))
    assert "Moved back to Interviewing" in detail.text


def test_a_rejection_closes_the_debrief_with_the_application_and_a_reopen_opens_it_again(
    world, clock, login, in_debrief
):
    """Rejected in Debrief, the debrief closes with the application (nobody decided on it);
    reopened and moved into Debrief again, the decision is owed again (a debrief recorded as
    rejected by the rejection would refuse that move: "decided already")."""
    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    in_debrief.refresh_from_db()
    assert in_debrief.status == DebriefStatus.CLOSED and in_debrief.decision == ""
    assert decide_ask(in_debrief).status == AskStatus.CANCELLED
    application_reopen(application=world.interviewed, by=world.rita)
    interviewing = stage(world, "Interviewing")
    application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
    application_move(application=world.interviewed, by=world.rita, to_stage=stage(world, "Debrief"))
    in_debrief.refresh_from_db()
    assert in_debrief.status == DebriefStatus.OPEN
    [ask] = open_asks("decide_after_debrief")
    assert ask.owner == world.hank


def test_the_hiring_managers_own_move_answers_his_decide_ask(world, clock, login, in_debrief):
    application_move(application=world.interviewed, by=world.hank, to_stage=stage(world, "Offer"))
    ask = decide_ask(in_debrief)
    assert ask.status == AskStatus.DONE and ask.closed_by == world.hank
    assert ask.closed_via == "move"


def test_a_held_decision_is_settled_by_the_move_too(world, clock, login, in_debrief):
    debrief_decide(
        debrief=in_debrief,
        by=world.hank,
        decision=Decision("hold", "Waiting for the other finalist."),
    )
    [held] = open_asks("decide_held_debrief")
    application_move(application=world.interviewed, by=world.rita, to_stage=stage(world, "Offer"))
    held.refresh_from_db()
    assert held.status == AskStatus.CANCELLED and held.closed_via == "decided by a move"
    in_debrief.refresh_from_db()
    assert in_debrief.status == DebriefStatus.DECIDED
    assert in_debrief.decision == DebriefDecision.ADVANCE


def test_a_withdrawal_closes_the_debrief_with_the_application(world, clock, login, in_debrief):
    application_withdraw(
        application=world.interviewed, by=world.rita, reason=WithdrawalReason.values[0]
    )
    in_debrief.refresh_from_db()
    assert in_debrief.status == DebriefStatus.CLOSED and in_debrief.decision == ""
    assert decide_ask(in_debrief).status == AskStatus.CANCELLED
    assert_never_chased(world, login, clock, in_debrief)


def test_a_debrief_decided_on_its_page_is_left_as_decided(world, clock, in_debrief):
    debrief_decide(
        debrief=in_debrief,
        by=world.hank,
        decision=Decision("advance", "Strong.", to_stage=stage(world, "Offer")),
    )
    in_debrief.refresh_from_db()
    assert in_debrief.decided_by == world.hank and in_debrief.rationale == "Strong."
    assert decide_ask(in_debrief).closed_via == "app"


def _held_decide_messages(person) -> list[Message]:
    return list(Message.objects.filter(recipient=person, template="debrief-opened"))


def test_a_decide_message_still_held_for_working_hours_is_withdrawn_by_the_move(
    world, clock, settings, debrief
):
    """Moved into Debrief on Sunday, hank's "decide" message waits for Monday morning; moved
    on to Offer before then, the message has nothing left to ask and never goes. One
    already sent stays (history)."""
    settings.QUIET_HOURS = True
    arrived = _held_decide_messages(world.hank)  # the debrief's, before the weekend
    clock.move_to(dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC))  # Sunday
    application_move(application=world.interviewed, by=world.rita, to_stage=stage(world, "Debrief"))
    held = [m for m in _held_decide_messages(world.hank) if m not in arrived]
    assert len(held) == 1 and held[0].arrives_at > dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    application_move(application=world.interviewed, by=world.rita, to_stage=stage(world, "Offer"))
    assert _held_decide_messages(world.hank) == arrived


def test_a_decide_message_already_arrived_stays_when_the_hm_decides(
    world, clock, settings, in_debrief
):
    [arrived] = _held_decide_messages(world.hank)  # sent at once: quiet hours are off
    debrief_decide(
        debrief=in_debrief, by=world.hank,
        decision=Decision(decision=DebriefDecision.ADVANCE, rationale="Strong on design."),
    )  # fmt: skip
    assert _held_decide_messages(world.hank) == [arrived]


def test_a_move_on_opens_the_recruiters_ask_to_tell_the_candidate(world, clock, in_debrief):
    """As the HM's own Advance does: the debrief says the candidate is owed the outcome, and
    the recruiter's ask to tell them replaces the news clock; a hire needs no telling."""
    application_move(application=world.interviewed, by=world.rita, to_stage=stage(world, "Offer"))
    [tell] = open_asks("inform_candidate")
    assert tell.owner == world.rita and tell.application == world.interviewed
    assert "Tell Carla Candidate the outcome of the Technical debrief" in tell.title
    assert [a for a in open_asks("update_candidate") if a.application == world.interviewed] == []


def test_the_hiring_manager_hears_that_someone_elses_move_closed_his_debrief(
    world, clock, in_debrief
):
    """Rita's move calls his decide ask off: it leaves his queue, and he is told why, in one
    message naming the mover, the candidate and the round; his own move tells him nothing."""
    application_move(application=world.interviewed, by=world.rita, to_stage=stage(world, "Offer"))
    [told] = Message.objects.filter(recipient=world.hank, template="debrief-settled-by-move")
    assert told.subject == (
        "Nothing more to decide: Carla Candidate's Technical debrief was closed by a move"
    )
    assert "Rita Recruiter moved Carla Candidate (Backend Engineer) on to Offer" in told.body_text
    assert not Message.objects.filter(recipient=world.rita, template="debrief-settled-by-move")
