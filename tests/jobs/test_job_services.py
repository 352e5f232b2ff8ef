"""The writes of jobs/services.py: jobs with their default plan, updates, and stage rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.activity.models import Activity
from closeloop.jobs.models import Job, JobStatus, MoveOwner, Stage, StageKind
from closeloop.jobs.services import (
    job_create,
    job_update,
    stage_add,
    stage_move,
    stage_remove,
    stage_update,
)
from closeloop.pipeline.services import application_reject


def names(job) -> list[str]:
    return list(job.stages.order_by("position").values_list("name", flat=True))


def positions(job) -> list[int]:
    return list(job.stages.order_by("position").values_list("position", flat=True))


def new_job(world, **extra):
    data = {"title": "SRE", "recruiter": world.rita, "hiring_manager": world.hank, **extra}
    return job_create(by=world.rita, data=data)


# --- job_create ----------------------------------------------------------------------------


def test_a_new_job_gets_the_default_plan_with_whose_move_it_is(world):
    job = new_job(world)
    plan = list(job.stages.order_by("position").values_list("kind", "name", "move_owner"))
    assert plan == [
        (StageKind.SOURCED, "Sourced", MoveOwner.RECRUITER),
        (StageKind.SUBMITTED, "Submitted", MoveOwner.HIRING_MANAGER),
        (StageKind.HM_REVIEW, "Scheduling", MoveOwner.RECRUITER),
        (StageKind.INTERVIEWING, "Interviewing", MoveOwner.INTERVIEWERS),
        (StageKind.DEBRIEF, "Debrief", MoveOwner.HIRING_MANAGER),
        (StageKind.OFFER, "Offer", MoveOwner.RECRUITER),
        (StageKind.HIRED, "Hired", MoveOwner.NOBODY),
    ]
    assert positions(job) == list(range(7))


def test_creating_a_job_is_logged_and_a_draft_is_not_yet_open(world):
    job = new_job(world)
    assert job.status == JobStatus.DRAFT and job.opened_at is None
    activity = Activity.objects.get(job=job)
    assert activity.kind == "closeloop.job.created"
    assert activity.actor == world.rita


def test_an_open_job_is_stamped_with_its_opening_time(world):
    assert new_job(world, status=JobStatus.OPEN).opened_at is not None


def test_a_hiring_manager_cannot_create_a_job(world):
    data = {"title": "SRE", "recruiter": world.rita, "hiring_manager": world.hank}
    with pytest.raises(PermissionDenied):
        job_create(by=world.hank, data=data)
    assert not Job.objects.filter(title="SRE").exists()


def test_the_hiring_manager_must_hold_the_role(world):
    with pytest.raises(ValidationError) as error:
        new_job(world, hiring_manager=world.ivy)
    assert "hiring_manager" in error.value.error_dict
    assert not Job.objects.filter(title="SRE").exists()


def test_the_recruiter_must_be_a_recruiter_or_an_admin(world):
    with pytest.raises(ValidationError) as error:
        new_job(world, recruiter=world.hank)
    assert "recruiter" in error.value.error_dict
    assert new_job(world, recruiter=world.ada).recruiter == world.ada


def test_interviewers_are_set_on_create(world):
    job = job_create(
        by=world.rita,
        data={"title": "SRE", "recruiter": world.rita, "hiring_manager": world.hank},
        interviewers=[world.ivy],
    )
    assert list(job.interviewers.all()) == [world.ivy]


# --- job_update ----------------------------------------------------------------------------


def test_an_update_logs_what_changed(world):
    job_update(
        job=world.job,
        by=world.rita,
        data={"title": "Senior Backend Engineer", "headcount": 2},
        interviewers=[world.ivy, world.olga],
    )
    activity = Activity.objects.get(kind="closeloop.job.updated")
    assert activity.data["fields"] == ["title", "headcount", "interviewers"]
    assert activity.summary == "Rita Recruiter changed title, headcount, interviewers"
    world.job.refresh_from_db()
    assert world.job.title == "Senior Backend Engineer"


def test_an_update_that_changes_nothing_logs_nothing(world):
    job_update(
        job=world.job, by=world.rita, data={"title": "Backend Engineer"}, interviewers=[world.ivy]
    )
    assert not Activity.objects.filter(kind="closeloop.job.updated").exists()


def test_closing_a_job_stamps_it_and_reopening_clears_the_stamp(world):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.CLOSED})
    assert world.job.closed_at is not None
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    assert world.job.closed_at is None


def test_the_hiring_manager_cannot_edit_the_job(world):
    with pytest.raises(PermissionDenied):
        job_update(job=world.job, by=world.hank, data={"title": "Mine now"})
    world.job.refresh_from_db()
    assert world.job.title == "Backend Engineer"


def test_a_bad_update_changes_nothing(world):
    with pytest.raises(ValidationError):
        job_update(job=world.job, by=world.rita, data={"title": "x", "hiring_manager": world.ivy})
    world.job.refresh_from_db()
    assert (world.job.title, world.job.hiring_manager) == ("Backend Engineer", world.hank)


# --- stages --------------------------------------------------------------------------------


def test_a_new_stage_goes_just_before_hired(world):
    stage = stage_add(
        job=world.job, by=world.rita, name="  Reference check ", move_owner="recruiter"
    )
    assert stage.name == "Reference check" and stage.kind == StageKind.CUSTOM
    assert names(world.job)[-2:] == ["Reference check", "Hired"]
    assert positions(world.job) == list(range(8))
    assert Activity.objects.filter(kind="closeloop.job.stage_added", job=world.job).exists()


def test_stage_names_are_unique_per_job_whatever_the_case(world):
    with pytest.raises(ValidationError) as error:
        stage_add(job=world.job, by=world.rita, name="sourced")
    assert "name" in error.value.error_dict
    assert len(names(world.job)) == 7


@pytest.mark.parametrize(
    ("name", "owner", "field"),
    [("   ", "recruiter", "name"), ("Homework", "the cat", "move_owner")],
)
def test_a_stage_needs_a_name_and_a_known_owner(world, name, owner, field):
    with pytest.raises(ValidationError) as error:
        stage_add(job=world.job, by=world.rita, name=name, move_owner=owner)
    assert field in error.value.error_dict
    assert len(names(world.job)) == 7


def test_only_the_recruiting_side_edits_stages(world):
    stage = world.job.stages.get(name="Offer")
    with pytest.raises(PermissionDenied):
        stage_add(job=world.job, by=world.hank, name="Homework")
    with pytest.raises(PermissionDenied):
        stage_update(stage=stage, by=world.hank, name="Deal", move_owner="recruiter")
    with pytest.raises(PermissionDenied):
        stage_move(stage=stage, by=world.ivy, direction=-1)
    with pytest.raises(PermissionDenied):
        stage_remove(stage=stage, by=world.hank)
    assert len(names(world.job)) == 7


def test_a_stage_is_renamed_and_changes_owner(world):
    stage = world.job.stages.get(name="Scheduling")
    stage_update(stage=stage, by=world.rita, name="Team review", move_owner="interviewers")
    stage.refresh_from_db()
    assert (stage.name, stage.move_owner) == ("Team review", "interviewers")


def test_a_rename_cannot_take_another_stages_name(world):
    stage = world.job.stages.get(name="Scheduling")
    with pytest.raises(ValidationError):
        stage_update(stage=stage, by=world.rita, name="Offer", move_owner="recruiter")
    stage.refresh_from_db()
    assert stage.name == "Scheduling"


def test_a_stage_moves_up_and_down(world):
    offer = world.job.stages.get(name="Offer")
    stage_move(stage=offer, by=world.rita, direction=-1)
    assert names(world.job)[4:6] == ["Offer", "Debrief"]
    stage_move(stage=offer, by=world.rita, direction=1)
    assert names(world.job)[4:6] == ["Debrief", "Offer"]
    assert positions(world.job) == list(range(7))


def test_a_stage_cannot_move_past_either_end(world):
    with pytest.raises(ValidationError):
        stage_move(stage=world.job.stages.get(name="Sourced"), by=world.rita, direction=-1)
    with pytest.raises(ValidationError):
        stage_move(stage=world.job.stages.get(name="Hired"), by=world.rita, direction=1)
    assert names(world.job)[0] == "Sourced"


def test_an_empty_stage_is_removed_and_the_plan_renumbered(world):
    stage_remove(stage=world.job.stages.get(name="Scheduling"), by=world.rita)
    assert names(world.job) == ["Sourced", "Submitted", "Interviewing", "Debrief", "Offer", "Hired"]
    assert positions(world.job) == list(range(6))
    assert Activity.objects.filter(kind="closeloop.job.stage_removed").exists()


def test_a_stage_with_candidates_is_not_removed(world):
    with pytest.raises(ValidationError, match=r"Sourced holds .* candidate"):
        stage_remove(stage=world.job.stages.get(name="Sourced"), by=world.rita)
    assert "Sourced" in names(world.job)


def test_a_stage_holding_only_closed_applications_is_removed_and_they_stay_in_it(world):
    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    sourced = world.job.stages.get(name="Sourced")
    stage_remove(stage=sourced, by=world.rita)
    assert "Sourced" not in names(world.job)
    assert positions(world.job) == list(range(6))
    world.sourced.refresh_from_db()
    assert world.sourced.stage == sourced
    assert world.sourced.stage.label == "Sourced (removed)"
    summary = Activity.objects.get(kind="closeloop.job.stage_removed").summary
    assert summary.endswith("the 2 closed applications that ended in it keep it in their history")


@pytest.mark.parametrize("name", ["Submitted", "Hired"])
def test_submitted_and_hired_cannot_be_removed(world, name):
    with pytest.raises(ValidationError, match="rename it instead"):
        stage_remove(stage=world.job.stages.get(name=name), by=world.rita)
    assert Stage.objects.filter(job=world.job, name=name).exists()
