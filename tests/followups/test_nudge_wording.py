"""Every kind of ask is chased in words about its own subject.

A review speaks of the candidate who waits; an action item, an intake signature or a
touch-base to record never pretends a candidate is waiting.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from closeloop.followups.business_time import add_business_days, calendar_for
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask
from closeloop.followups.policies import DEFAULTS
from closeloop.followups.services import ask_open
from closeloop.notify.models import Message


class Case(NamedTuple):
    about_candidate: bool
    facts: dict[str, str]
    names: str  # how the message must name the subject


# One case per registered kind: a kind added without wording fails here (KeyError).
CASES = {
    "review_submission": Case(True, {}, "the review of Carla Candidate for Backend Engineer"),
    "submit_scorecard": Case(
        True,
        {"round": "Technical"},
        "the Technical scorecard for Carla Candidate (Backend Engineer)",
    ),
    "decide_after_debrief": Case(
        True,
        {"round": "Onsite"},
        "the decision on Carla Candidate after the Onsite debrief (Backend Engineer)",
    ),
    "decide_held_debrief": Case(
        True,
        {"round": "Onsite"},
        "the decision on Carla Candidate, on hold since the Onsite debrief (Backend Engineer)",
    ),
    "sign_intake": Case(False, {"version": "2"}, "version 2 of the Backend Engineer intake"),
    "update_candidate": Case(True, {}, "news for Carla Candidate (Backend Engineer)"),
    "inform_candidate": Case(True, {}, "the outcome for Carla Candidate (Backend Engineer)"),
    "action_item": Case(
        False,
        {"item": "Send the revised job ad", "meeting": "Thu 12 Nov"},
        "the action item “Send the revised job ad” from the touch-base of Thu 12 Nov",
    ),
    "answer_question": Case(
        True,
        {"asker": "Hank", "question": "Has she done on-call?"},
        "Hank's question about Carla Candidate (Backend Engineer): “Has she done on-call?”",
    ),
    "hold_touchbase": Case(
        # What is owed is the record of the meeting, not the meeting.
        False,
        {"meeting": "Thu 26 Nov"},
        "marking the Backend Engineer touch-base of Thu 26 Nov held or skipped",
    ),
    "answer_survey": Case(
        False, {"outcome": "cancelled"}, "the end-of-search survey of Backend Engineer (cancelled)"
    ),
    # The hire's name is a fact: a check-in is about a hire, not a candidate who waits.
    "quality_checkin": Case(
        False, {"candidate": "Leila Wolf", "days": "30"}, "the 30-day check-in on Leila Wolf"
    ),
    "accept_mentorship": Case(
        False, {"mentor": "Sofia Lindqvist"}, "the mentorship Sofia Lindqvist proposed"
    ),
    "mentoring_action": Case(
        False,
        {"item": "Block two review slots"},
        "the action item “Block two review slots” from your mentoring session",
    ),
    "answer_pulse": Case(
        False,
        {"about": "Rita Recruiter"},
        "your pulse on working with Rita Recruiter (Backend Engineer)",
    ),
}


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def open_ask(world, kind: str, owner) -> Ask:
    case = CASES[kind]
    return ask_open(
        kind=kind,
        subject=f"test:{kind}",
        title=f"A title for {kind}",
        owner=owner,
        job=world.job,
        application=world.interviewed if case.about_candidate else None,
        facts=case.facts,
    )


def three_business_days_late(ask: Ask) -> dt.datetime:
    return add_business_days(calendar_for(ask.owner), ask.due_at, 3)


def message_long_after_due(clock, ask: Ask, recipient) -> Message:
    """Three business days after the due time, the worker reaches the ask's next rung."""
    clock.move_to(three_business_days_late(ask))
    asks_advance()
    notices_compose()
    return Message.objects.filter(recipient=recipient).latest("pk")


@pytest.mark.parametrize("kind", sorted(DEFAULTS))
def test_the_owners_reminder_names_the_subject_of_its_kind(world, clock, kind):
    case = CASES[kind]
    ask = open_ask(world, kind, world.hank)
    message = message_long_after_due(clock, ask, world.hank)
    text = f"{message.subject}\n{message.body_text}"
    assert f"{capital(case.names)} is 3 business days overdue" in message.body_text
    # The subject says the thing once: its words, never the ask's title besides.
    assert message.subject == f"{capital(case.names)} is overdue"
    if case.about_candidate:
        assert "Carla Candidate has been waiting" in message.body_text
    else:
        assert "candidate" not in text.lower(), text


