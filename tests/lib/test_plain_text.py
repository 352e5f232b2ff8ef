"""Names and titles are plain text: control characters (C0, DEL, C1) are refused with a message
that says so, on every form that writes one, and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.accounts.forms import ProfileForm
from closeloop.accounts.models import User
from closeloop.intake.forms import RoleForm, RoundForm
from closeloop.intake.models import IntakeVersion
from closeloop.jobs.forms import JobForm, StageForm
from closeloop.jobs.models import Job, JobStatus, Stage
from closeloop.lib.text import listed, validate_multiline_text, validate_single_line_text
from closeloop.partnership.mentorship.forms import NotesForm, WorkingCardForm
from closeloop.partnership.surveys.forms import SurveyTextForm
from closeloop.pipeline.forms import CandidateForm
from closeloop.pipeline.models import Candidate
from closeloop.touchbases.forms import ActionItemForm

BELL, ESCAPE, DELETE, C1_NEL, C1_80 = "\x07", "\x1b", "\x7f", "\x85", "\x80"


@pytest.mark.parametrize("character", [BELL, ESCAPE, DELETE, C1_NEL, C1_80, "\t", "\n", "\r"])
def test_a_single_line_refuses_every_control_character(character):
    with pytest.raises(ValidationError, match="control character"):
        validate_single_line_text(f"Nina{character}New")


@pytest.mark.parametrize("character", [BELL, ESCAPE, DELETE, C1_NEL, C1_80])
def test_multi_line_text_refuses_control_characters_other_than_line_breaks(character):
    with pytest.raises(ValidationError, match="control character"):
        validate_multiline_text(f"Python{character}\nGo")


def test_multi_line_text_keeps_line_breaks_and_tabs():
    validate_multiline_text("Python\r\nGo\tand Rust")


def test_letters_of_every_script_are_plain_text():
    validate_single_line_text("Zoë Åström-Núñez 王芳 O'Brien · Ünal")


def test_the_message_names_the_character():
    with pytest.raises(ValidationError) as refusal:
        validate_single_line_text(f"Nina{BELL}")
    assert "U+0007" in refusal.value.messages[0]


def candidate_data(**extra) -> dict:
    return {"full_name": "Nina New", "email": "nina@cand.example", "source": "referral", **extra}


@pytest.mark.parametrize(
    "field", ["full_name", "current_title", "current_company", "location", "phone"]
)
def test_the_candidate_form_refuses_control_characters(field):
    form = CandidateForm(candidate_data(**{field: f"x{C1_80}y"}))
    assert not form.is_valid()
    assert "control character" in str(form.errors[field])


def test_a_candidate_name_with_a_control_character_is_refused_and_not_stored(world, login):
    response = login(world.rita).post(
        reverse("pipeline:candidate-add", args=[world.job.pk]),
        candidate_data(full_name=f"\xff\xfe\xc3({C1_80}"),
    )
    assert response.status_code == 400
    assert "control character" in response.content.decode()
    assert not Candidate.objects.filter(email="nina@cand.example").exists()


def job_data(world, **extra) -> dict:
    return {
        "title": "Site Reliability Engineer",
        "team": "Platform",
        "headcount": "1",
        "status": JobStatus.OPEN,
        "must_haves": "Linux\nKubernetes",
        "recruiter": world.rita.pk,
        "hiring_manager": world.hank.pk,
        **extra,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", f"SRE{ESCAPE}[31m"),
        ("team", f"Plat{BELL}form"),
        ("must_haves", f"Lin{C1_NEL}ux\nGo"),
    ],
)
def test_the_job_form_refuses_control_characters_and_opens_no_job(world, login, field, value):
    before = Job.objects.count()
    response = login(world.rita).post(reverse("jobs:job-create"), job_data(world, **{field: value}))
    assert response.status_code == 400
    assert "control character" in response.content.decode()
    assert Job.objects.count() == before


def test_a_stage_name_with_a_control_character_is_refused(world, login):
    response = login(world.rita).post(
        reverse("jobs:job-stages", args=[world.job.pk]),
        {"add-name": f"Reference{BELL} check", "add-move_owner": "recruiter"},
    )
    assert "control character" in response.content.decode()
    assert not Stage.objects.filter(name__startswith="Reference").exists()


def test_the_stage_form_refuses_control_characters():
    form = StageForm({"name": f"Offer{C1_80}", "move_owner": "recruiter"})
    assert not form.is_valid() and "control character" in str(form.errors["name"])


def test_the_job_form_keeps_plain_multi_line_must_haves(world):
    form = JobForm(job_data(world, must_haves="Linux\r\nKubernetes\tor Nomad"))
    assert form.is_valid(), form.errors


def test_the_action_item_form_refuses_control_characters(world):
    form = ActionItemForm(
        {"description": f"Send{BELL} the offer", "owner": world.hank.pk, "due_on": "2026-11-27"},
        people=[world.hank],
    )
    assert not form.is_valid() and "control character" in str(form.errors["description"])


def test_the_intake_role_step_refuses_control_characters(world):
    form = RoleForm(
        {"title": f"Back{C1_NEL}end", "team": "Platform", "headcount": "1"},
        version=IntakeVersion(job=world.job),
    )
    assert not form.is_valid() and "control character" in str(form.errors["title"])


def test_an_interview_round_name_refuses_control_characters(world):
    form = RoundForm(
        {"name": f"Tech{ESCAPE}", "duration_minutes": "45"}, people=User.objects.none()
    )
    assert not form.is_valid() and "control character" in str(form.errors["name"])


def test_a_profile_name_refuses_control_characters(world):
    form = ProfileForm({"full_name": f"Hank{C1_80} Hill"}, user=world.hank)
    form.is_valid()
    assert "control character" in str(form.errors["full_name"])


def test_a_list_reads_as_a_person_writes_it():
    assert [listed(words) for words in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == [
        "", "A", "A and B", "A, B and C",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (SurveyTextForm, "what_worked"),
        (NotesForm, "notes"),
        (WorkingCardForm, "channel"),
        (CandidateForm, "full_name"),
    ],
)
def test_a_null_character_is_refused_in_one_message(form_class, field):
    """Django's "Null characters are not allowed." fired beside ours, the two run together
    under the box: "…not allowed.This contains an invisible control character (U+0000)…"."""
    form = form_class({**candidate_data(), field: "Quick\x00slates"})
    assert not form.is_valid()
    assert form.errors[field] == [
        "This contains an invisible control character (U+0000); remove it. Only plain text "
        "is kept here."
    ]
