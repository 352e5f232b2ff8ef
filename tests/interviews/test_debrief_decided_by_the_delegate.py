"""While the hiring manager is away, the delegate holding the debrief's decision carries it
out: an advance moves the candidate, a rejection closes the application, as his would (the
hiring team's rule for moving candidates does not name her). Her decision form ticks her,
not him, under "Who took part"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from interview_helpers import debrief_open, open_asks

from closeloop.interviews.models import DebriefStatus
from closeloop.interviews.services import (
    Decision,
    Meeting,
    debrief_decide,
    debrief_schedule,
)
from closeloop.pipeline.models import ApplicationStatus
from closeloop.pipeline.selectors import application_decision_right
from closeloop.pipeline.services import application_move_decided, application_reject_decided


@pytest.fixture
def debrief(world, clock, interview, jonas):
    """Hank is away with olga (a hiring manager, off his job's team) as his delegate when the
    round ends with every scorecard in: the debrief opens and its decision goes to her."""
    debrief = debrief_open(world, clock, interview, jonas, hank_away=True)
    (ask,) = open_asks("decide_after_debrief")
    assert (ask.owner, ask.original_owner) == (world.olga, world.hank)
    return debrief


def test_the_delegate_advances_the_candidate_to_the_offer(world, debrief):
    offer = world.job.stages.get(kind="offer")
    debrief_decide(
        debrief=debrief,
        by=world.olga,
        decision=Decision("advance", "Strong on both rounds.", to_stage=offer),
    )
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage == offer and world.interviewed.is_active
    change = world.interviewed.stage_changes.latest("at", "pk")
    assert (change.to_stage, change.by) == (offer, world.olga)
    assert change.reason.startswith("After the Technical debrief: Strong on both rounds.")
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.DECIDED and debrief.decided_by == world.olga
    assert debrief.to_stage == offer
    (inform,) = open_asks("inform_candidate")
    assert inform.requested_by == world.olga  # not the absent Hank


def test_the_moves_reason_is_the_rationale_as_typed(world, debrief):
    """The stage history shows a reason as typed (escaped there): nothing is taken out."""
    offer = world.job.stages.get(kind="offer")
    rationale = "<b>Strong</b> on SQL &amp; design<script>alert(1)</script>"
    debrief_decide(
        debrief=debrief, by=world.olga, decision=Decision("advance", rationale, to_stage=offer)
    )
    change = world.interviewed.stage_changes.latest("at", "pk")
    assert change.reason == f"After the Technical debrief: {rationale}"


def test_the_delegate_rejects_the_candidate(world, debrief):
    debrief_decide(
        debrief=debrief,
        by=world.olga,
        decision=Decision("reject", "Below the bar on design.", reject_reason="skills"),
    )
    world.interviewed.refresh_from_db()
    assert world.interviewed.status == ApplicationStatus.REJECTED
    assert world.interviewed.closed_reason == "skills"
    assert world.interviewed.stage_changes.latest("at", "pk").by == world.olga
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.DECIDED and debrief.reject_reason == "skills"
    assert len(open_asks("inform_candidate")) == 1
    assert not open_asks("decide_after_debrief")


def test_on_the_page_the_delegate_on_the_team_records_an_advance(world, login, debrief):
    """As in the demo: Sofia covers for Tomasz and is his job's escalation contact."""
    world.job.escalation_contact = world.olga
    world.job.save()
    offer = world.job.stages.get(kind="offer")
    response = login(world.olga).post(
        f"/debriefs/{debrief.pk}/decide/",
        {"decision": "advance", "to_stage": offer.pk, "rationale": "Strong on both rounds."},
    )
    assert response.status_code == 302
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage == offer


def test_a_delegate_off_the_team_opens_the_debrief_and_decides_there(world, login, debrief):
    """Olga is not on Hank's job: the debrief she holds opens for her while its decision is
    hers to make; once made, she is led to her queue (the page is the team's again)."""
    client = login(world.olga)
    page = reverse("interviews:debrief-detail", args=[debrief.pk])
    assert client.get(page).status_code == 200
    offer = world.job.stages.get(kind="offer")
    response = client.post(
        f"/debriefs/{debrief.pk}/decide/",
        {"decision": "advance", "to_stage": offer.pk, "rationale": "Strong on both rounds."},
    )
    assert response.status_code == 302 and response.url == reverse("pipeline:queue")
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage == offer
    assert client.get(page).status_code == 404


def test_her_second_tab_is_told_it_was_decided_not_that_she_may_not(world, login, debrief):
    world.job.escalation_contact = world.olga  # on the team, as Sofia is in the demo
    world.job.save()
    client = login(world.olga)
    offer = world.job.stages.get(kind="offer")
    client.post(
        f"/debriefs/{debrief.pk}/decide/",
        {"decision": "advance", "to_stage": offer.pk, "rationale": "Strong on both rounds."},
    )
    again = client.post(
        f"/debriefs/{debrief.pk}/decide/",
        {"decision": "reject", "reject_reason": "skills", "rationale": "Second tab."},
        follow=True,
    )
    assert again.status_code == 200
    assert "Nothing was changed: Olga Outsider decided this debrief already." in (
        again.content.decode()
    )
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage == offer and world.interviewed.is_active


def test_a_right_carries_out_a_decision_on_its_own_candidate_only(world, debrief):
    right = application_decision_right(user=world.olga, application=world.interviewed)
    assert right is not None
    assert application_decision_right(user=world.olga, application=world.sourced) is None
    offer = world.job.stages.get(kind="offer")
    with pytest.raises(PermissionDenied):
        application_move_decided(application=world.sourced, right=right, to_stage=offer)
    with pytest.raises(PermissionDenied):
        application_reject_decided(application=world.sourced, right=right, reason="skills")
    world.sourced.refresh_from_db()
    assert world.sourced.is_active and world.sourced.stage.kind == "sourced"


def test_nobody_else_decides_for_him(world, debrief):
    for person in (world.rita, world.ivy):
        with pytest.raises(PermissionDenied):
            debrief_decide(debrief=debrief, by=person, decision=Decision("advance", "Go."))
    debrief.refresh_from_db()
    assert debrief.is_open


# --- Who took part ---------------------------------------------------------------------------


@pytest.fixture
def invited(world, debrief, jonas):
    """As in the demo: olga is also the job's escalation contact (so she may attend), and
    Rita booked the meeting with Hank on the invitation before he left."""
    world.job.escalation_contact = world.olga
    world.job.save()
    debrief_schedule(
        debrief=debrief,
        by=world.rita,
        attendees=[world.hank, world.rita, world.ivy, jonas],
        meeting=Meeting(
            meets_at=timezone.now() + dt.timedelta(days=1), minutes=30, time_zone="UTC"
        ),
    )
    return debrief


def _ticked(client, debrief) -> set[int]:
    page = client.get(reverse("interviews:debrief-detail", args=[debrief.pk]))
    return set(page.context["decide_form"].initial["attendees"])


def test_who_took_part_ticks_the_delegate_deciding_not_the_absent_manager(
    world, login, invited, jonas
):
    ticked = _ticked(login(world.olga), invited)
    assert ticked == {world.olga.pk, world.rita.pk, world.ivy.pk, jonas.pk}


def test_her_decision_with_those_defaults_records_her_as_taking_part(world, login, invited, jonas):
    client = login(world.olga)
    ticked = _ticked(client, invited)
    response = client.post(
        f"/debriefs/{invited.pk}/decide/",
        {"decision": "hold", "rationale": "Wait for the reference.", "attendees": list(ticked)},
    )
    assert response.status_code == 302
    assert set(invited.attendees.all()) == {world.olga, world.rita, world.ivy, jonas}


def test_the_manager_himself_is_ticked_when_he_decides(world, login, invited, jonas):
    assert _ticked(login(world.hank), invited) == {
        world.hank.pk,
        world.rita.pk,
        world.ivy.pk,
        jonas.pk,
    }
