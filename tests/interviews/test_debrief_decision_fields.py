"""The debrief decision reads only the fields of the chosen decision: a stage sent with a
rejection, or a reason sent with an advance (the other choice's fields, hidden in the browser
but still posted), is ignored rather than refused or stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

import editing_world


@pytest.fixture
def debrief(clock, world):
    return editing_world.build(world).debrief


def decide(client, debrief, **data: str):
    return client.post(reverse("interviews:debrief-decide", args=[debrief.pk]), data)


def test_a_rejection_ignores_the_advance_stage_field(debrief, world, login):
    response = decide(
        login(world.hank),
        debrief,
        decision="reject",
        reject_reason="skills",
        to_stage="999999",
        rationale="System design was weak.",
    )
    assert response.status_code == 302
    debrief.refresh_from_db()
    assert (debrief.decision, debrief.reject_reason, debrief.to_stage) == ("reject", "skills", None)


def test_an_advance_ignores_the_rejection_reason_field(debrief, world, login):
    response = decide(
        login(world.hank),
        debrief,
        decision="advance",
        reject_reason="not-a-reason",
        to_stage=str(world.job.stages.order_by("-position")[1].pk),
        rationale="Strong on every must-have.",
    )
    assert response.status_code == 302
    debrief.refresh_from_db()
    assert debrief.decision == "advance" and debrief.reject_reason == ""


def test_a_hold_ignores_both(debrief, world, login):
    response = decide(
        login(world.hank),
        debrief,
        decision="hold",
        reject_reason="not-a-reason",
        to_stage="999999",
        rationale="Waiting for the second round.",
    )
    assert response.status_code == 302
    debrief.refresh_from_db()
    assert (debrief.decision, debrief.reject_reason, debrief.to_stage) == ("hold", "", None)
