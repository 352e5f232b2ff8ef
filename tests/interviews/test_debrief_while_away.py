"""A debrief that opens while the hiring manager is out of office: the decision goes to their
delegate, and the emails, the log and the page say so instead of naming the absent manager."""

from __future__ import annotations

import pytest
from django.urls import reverse
from interview_helpers import debrief_open

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask
from closeloop.notify.models import Message


@pytest.fixture
def debrief(world, clock, interview, jonas):
    """Hank is away with olga (a hiring manager too) as his delegate when the round ends
    with every scorecard in: the debrief opens."""
    return debrief_open(world, clock, interview, jonas, hank_away=True)


def _opened(person) -> str:
    return Message.objects.get(template="debrief-opened", recipient=person).body_text


def test_the_delegate_holds_the_decision_and_everyone_is_told_so(world, debrief):
    ask = Ask.objects.get(kind="decide_after_debrief")
    assert (ask.owner, ask.original_owner) == (world.olga, world.hank)
    assert "is waiting for your decision (you cover for Hank Manager, who is out of office)" in (
        _opened(world.olga)
    )
    assert "Olga Outsider owes the decision, covering for Hank Manager." in _opened(world.rita)
    assert "You are out of office, so Olga Outsider holds the decision" in _opened(world.hank)
    opened = Activity.objects.get(kind="closeloop.debrief.opened")
    assert opened.summary.endswith("Olga Outsider decides, covering for Hank Manager")


def test_the_page_names_the_delegate_to_the_recruiter(world, login, debrief):
    page = login(world.rita).get(reverse("interviews:debrief-detail", args=[debrief.pk]))
    assert "Waiting for Olga Outsider, covering for Hank Manager, to decide." in (
        page.content.decode()
    )
    application = login(world.rita).get(
        reverse("pipeline:application-detail", args=[world.interviewed.pk])
    )
    assert "Waiting for Olga Outsider, covering for Hank Manager</span>" in (
        application.content.decode()
    )


def test_the_badge_says_you_to_the_delegate_and_to_the_manager_away(world, login, debrief):
    """On Carla's page, olga reads "Waiting for you, covering for Hank Manager", and hank
    "Waiting for Olga Outsider, covering for you"."""
    url = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    olgas = login(world.olga).get(url).content.decode()
    hanks = login(world.hank).get(url).content.decode()
    assert "Waiting for you, covering for Hank Manager</span>" in olgas
    assert "Waiting for Olga Outsider, covering for you</span>" in hanks


def test_the_meeting_form_invites_the_delegate_who_decides_not_the_manager_away(
    world, login, debrief
):
    """olga covers hank's decision and may attend (the job's escalation contact): the
    meeting form ticks her in his place, so the invitation goes to whoever decides."""
    world.job.escalation_contact = world.olga
    world.job.save(update_fields=["escalation_contact"])
    form = login(world.rita).get(f"/debriefs/{debrief.pk}/").context["meeting_form"]
    invited = form.initial["attendees"]
    assert world.olga.pk in invited and world.hank.pk not in invited
    assert world.rita.pk in invited and world.ivy.pk in invited
