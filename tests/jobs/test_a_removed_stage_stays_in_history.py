"""Removing a stage takes it out of the plan, never out of what happened: the candidates who
passed through it, or were closed in it, still read where they were."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.jobs.models import Stage
from closeloop.jobs.services import stage_add, stage_remove
from closeloop.pipeline.models import ApplicationStatus
from closeloop.pipeline.services import application_move, application_reject, application_reopen


def stage(job, name: str) -> Stage:
    return job.stages.get(name=name)


def plan(job) -> list[str]:
    return list(job.stages.order_by("position").values_list("name", flat=True))


def walk(world, application, *names: str):
    for name in names:
        application = application_move(
            application=application, by=world.rita, to_stage=stage(world.job, name)
        )
    return application


def history_cells(client, application) -> str:
    page = client.get(reverse("pipeline:application-detail", args=[application.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    return html[html.index('id="history-title"') :]


def test_the_history_of_a_candidate_who_passed_through_a_removed_stage_still_names_it(world, login):
    rafael = walk(world, world.sourced, "Scheduling", "Interviewing", "Offer")
    stage_remove(stage=stage(world.job, "Interviewing"), by=world.rita)

    assert "Interviewing" not in plan(world.job)
    history = history_cells(login(world.rita), rafael)
    assert "Scheduling → Interviewing (removed)" in history
    assert "Interviewing (removed) → Offer" in history
    assert "→ —" not in history and "— →" not in history


def test_a_stage_holding_only_closed_applications_is_removed_and_they_still_read_where_they_were(
    world, login
):
    screen = stage_add(job=world.job, by=world.rita, name="Phone screen")
    zoe = walk(world, world.sourced, "Phone screen")
    application_reject(application=zoe, by=world.rita, reason="skills")

    stages_page = login(world.rita).get(reverse("jobs:job-stages", args=[world.job.pk]))
    row = stages_page.content.decode().split(f'id="stage-{screen.pk}"')[1].split("</li>")[0]
    assert "0 candidates · 1 closed here" in row

    stage_remove(stage=screen, by=world.rita)

    assert "Phone screen" not in plan(world.job)
    zoe.refresh_from_db()
    assert (zoe.stage_id, zoe.status) == (screen.pk, ApplicationStatus.REJECTED)
    assert zoe.stage.label == "Phone screen (removed)"
    client = login(world.rita)
    detail = client.get(reverse("pipeline:application-detail", args=[zoe.pk])).content.decode()
    assert "<strong>Phone screen (removed)</strong>" in detail
    assert "Rejected" in detail
    # The closed rows of the board and of the list still say where they ended.
    job_url = reverse("jobs:job-detail", args=[world.job.pk])
    board = client.get(job_url)
    assert "in Phone screen (removed)" in board.content.decode()
    listing = client.get(f"{job_url}?view=list&status=all")
    assert listing.status_code == 200
    assert "Phone screen (removed)" in listing.content.decode()


def test_a_stage_with_a_candidate_in_it_is_still_refused(world):
    walk(world, world.sourced, "Scheduling")
    with pytest.raises(ValidationError, match=r"Scheduling holds .* candidate"):
        stage_remove(stage=stage(world.job, "Scheduling"), by=world.rita)
    assert "Scheduling" in plan(world.job)


def test_a_removed_stage_gives_up_its_name_and_place(world):
    stage_remove(stage=stage(world.job, "Debrief"), by=world.rita)
    again = stage_add(job=world.job, by=world.rita, name="Debrief")
    assert plan(world.job) == [
        "Sourced", "Submitted", "Scheduling", "Interviewing", "Offer", "Debrief", "Hired",
    ]  # fmt: skip
    assert Stage.with_removed.filter(job=world.job, name="Debrief").count() == 2
    assert again.label == "Debrief"


def test_reopening_an_application_closed_in_a_removed_stage_brings_it_back_into_the_plan(
    world, login
):
    zoe = walk(world, world.sourced, "Scheduling", "Interviewing")
    application_reject(application=zoe, by=world.rita, reason="skills")
    stage_remove(stage=stage(world.job, "Interviewing"), by=world.rita)

    page = login(world.rita).get(reverse("pipeline:application-detail", args=[zoe.pk]))
    assert "Reopen in Scheduling" in page.content.decode()
    zoe = application_reopen(application=zoe, by=world.rita)
    assert (zoe.stage.name, zoe.status) == ("Scheduling", ApplicationStatus.ACTIVE)
    assert "Interviewing (removed) → Scheduling" in history_cells(login(world.rita), zoe)


def test_reopening_never_lands_in_submitted_which_only_a_submission_enters(world, login):
    """Closed in Scheduling, which stood just after Submitted and was removed since: she goes
    back before Submitted, not onto a hiring manager nobody asked."""
    plan_now = plan(world.job)
    assert plan_now.index("Scheduling") == plan_now.index("Submitted") + 1
    maja = walk(world, world.sourced, "Scheduling")
    application_reject(application=maja, by=world.rita, reason="skills")
    stage_remove(stage=stage(world.job, "Scheduling"), by=world.rita)
    maja = application_reopen(application=maja, by=world.rita)
    assert maja.stage.kind != "submitted" and maja.next_move_owner == world.rita


def test_nobody_is_moved_into_a_removed_stage(world):
    offer = stage(world.job, "Offer")
    stage_remove(stage=offer, by=world.rita)
    offer.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer one of the job's stages"):
        application_move(application=world.sourced, by=world.rita, to_stage=offer)
    world.sourced.refresh_from_db()
    assert world.sourced.stage.name == "Sourced"
