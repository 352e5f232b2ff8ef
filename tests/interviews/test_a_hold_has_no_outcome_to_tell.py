"""A debrief on hold has no outcome to tell the candidate: the recruiter is not asked to tell
one, nor offered "Candidate informed", until the hiring manager decides. Meanwhile she keeps
the candidate posted on the ordinary news clock ("Give Carla news", every few business days),
which the hold leaves running."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from interview_helpers import open_asks

from closeloop.followups.services import ask_open
from closeloop.interviews.services import Decision, debrief_candidate_informed, debrief_decide
from closeloop.pipeline.services import update_subject


def _news_ask(world):
    return ask_open(
        kind="update_candidate", subject=update_subject(world.interviewed),
        title="Give Carla news", owner=world.rita, application=world.interviewed,
    )  # fmt: skip


def _hold(world, debrief):
    decision = Decision("hold", "Wait for Ana's loop.")
    decision.decide_again_on = dt.date(2026, 12, 4)
    return debrief_decide(debrief=debrief, by=world.hank, decision=decision)


def test_a_hold_asks_nobody_to_tell_an_outcome_and_keeps_the_news_clock(world, debrief):
    news = _news_ask(world)
    _hold(world, debrief)
    assert not open_asks("inform_candidate", application=world.interviewed)
    assert open_asks("update_candidate", application=world.interviewed) == [news]


def test_the_outcome_is_owed_once_the_hold_is_decided(world, debrief, clock):
    _news_ask(world)
    _hold(world, debrief)
    clock.shift(dt.timedelta(days=2))
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Ana withdrew."))
    inform = open_asks("inform_candidate", application=world.interviewed)
    assert [ask.owner for ask in inform] == [world.rita]
    assert not open_asks("update_candidate", application=world.interviewed)
    # Owed the outcome, the candidate has waited since they last heard from us (as the
    # agenda and the weekly update count it), not since the decision.
    world.interviewed.refresh_from_db()
    heard = world.interviewed.candidate_updated_at or world.interviewed.created_at
    assert inform[0].waiting_since == heard < inform[0].opened_at


def test_no_candidate_informed_while_on_hold(world, debrief, login):
    _hold(world, debrief)
    with pytest.raises(ValidationError, match="on hold"):
        debrief_candidate_informed(debrief=debrief, by=world.rita)
    page = login(world.rita).get(reverse("interviews:debrief-detail", args=[debrief.pk]))
    text = page.content.decode()
    assert "Candidate informed</button>" not in text
    assert "owe them the outcome" not in text and "Not told yet" not in text
    assert "No outcome yet" in text


def test_the_email_of_a_hold_asks_to_keep_the_candidate_posted(world, debrief):
    from closeloop.notify.models import Message

    _hold(world, debrief)
    message = Message.objects.get(recipient=world.rita, template="debrief-decided")
    assert message.subject.startswith("Keep Carla")
    assert "on hold" in message.subject
    for body in (message.body_text, message.body_html):
        assert "Candidate informed" not in body and "candidate informed" not in body
        assert "is waiting to hear. Tell them" not in body
        assert "on hold until Fri 04 Dec" in body
        assert "Candidate updated" in body
    application_url = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    assert application_url in message.body_text


def test_the_email_of_an_advance_still_asks_for_candidate_informed(world, debrief):
    from closeloop.notify.models import Message

    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Strong."))
    message = Message.objects.get(recipient=world.rita, template="debrief-decided")
    assert message.subject.startswith("Tell Carla")
    assert '("Candidate informed")' in message.body_text


def test_no_candidate_informed_on_a_held_debrief_closed_with_its_application(world, debrief):
    # Withdrawn while on hold: the debrief closes undecided; what to tell is the withdrawal's.
    from closeloop.pipeline.services import application_withdraw

    _hold(world, debrief)
    application_withdraw(application=world.interviewed, by=world.rita, reason="other_offer")
    debrief.refresh_from_db()
    with pytest.raises(ValidationError, match="closed before this debrief was decided"):
        debrief_candidate_informed(debrief=debrief, by=world.rita)
    debrief.refresh_from_db()
    assert debrief.informed_at is None
