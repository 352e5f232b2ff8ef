"""Editing existing data in a real browser changes the one field changed and nothing else.

Each form that edits something is loaded with the data of tests/editing_world.py (every field
has a value), one field is changed, the form is saved as a person would save it, and the
stored rows are compared before and after: a value the page could not show (a date in a shape
the browser does not read, a box left out, a time in another zone) comes back changed.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

import editing_world
from editing_world import changed, snapshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]
NOTES = re.compile(r"^Notes:?$")
# Stored by the save itself, not typed by anyone.
INTAKE_BOOKKEEPING = {
    "id", "number", "status", "created_at", "created_by", "started_from", "step",
    "proposed_at", "proposed_by", "in_force_at", "started_with",
}  # fmt: skip


@pytest.fixture
def editing(world):
    return editing_world.build(world)


def form_at(page, action: str):
    return page.locator(f'form[action="{action}"]')


def test_amending_the_intake_changes_only_the_headcount(live_server, editing, world, page_for):
    from closeloop.intake.models import IntakeVersion

    job = editing.job
    page = page_for(world.rita)
    page.goto(f"{live_server.url}/jobs/{job.pk}/intake/")
    expect(page.get_by_label("The last version")).to_be_checked()
    page.get_by_role("button", name="Start version 2").click()
    expect(page.get_by_text("Step 1 of 5: Role & pay")).to_be_visible()
    page.get_by_label("People to hire").fill("3")
    for step in ("Requirements", "Interview plan", "Service levels & cadence", "Review & propose"):
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_text(re.compile(rf"Step \d of 5: {re.escape(step)}"))).to_be_visible()
    page.get_by_role("button", name="Propose and sign").click()
    expect(page.get_by_text("Proposed version 2")).to_be_visible()

    amended = IntakeVersion.objects.get(job=job, number=2)
    assert amended.status == "proposed"
    before = snapshot(editing.agreement, exclude=INTAKE_BOOKKEEPING)
    assert changed(before, snapshot(amended, exclude=INTAKE_BOOKKEEPING)) == {"headcount": (2, 3)}


def test_editing_the_job_a_stage_and_a_candidate_changes_only_that_field(
    live_server, editing, world, page_for
):
    job = editing.job
    stage = job.stages.order_by("position").first()
    candidate = world.interviewed.candidate
    page = page_for(world.rita)

    before = snapshot(job)
    page.goto(f"{live_server.url}/jobs/{job.pk}/edit/")
    page.get_by_label("Team").fill("Platform & Data")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Backend Engineer")
    assert changed(before, snapshot(job)) == {"team": ("Platform", "Platform & Data")}

    before = snapshot(stage)
    page.goto(f"{live_server.url}/jobs/{job.pk}/stages/")
    form = form_at(page, f"/stages/{stage.pk}/edit/")
    form.get_by_label("Stage name").fill("Found")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Stage name").first).to_have_value("Found")
    assert changed(before, snapshot(stage)) == {"name": (stage.name, "Found")}

    before = snapshot(candidate)
    page.goto(f"{live_server.url}/candidates/{candidate.pk}/edit/")
    page.get_by_label("Phone").fill("+49 30 7654321")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Carla Candidate")
    assert changed(before, snapshot(candidate)) == {"phone": ("+49 30 1234567", "+49 30 7654321")}


def test_editing_a_profile_and_the_weekly_update_changes_only_that_field(
    live_server, editing, world, page_for
):
    hank = world.hank
    page = page_for(hank)

    before = snapshot(hank, exclude={"password"})
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_label("Job title").fill("Director of engineering")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    assert changed(before, snapshot(hank, exclude={"password"})) == {
        "title": ("Engineering manager", "Director of engineering")
    }

    before = snapshot(editing.schedule)
    page.get_by_label("Day", exact=True).select_option(label="Wednesday")
    page.get_by_role("button", name="Save weekly update").click()
    expect(page.get_by_text(re.compile("Weekly update: .*Wednesday"))).to_be_visible()
    assert changed(before, snapshot(editing.schedule)) == {"weekday": (1, 2)}


def test_editing_the_service_levels_changes_only_that_level(live_server, editing, world, page_for):
    from closeloop.followups.models import ServiceLevel

    def levels():
        return {row.kind: (row.amount, row.enabled) for row in ServiceLevel.objects.all()}

    before = levels()
    page = page_for(world.ada)
    page.goto(f"{live_server.url}/settings/service-levels/")
    level = page.locator("#level-review_submission")
    level.get_by_role("spinbutton").fill("2.5")
    page.get_by_role("button", name="Save service levels").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert levels() == {**before, "review_submission": (Decimal("2.5"), True)}


def test_rescheduling_an_interview_and_moving_the_debrief_change_only_the_place(
    live_server, editing, world, page_for
):
    interview, debrief = editing.interview, editing.debrief
    page = page_for(world.rita)

    before = snapshot(interview)
    page.goto(f"{live_server.url}/interviews/{interview.pk}/")
    page.get_by_text("Reschedule or change the panel").click()
    form = form_at(page, f"/interviews/{interview.pk}/reschedule/")
    form.get_by_label("Location").fill("Berlin office, room 3")
    form.get_by_role("button", name="Send the update").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert changed(before, snapshot(interview)) == {
        "location": ("Berlin office, room 2", "Berlin office, room 3")
    }

    before = snapshot(debrief)
    page.goto(f"{live_server.url}/debriefs/{debrief.pk}/")
    form = form_at(page, f"/debriefs/{debrief.pk}/meeting/")
    page.get_by_text("Move the debrief meeting").click()
    form.get_by_label("Where").fill("Room 5")
    form.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert changed(before, snapshot(debrief)) == {"location": ("Room 4", "Room 5")}


def test_editing_a_scorecard_draft_and_touch_base_notes_changes_only_that_field(
    live_server, editing, world, page_for
):
    scorecard, touchbase = editing.scorecard, editing.touchbase

    before = snapshot(scorecard)
    ivy = page_for(world.ivy)
    ivy.goto(f"{live_server.url}/interviews/{editing.interview.pk}/")
    ivy.get_by_label(NOTES).fill("Solid, and clear on trade-offs.")
    ivy.get_by_role("button", name="Save draft").click()
    expect(ivy.locator(".message.success")).to_be_visible()
    assert changed(before, snapshot(scorecard)) == {
        "notes": ("Solid.", "Solid, and clear on trade-offs.")
    }

    before = snapshot(touchbase)
    rita = page_for(world.rita)
    rita.goto(f"{live_server.url}/touchbases/{touchbase.pk}/")
    form_at(rita, f"/touchbases/{touchbase.pk}/notes/").get_by_role("textbox").fill(
        "Pay band first.\nThen Carla.\nThen Kafka."
    )
    rita.get_by_role("button", name="Save notes").click()
    expect(rita.locator(".message.success")).to_be_visible()
    assert changed(before, snapshot(touchbase)) == {
        "notes": ("Pay band first.\nThen Carla.", "Pay band first.\nThen Carla.\nThen Kafka.")
    }
