"""A hand move into the Debrief stage asks the hiring manager for the decision, as a debrief
that opens on its own does: the rounds held open their debrief and its decide ask, due the
agreed time after the round's end. With no interview held there is nothing to decide: the
move is refused and says why. A move that leaves an interview still to come says so, for
one candidate and for each of a bulk move."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from interview_helpers import book, end, open_asks, score

from closeloop.activity.models import Activity
from closeloop.followups.services import ask_due_at
from closeloop.interviews.models import Debrief, DebriefOpenedBecause, InterviewStatus
from closeloop.interviews.moves import interviews_ahead_words, move_decisions_words
from closeloop.interviews.services import Decision, debrief_decide
from closeloop.lib.timefmt import absolute
from closeloop.notify.models import Message
from closeloop.pipeline.bulk import applications_bulk_move
from closeloop.pipeline.models import Application
from closeloop.pipeline.services import application_move, application_reject, application_reopen

# The world's Carla has a round-less Technical interview with ivy, Tue 24 Nov 10:00 UTC.
AHEAD = "Carla Candidate still has a Technical interview on Tue 24 Nov 10:00 with Ivy Interviewer"
# Where the mover cancels it: messages are plain text, so the sentence names the page.
KEEP_IT = ": cancel it (under Interviews on the candidate's page) or keep it?"


def debrief_stage(world):
    return world.job.stages.get(name="Debrief")


def fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def held_with_one_card(world, clock, interview):
    """Carla's Technical round ends with ivy's scorecard in, jonas's still owed: no debrief
    opens yet (the agreed time has not passed)."""
    world.interviewed.interviews.filter(round__isnull=True).update(status=InterviewStatus.CANCELLED)
    end(clock, interview)
    score(interview, world.ivy)
    assert not Debrief.objects.exists()


def said(response) -> str:
    assert response.status_code == 200
    found = re.findall(r'<li class="message[^"]*">(.*?)</li>', response.text, re.S)
    return " ".join(" ".join(found).split()).replace("&#x27;", "'")


def test_a_move_into_debrief_opens_the_rounds_debrief_with_its_decide_ask(
    world, clock, interview, jonas
):
    held_with_one_card(world, clock, interview)
    application_move(application=world.interviewed, by=world.rita, to_stage=debrief_stage(world))
    debrief = Debrief.objects.get()
    assert debrief.opened_because == DebriefOpenedBecause.BY_HAND
    assert debrief.round_id == interview.round_id
    assert list(debrief.interviews.all()) == [interview]
    [ask] = open_asks("decide_after_debrief")
    assert ask.owner == world.hank and ask.application_id == world.interviewed.pk
    # Due the agreed time after the round's end, as a debrief that opens on its own.
    assert ask.due_at == ask_due_at(
        kind="decide_after_debrief", owner=world.hank, opened_at=interview.ends_at, job=world.job
    )
    assert fresh(world.interviewed).next_move_owner == world.hank
    # The scorecard still owed stays owed, and the debrief shows it missing.
    assert [a.owner for a in open_asks("submit_scorecard")] == [jonas]


def test_a_debrief_already_open_is_the_decision_the_stage_waits_for(world, clock, debrief):
    application_move(application=world.interviewed, by=world.rita, to_stage=debrief_stage(world))
    assert Debrief.objects.get() == debrief
    assert [a.owner for a in open_asks("decide_after_debrief")] == [world.hank]


def test_no_interview_held_refuses_the_move_naming_the_one_to_come(world, clock):
    before = fresh(world.interviewed)
    with pytest.raises(ValidationError) as refused:
        application_move(
            application=world.interviewed, by=world.rita, to_stage=debrief_stage(world)
        )
    words = refused.value.messages[0]
    assert words.startswith("Carla Candidate has no interview held for a debrief to decide on")
    assert "the Technical interview on Tue 24 Nov 10:00 with Ivy Interviewer is still to come" in (
        words
    )
    assert fresh(world.interviewed).stage_id == before.stage_id
    assert not open_asks("decide_after_debrief")


def test_no_interview_at_all_refuses_the_move(world, clock):
    with pytest.raises(ValidationError) as refused:
        application_move(application=world.sourced, by=world.rita, to_stage=debrief_stage(world))
    assert refused.value.messages == [
        "Sam Sourced has had no interview yet: a debrief decides on the interviews held. Book "
        "one, or move them to another stage than Debrief."
    ]


def test_a_bulk_move_applies_the_same_rule_to_each_all_or_nothing(world, clock, interview, jonas):
    held_with_one_card(world, clock, interview)
    chosen = [world.interviewed, world.sourced]
    with pytest.raises(ValidationError) as refused:
        applications_bulk_move(applications=chosen, by=world.rita, to_stage=debrief_stage(world))
    message = refused.value.messages[0]
    assert "Sam Sourced has had no interview yet" in message
    assert "Sam Sourced: " not in message  # the name once
    assert "Carla Candidate" not in message
    assert not Debrief.objects.exists() and not open_asks("decide_after_debrief")
    applications_bulk_move(
        applications=[world.interviewed], by=world.rita, to_stage=debrief_stage(world)
    )
    assert [a.owner for a in open_asks("decide_after_debrief")] == [world.hank]


def test_a_debrief_closed_with_the_application_opens_again_on_the_move(world, clock, debrief):
    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    assert not open_asks("decide_after_debrief")
    application_reopen(application=world.interviewed, by=world.rita)
    application_move(application=world.interviewed, by=world.rita, to_stage=debrief_stage(world))
    debrief.refresh_from_db()
    assert debrief.is_open
    [ask] = open_asks("decide_after_debrief")
    assert ask.owner == world.hank and ask.due_at > timezone.now()


def test_the_move_on_the_page_says_the_interview_still_to_come(world, clock, login, debrief):
    page = reverse("pipeline:application-move", args=[world.interviewed.pk])
    response = login(world.rita).post(
        page, {"to_stage": debrief_stage(world).pk, "reason": ""}, follow=True
    )
    assert f"Moved Carla Candidate to Debrief. {decides(world)} {AHEAD}{KEEP_IT}" in said(response)
    # Kept, as said: the mover cancels it from its page or keeps it.
    assert still_booked(world)


def test_the_bulk_move_says_it_per_candidate(world, clock, login, debrief):
    response = login(world.rita).post(
        reverse("pipeline:job-bulk", args=[world.job.pk]),
        {
            "applications": [str(world.interviewed.pk)],
            "action": "move",
            "to_stage": str(debrief_stage(world).pk),
        },
        follow=True,
    )
    # A bulk move of one says it as a move of one.
    decision = decides(world)
    assert f"Moved 1 candidate to Debrief: Carla Candidate. {decision} {AHEAD}{KEEP_IT}" in (
        said(response)
    )


def test_a_move_into_an_interviewing_stage_says_nothing_of_its_interviews(world, clock, login):
    interviewing = world.job.stages.get(name="Interviewing")
    page = reverse("pipeline:application-move", args=[world.interviewed.pk])
    response = login(world.rita).post(page, {"to_stage": interviewing.pk}, follow=True)
    assert said(response) == "Moved Carla Candidate to Interviewing."


def still_booked(world) -> bool:
    return world.interviewed.interviews.filter(
        status=InterviewStatus.SCHEDULED, starts_at__gt=dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    ).exists()


def decides(world, name: str = "") -> str:
    """What a move into Debrief says of the decision it asks for: who decides, by when."""
    [ask] = open_asks("decide_after_debrief")
    return (
        f"Hank Manager decides {name}after the Technical round's debrief, due "
        f"{absolute(ask.due_at, world.rita.zone)}."
    )


def test_a_move_past_several_interviews_names_the_candidate_once(world, clock, login, interview):
    offer = world.job.stages.get(name="Offer")
    page = reverse("pipeline:application-move", args=[world.interviewed.pk])
    words = said(login(world.rita).post(page, {"to_stage": offer.pk}, follow=True))
    assert words == (
        "Moved Carla Candidate to Offer. Carla Candidate still has a Technical interview on "
        "Mon 23 Nov 14:00 with Ivy Interviewer and Jonas Interviewer and a Technical interview "
        "on Tue 24 Nov 10:00 with Ivy Interviewer: cancel them (under Interviews on the "
        "candidate's page) or keep them?"
    )


def test_a_round_held_and_decided_is_said_so_beside_the_one_to_come(world, clock, debrief):
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Strong."))
    with pytest.raises(ValidationError) as refused:
        application_move(
            application=world.interviewed, by=world.rita, to_stage=debrief_stage(world)
        )
    assert refused.value.messages == [
        "Carla Candidate's Technical round is decided already, and the Technical interview on "
        "Tue 24 Nov 10:00 with Ivy Interviewer is still to come. Its debrief opens for Hank "
        "Manager once its scorecards are in; keep Carla Candidate where they are until then "
        "rather than in Debrief."
    ]


def test_two_interviews_to_come_are_still_to_come(world, clock, interview):
    with pytest.raises(ValidationError) as refused:
        application_move(
            application=world.interviewed, by=world.rita, to_stage=debrief_stage(world)
        )
    assert refused.value.messages == [
        "Carla Candidate has no interview held for a debrief to decide on yet: the Technical "
        "interview on Mon 23 Nov 14:00 with Ivy Interviewer and Jonas Interviewer and the "
        "Technical interview on Tue 24 Nov 10:00 with Ivy Interviewer are still to come. Their "
        "debriefs open for Hank Manager once their scorecards are in; keep Carla Candidate "
        "where they are until then rather than in Debrief."
    ]


def test_the_debrief_opened_by_a_move_is_told_as_the_movers_with_its_due_time(
    world, clock, interview, jonas
):
    held_with_one_card(world, clock, interview)
    Message.objects.all().delete()
    application_move(application=world.interviewed, by=world.rita, to_stage=debrief_stage(world))
    [ask] = open_asks("decide_after_debrief")
    [message] = Message.objects.filter(template="debrief-opened")
    assert message.recipient == world.hank  # the recruiter made the move: not told of it
    due = absolute(ask.due_at, world.hank.zone)
    for body in (message.body_text, " ".join(re.sub(r"<[^>]+>", "", message.body_html).split())):
        assert (
            "Rita Recruiter moved Carla Candidate (Backend Engineer) to Debrief: the Technical "
            f"round's debrief is open. Your decision is due {due} (your time). Still missing "
            "scorecards: Jonas Interviewer."
        ) in body.replace("&#x27;", "'")
    opened = Activity.objects.get(kind="closeloop.debrief.opened")
    assert opened.actor == world.rita


def test_the_move_says_who_decides_by_when(world, clock, login, interview, jonas):
    held_with_one_card(world, clock, interview)
    page = reverse("pipeline:application-move", args=[world.interviewed.pk])
    response = login(world.rita).post(page, {"to_stage": debrief_stage(world).pk}, follow=True)
    assert said(response) == f"Moved Carla Candidate to Debrief. {decides(world)}"
    # A bulk move of several says briefly whom each decision is on.
    assert move_decisions_words(
        applications=[world.interviewed, world.sourced],
        to_stage=debrief_stage(world),
        reader=world.rita,
    ) == [decides(world, name="on Carla Candidate ")]


def test_a_round_with_an_interview_still_to_come_is_not_held_yet(
    world, clock, interview, technical, jonas
):
    """Two interviews of one round, the first over: the move opens no debrief of half a
    round (its decision would fall due before the second interview) and is refused."""
    world.interviewed.interviews.filter(round__isnull=True).update(status=InterviewStatus.CANCELLED)
    book(world, technical, [world.ivy], dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    end(clock, interview)
    score(interview, world.ivy)
    score(interview, jonas)  # the first interview's scorecards are all in
    with pytest.raises(ValidationError) as refused:
        application_move(
            application=world.interviewed, by=world.rita, to_stage=debrief_stage(world)
        )
    assert (
        "the Technical interview on Wed 25 Nov 10:00 with Ivy Interviewer is still to come"
        in (refused.value.messages[0])
    )
    assert not Debrief.objects.exists() and not open_asks("decide_after_debrief")


def test_a_debrief_on_hold_is_the_decision_the_move_names(world, clock, debrief):
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("hold", "Wait for Ana."))
    application_move(application=world.interviewed, by=world.rita, to_stage=debrief_stage(world))
    [ask] = open_asks("decide_held_debrief")
    assert move_decisions_words(
        applications=[world.interviewed], to_stage=debrief_stage(world), reader=world.rita
    ) == [
        "Hank Manager decides after the Technical round's debrief, due "
        f"{absolute(ask.due_at, world.rita.zone)}."
    ]


def test_the_interviews_to_come_say_you_to_an_interviewer_reading(world, clock, interview):
    ahead = world.interviewed.interviews.order_by("starts_at", "pk")
    assert interviews_ahead_words(ahead, world.ivy) == (
        "the Technical interview on Mon 23 Nov 14:00 with you and Jonas Interviewer and the "
        "Technical interview on Tue 24 Nov 10:00 with you"
    )
    assert interviews_ahead_words(ahead, world.ivy, definite=False).startswith(
        "a Technical interview on Mon 23 Nov 14:00 with you and Jonas Interviewer"
    )