def test_a_reminder_before_due_says_what_the_kind_waits_for(world, clock):
    ask = open_ask(world, "sign_intake", world.hank)
    clock.move_to(ask.due_at - dt.timedelta(hours=1))
    asks_advance()  # the halfway reminder
    notices_compose()
    message = Message.objects.get(recipient=world.hank)
    assert message.subject == "Version 2 of the Backend Engineer intake waits for your signature"
    assert "Version 2 of the Backend Engineer intake waits for your signature (due" in (
        message.body_text
    )
    assert "Thank you for closing the loop." in message.body_text


def test_an_escalation_says_why_it_reached_each_reader(world, clock):
    """The job's escalation contact reads that role; the owner's manager would read theirs."""
    world.job.escalation_contact = world.ada
    world.job.save()
    ask = open_ask(world, "hold_touchbase", world.rita)
    Ask.objects.filter(pk=ask.pk).update(steps_done=1)
    clock.move_to(three_business_days_late(ask))
    asks_advance()
    notices_compose()
    message = Message.objects.get(recipient=world.ada)
    assert "You are receiving this as the escalation contact" in message.body_text


def test_an_escalation_names_the_subject_and_who_owes_it_without_a_candidate(world, clock):
    world.rita.manager = world.olga
    world.rita.save()
    ask = open_ask(world, "hold_touchbase", world.rita)
    Ask.objects.filter(pk=ask.pk).update(steps_done=1)  # the notice at due went out
    clock.move_to(three_business_days_late(ask))
    asks_advance()
    notices_compose()
    message = Message.objects.get(recipient=world.olga)
    assert message.subject == (
        "Marking the Backend Engineer touch-base of Thu 26 Nov held or skipped waits on Rita: "
        "can you help?"
    )
    assert (
        "Marking the Backend Engineer touch-base of Thu 26 Nov held or skipped, owed by Rita "
        "Recruiter, is 3 business days overdue" in message.body_text
    )
    # Olga is Rita's manager (the job names no escalation contact): said as such.
    assert "You are receiving this as Rita's manager" in message.body_text
    assert "candidate" not in message.body_text.lower()


def test_an_ask_opened_without_its_facts_falls_back_to_its_title(world, clock):
    ask = ask_open(
        kind="action_item",
        subject="test:old",
        title="Send the exercise (Backend Engineer)",
        owner=world.hank,
        job=world.job,
    )
    message = message_long_after_due(clock, ask, world.hank)
    assert "The action item “Send the exercise (Backend Engineer)” is 3 business days overdue" in (
        message.body_text
    )


def test_an_escalation_says_when_an_absent_owner_is_back(world, clock):
    world.hank.out_of_office_from = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    world.hank.out_of_office_until = dt.datetime(2026, 12, 11, tzinfo=dt.UTC)
    world.hank.manager = world.olga
    world.hank.save()
    open_ask(world, "sign_intake", world.hank)
    asks_advance()  # escalated at once: nobody covers for hank
    notices_compose()
    message = Message.objects.get(recipient=world.olga)
    assert "Hank Manager is out of office until Fri 11 Dec." in message.body_text


def test_a_round_named_interview_is_not_called_an_interview_interview(world, clock):
    ask = ask_open(
        kind="submit_scorecard",
        subject="test:round",
        title="Submit your scorecard",
        owner=world.hank,
        job=world.job,
        application=world.interviewed,
        facts={"round": "Technical interview"},
    )
    text = message_long_after_due(clock, ask, world.hank).body_text
    assert "The Technical interview scorecard for Carla Candidate" in text
    assert "interview interview" not in text


def test_a_return_at_an_hour_names_the_zone_it_is_in(world, clock):
    """Sofia is back at 18:00 Berlin time: her London colleagues read the zone with it."""
    from closeloop.followups.selectors import away_until

    world.hank.time_zone = "Europe/Berlin"
    world.hank.out_of_office_until = dt.datetime(2026, 12, 11, 17, 0, tzinfo=dt.UTC)
    # Named as words, not in brackets: the note often sits in brackets itself.
    assert away_until(world.hank) == " until Fri 11 Dec 18:00 Europe/Berlin time"


def test_an_escalation_to_the_asker_calls_it_your_question(world, clock):
    """Hank asked; as the job's escalation contact he hears Rita's answer is late: about
    "your question", never "Hank's question" to Hank himself."""
    world.job.escalation_contact = world.hank
    world.job.save()
    ask = ask_open(
        kind="answer_question",
        subject="test:question",
        title="Answer Hank's question about Carla Candidate",
        owner=world.rita,
        job=world.job,
        application=world.interviewed,
        requested_by=world.hank,
        facts={"asker": "Hank", "question": "Has she done on-call?"},
    )
    message = message_long_after_due(clock, ask, world.hank)
    assert (
        "Your question about Carla Candidate (Backend Engineer): “Has she done on-call?”, "
        "owed by Rita Recruiter, is 3 business days overdue" in message.body_text
    )
    assert "Hank's" not in f"{message.subject}\n{message.body_text}"
