"""A round named "Technical interview" is never "the Technical interview round": the debrief's
email and calendar entry say the round's name once, and "round" only after a bare name."""

from __future__ import annotations

import datetime as dt

import pytest
from interview_helpers import end, score

from closeloop.interviews.calendar import debrief_event
from closeloop.interviews.models import Debrief, Interview
from closeloop.notify.models import Message


@pytest.fixture
def debrief(world, clock, technical, interview, jonas):
    technical.name = "Technical interview"
    technical.save(update_fields=["name"])
    interview.round_name = "Technical interview"
    interview.save(update_fields=["round_name"])
    end(clock, interview)
    score(interview, world.ivy)
    score(interview, jonas)
    return Debrief.objects.get()


def test_the_debrief_email_names_the_round_once(world, debrief):
    message = Message.objects.get(template="debrief-opened", recipient=world.hank)
    assert message.subject == (
        "Decide on Carla Candidate after the Technical interview (Backend Engineer)"
    )
    assert "The Technical interview of Carla Candidate (Backend Engineer) is over" in (
        message.body_text
    )
    assert "The <strong>Technical interview</strong> of" in message.body_html
    assert "interview round" not in f"{message.subject}{message.body_text}{message.body_html}"


def test_the_calendar_entry_names_the_round_once(debrief):
    debrief.meets_at = debrief.opened_at + dt.timedelta(days=1)
    assert "after the Technical interview.\n" in debrief_event(debrief).description


def test_a_bare_round_name_is_called_a_round():
    assert Debrief(round_name="Onsite").round_label == "Onsite round"
    assert Debrief(round_name="Final round").round_label == "Final round"


def test_an_interview_and_its_debrief_word_the_round_alike():
    """One rule (closeloop.lib.text.round_label): the name as named when it says what it is,
    the noun after a bare name, whole words only."""
    assert Interview(round_name="Final round").round_label == "Final round"
    assert Interview(round_name="Onsite").round_label == "Onsite interview"
    assert Debrief(round_name="Background").round_label == "Background round"
