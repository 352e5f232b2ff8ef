"""Every door a service level comes in through, from the box (or the caller) to a due time.

A service level enters through the job form, the intake's cadence step, the intake template
admin, the organisation's settings page, or a service called directly (the demo, a script,
a test). Each door refuses a bad value in words and changes nothing; a good one is stored as
the same JSON whichever door it came through, and sets the same due time. (These tests were
written before the value was parsed once at the edge: they pin what every path did then.)
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from intake_helpers import cadence_post

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask, ServiceLevel
from closeloop.followups.policies import (
    DEFAULTS,
    LevelSetting,
    LevelSettings,
    Policy,
    ServiceLevels,
    Span,
    Unit,
    register,
    service_level_in_force,
)
from closeloop.followups.services import service_levels_update
from closeloop.intake.admin import IntakeTemplateForm
from closeloop.intake.models import IntakeTemplate, IntakeVersion
from closeloop.intake.services import (
    intake_draft_save,
    intake_draft_start,
    intake_propose,
    intake_sign,
)
from closeloop.jobs.models import Job
from closeloop.jobs.services import job_create, job_update
from closeloop.pipeline.services import application_submit

TOO_SHORT = "Give at least 0.5 business days: an ask needs time to be answered."
TOO_LONG = "At most 30 business days: anything longer is no longer a follow-up."
HALVES = "Use whole or half business days (e.g. 1.5)."
REVIEW = "Review a submitted candidate"
ONLY_JOB_KINDS = "Only the job's own ask kinds can be agreed."


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


def canonical(levels: object) -> str:
    """Stored levels as JSON text: 2 stays 2, 1.5 stays 1.5; key order is the database's own
    (PostgreSQL's jsonb sorts keys by length), so it is not compared."""
    return json.dumps(levels, sort_keys=True)


def stored(job: Job) -> str:
    """The job's service levels as the database holds them."""
    return canonical(Job.objects.get(pk=job.pk).service_levels)


def review_due(world) -> Ask:
    application_submit(application=world.interviewed, by=world.rita, pitch="Good.")
    return Ask.objects.get(kind="review_submission")


def job_form(job, **levels: str) -> dict:
    data = {
        "title": job.title, "team": job.team, "location": job.location,
        "headcount": str(job.headcount), "status": job.status, "must_haves": job.must_haves,
        "recruiter": job.recruiter_id, "hiring_manager": job.hiring_manager_id,
        "coordinator": "", "escalation_contact": "",
        "interviewers": [p.pk for p in job.interviewers.all()],
    }  # fmt: skip
    for kind in ("review_submission", "submit_scorecard", "decide_after_debrief"):
        data[f"service_level_{kind}"] = levels.get(kind, "")
    data["service_level_update_candidate"] = levels.get("update_candidate", "")
    return data


# --- The job form ----------------------------------------------------------------------------


def test_the_job_form_stores_canonical_json_and_the_next_ask_is_due_by_it(world, login):
    data = job_form(world.job, review_submission="1.50", submit_scorecard="2.0")
    response = login(world.rita).post(reverse("jobs:job-edit", args=[world.job.pk]), data)
    assert response.status_code == 302
    assert stored(world.job) == '{"review_submission": 1.5, "submit_scorecard": 2}'
    ask = review_due(world)
    assert ask.due_at == at(24, 14)
    assert (ask.policy["due"], ask.policy["source"]) == ("1.5 business days", "job")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", TOO_SHORT),
        ("30.5", TOO_LONG),
        ("1.25", HALVES),
        ("soon", "Enter a number of business days, or leave empty."),
        ("Infinity", "Enter a number of business days, or leave empty."),
    ],
)
def test_the_job_form_refuses_a_bad_box_with_the_rules_words(world, login, value, message):
    before = stored(world.job)
    data = job_form(world.job, review_submission=value)
    response = login(world.rita).post(reverse("jobs:job-edit", args=[world.job.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["service_level_review_submission"] == [message]
    assert stored(world.job) == before


def test_the_job_form_keeps_what_the_intake_agreed_for_kinds_it_has_no_box_for(world, login):
    Job.objects.filter(pk=world.job.pk).update(service_levels={"sign_intake": 4})
    job = Job.objects.get(pk=world.job.pk)
    login(world.rita).post(reverse("jobs:job-edit", args=[job.pk]), job_form(job))
    assert stored(job) == '{"sign_intake": 4}'


# --- The job services, called directly -------------------------------------------------------


def test_job_update_stores_raw_numbers_as_the_same_json(world):
    levels = {
        "review_submission": " 1.5 ",
        "submit_scorecard": Decimal("2.0"),
        "update_candidate": 3.0,
    }
    job_update(job=world.job, by=world.rita, data={"service_levels": levels})
    assert stored(world.job) == (
        '{"review_submission": 1.5, "submit_scorecard": 2, "update_candidate": 3}'
    )
    assert review_due(world).due_at == at(24, 14)


def test_job_update_refuses_every_bad_value_in_words_and_changes_nothing(world):
    before = stored(world.job)
    levels = {
        "review_submission": 0,
        "made_up": 1,
        "submit_scorecard": "soon",
        "update_candidate": True,
        "decide_after_debrief": "NaN",
    }
    with pytest.raises(ValidationError) as refused:
        job_update(job=world.job, by=world.rita, data={"service_levels": levels, "title": "X"})
    assert refused.value.message_dict == {
        "service_levels": [
            f"{REVIEW}: {TOO_SHORT}",
            "made_up: There is no such kind of ask.",
            "Submit a scorecard: Enter a number of business days, e.g. 1.",
            "Give a waiting candidate news: Enter a number of business days, e.g. 3.",
            "Decide after the debrief: Enter a number of business days, e.g. 3.",
        ]
    }
    assert stored(world.job) == before
    assert Job.objects.get(pk=world.job.pk).title == "Backend Engineer"
    assert not Activity.objects.filter(kind="closeloop.job.updated").exists()


def test_job_update_with_no_levels_stores_none(world):
    job_update(job=world.job, by=world.rita, data={"service_levels": {"review_submission": 1}})
    job_update(job=world.job, by=world.rita, data={"service_levels": None})
    assert stored(world.job) == "{}"


def test_job_create_checks_its_levels_too(world):
    data = {
        "title": "Data Engineer", "team": "Data", "recruiter": world.rita,
        "hiring_manager": world.hank, "must_haves": "SQL",
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        job_create(by=world.rita, data={**data, "service_levels": {"review_submission": 31}})
    assert refused.value.message_dict == {"service_levels": [f"{REVIEW}: {TOO_LONG}"]}
    assert not Job.objects.filter(title="Data Engineer").exists()
    job = job_create(by=world.rita, data={**data, "service_levels": {"review_submission": "2.0"}})
    assert stored(job) == '{"review_submission": 2}'


# --- The intake: the cadence step, the services, the template admin -------------------------


def test_the_cadence_step_stores_canonical_json_that_signing_hands_to_the_job(
    world, login, drafted
):
    client = login(world.rita)
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "cadence"})
    post = cadence_post(
        service_level_review_submission="1.50", service_level_submit_scorecard="2.0"
    )
    assert client.post(url, post).status_code == 302
    version = IntakeVersion.objects.get(pk=drafted.pk)
    assert version.service_levels == {"review_submission": 1.5, "submit_scorecard": 2}
    assert type(version.service_levels["submit_scorecard"]) is int
    intake_propose(version=version, by=world.rita)
    intake_sign(version=version, by=world.hank)
    assert stored(world.job) == '{"review_submission": 1.5, "submit_scorecard": 2}'
    assert review_due(world).due_at == at(24, 14)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", TOO_SHORT),
        ("1.25", HALVES),
        ("abc", "Enter a number of business days, or leave empty."),
    ],
)
def test_the_cadence_step_refuses_a_bad_box_next_to_it(world, login, drafted, value, message):
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "cadence"})
    response = login(world.rita).post(url, cadence_post(service_level_review_submission=value))
    assert response.status_code == 400
    assert response.context["form"].errors["service_level_review_submission"] == [message]
    assert IntakeVersion.objects.get(pk=drafted.pk).service_levels == {"review_submission": 1}


@pytest.mark.parametrize(
    ("levels", "messages"),
    [
        ({"review_submission": 0}, [f"{REVIEW}: {TOO_SHORT}"]),
        ({"sign_intake": 4}, [ONLY_JOB_KINDS]),
        ({"made_up": 1}, ["made_up: There is no such kind of ask.", ONLY_JOB_KINDS]),
        ({"review_submission": "1.3", "action_item": 2}, [f"{REVIEW}: {HALVES}", ONLY_JOB_KINDS]),
    ],
)
def test_intake_draft_save_refuses_bad_levels_in_words_and_changes_nothing(
    world, drafted, levels, messages
):
    before = IntakeVersion.objects.values().get(pk=drafted.pk)
    data = {"service_levels": levels, "touchbase_minutes": 5}
    with pytest.raises(ValidationError) as refused:
        intake_draft_save(version=drafted, by=world.rita, step="cadence", data=data)
    errors = refused.value.message_dict
    assert errors["service_levels"] == messages
    assert list(errors) == ["service_levels", "touchbase_minutes"]  # both problems, in order
    assert IntakeVersion.objects.values().get(pk=drafted.pk) == before


def test_intake_draft_save_stores_raw_numbers_as_the_same_json(world, drafted):
    levels = {"review_submission": Decimal("1.5"), "submit_scorecard": "2"}
    intake_draft_save(
        version=drafted, by=world.rita, step="cadence", data={"service_levels": levels}
    )
    version = IntakeVersion.objects.get(pk=drafted.pk)
    assert canonical(version.service_levels) == '{"review_submission": 1.5, "submit_scorecard": 2}'


def test_signing_replaces_the_jobs_own_kinds_and_keeps_the_others(world, drafted):
    Job.objects.filter(pk=world.job.pk).update(
        service_levels={"sign_intake": 4, "update_candidate": 2}
    )
    data = {"service_levels": {"review_submission": 1}}
    version = intake_draft_save(version=drafted, by=world.rita, step="cadence", data=data)
    intake_propose(version=version, by=world.rita)
    intake_sign(version=version, by=world.hank)
    assert stored(world.job) == '{"review_submission": 1, "sign_intake": 4}'


def test_a_blank_draft_starts_from_the_jobs_own_kinds(world):
    Job.objects.filter(pk=world.job.pk).update(
        service_levels={"sign_intake": 4, "submit_scorecard": 1.5}
    )
    version = intake_draft_start(job=Job.objects.get(pk=world.job.pk), by=world.rita)
    assert version.service_levels == {"submit_scorecard": 1.5}


def test_a_draft_from_a_template_takes_its_levels(world):
    template = IntakeTemplate.objects.create(
        name="Backend", job_family="Engineering", service_levels={"review_submission": 1}
    )
    version = intake_draft_start(job=world.job, by=world.rita, source="template", template=template)
    assert version.service_levels == {"review_submission": 1}


def template_form(levels: str) -> IntakeTemplateForm:
    return IntakeTemplateForm(
        data={
            "name": "Backend", "job_family": "Engineering", "must_haves": "", "nice_to_haves": "",
            "deal_breakers": "", "interview_plan": "[]", "service_levels": levels,
            "touchbase_weekday": "", "touchbase_time": "", "touchbase_minutes": "30", "notes": "",
        }
    )  # fmt: skip


@pytest.mark.parametrize(
    ("levels", "messages"),
    [
        (
            '{"sign_intake": 1}',
            [
                "Only these kinds: review_submission, update_candidate, submit_scorecard, "
                "decide_after_debrief."
            ],
        ),
        ("[1]", [
            "Only these kinds: review_submission, update_candidate, submit_scorecard, "
            "decide_after_debrief."
        ]),
        ('{"review_submission": 0, "submit_scorecard": "x"}', [
            f"{REVIEW}: {TOO_SHORT}",
            "Submit a scorecard: Enter a number of business days, e.g. 1.",
        ]),
    ],
)  # fmt: skip
def test_the_template_admin_refuses_bad_levels_in_words(db, levels, messages):
    form = template_form(levels)
    assert not form.is_valid()
    assert form.errors["service_levels"] == messages


def test_the_template_admin_stores_canonical_json(db):
    form = template_form('{"review_submission": 1.50, "submit_scorecard": 2.0}')
    assert form.is_valid(), form.errors
    template = form.save()
    assert canonical(IntakeTemplate.objects.get(pk=template.pk).service_levels) == (
        '{"review_submission": 1.5, "submit_scorecard": 2}'
    )


# --- The organisation's settings: the page and the service -----------------------------------

PAGE = reverse("followups:service-levels")
CHANGED = "closeloop.settings.service_level_changed"


def page_data(**changes: str) -> dict[str, str]:
    data = {}
    for kind, policy in DEFAULTS.items():
        data[f"{kind}-amount"] = f"{policy.due.amount:g}"
        data[f"{kind}-enabled"] = "on"
    return {**data, **changes}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.25", HALVES),
        ("-1", TOO_SHORT),
        ("soon", "Enter a number of business days, e.g. 3."),
        ("", "Enter the due time in business days."),
    ],
)
def test_the_settings_page_refuses_a_bad_amount_next_to_its_kind(world, login, value, message):
    service_levels_update(by=world.ada, levels={"review_submission": LevelSetting(3, True)})
    response = login(world.ada).post(PAGE, page_data(**{"review_submission-amount": value}))
    assert response.status_code == 400
    assert response.context["form"].errors["review_submission-amount"] == [message]
    assert ServiceLevel.objects.get().amount == Decimal("3.0")


def test_the_settings_page_stores_the_amount_and_the_next_ask_is_due_by_it(world, login):
    login(world.ada).post(PAGE, page_data(**{"review_submission-amount": "1.50"}))
    row = ServiceLevel.objects.get(kind="review_submission")
    assert (row.amount, row.enabled) == (Decimal("1.5"), True)
    assert Activity.objects.get(kind=CHANGED).data["after"] == {"amount": 1.5, "enabled": True}
    ask = review_due(world)
    assert ask.due_at == at(24, 14)
    assert (ask.policy["due"], ask.policy["source"]) == ("1.5 business days", "organisation")


def test_service_levels_update_refuses_bad_settings_by_kind_and_changes_nothing(world):
    with pytest.raises(ValidationError) as refused:
        service_levels_update(
            by=world.ada,
            levels={
                "review_submission": LevelSetting(1, True),
                "made_up": LevelSetting(1, True),
                "submit_scorecard": LevelSetting(" 0 ", True),
                "update_candidate": LevelSetting(None, True),
            },
        )
    assert refused.value.message_dict == {
        "made_up": ["There is no such kind of ask."],
        "submit_scorecard": [TOO_SHORT],
        "update_candidate": ["Enter a number of business days, e.g. 3."],
    }
    assert not ServiceLevel.objects.exists()
    assert not Activity.objects.filter(kind=CHANGED).exists()


def test_service_levels_update_stores_raw_numbers_as_canonical_amounts(world):
    changed = service_levels_update(
        by=world.ada,
        levels={
            "review_submission": LevelSetting("3.0", 1),
            "submit_scorecard": LevelSetting(Decimal("1.0"), True),  # its default: no change
        },
    )
    assert changed == ["review_submission"]
    assert ServiceLevel.objects.get().amount == Decimal("3.0")
    after = Activity.objects.get(kind=CHANGED).data["after"]
    assert json.dumps(after) == '{"amount": 3, "enabled": true}'
    level = service_level_in_force(kind="review_submission", job=world.job)
    assert (level.describe(), level.source) == ("3 business days", "organisation")


# --- What is stored, read back ---------------------------------------------------------------


def test_a_bad_stored_value_is_skipped_with_a_warning_wherever_it_is_read(world, login, caplog):
    Job.objects.filter(pk=world.job.pk).update(
        service_levels={"review_submission": "soon", "submit_scorecard": 1}
    )
    job = Job.objects.get(pk=world.job.pk)
    with caplog.at_level(logging.WARNING, logger="closeloop.followups"):
        level = service_level_in_force(kind="review_submission", job=job)
    assert (level.describe(), level.source) == ("2 business days", "default")
    assert f"Ignoring job {job.pk}'s service level review_submission='soon'" in caplog.text
    page = login(world.hank).get(reverse("jobs:job-detail", args=[job.pk]))
    assert page.status_code == 200
    assert "Submit a scorecard: <strong>1 business day</strong>" in page.content.decode()


# --- A kind counted in business hours --------------------------------------------------------


@pytest.fixture
def hours_kind():
    policy = register(
        Policy(
            "call_back", "Call back", "recruiter", Span(4, Unit.BUSINESS_HOURS), (), job_agrees=True
        )
    )
    yield policy
    del DEFAULTS[policy.kind]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1.5", "Use whole business hours."),
        (0, "Give at least 1 business hours: an ask needs time to be answered."),
        (241, "At most 240 business hours: anything longer is no longer a follow-up."),
        ("x", "Enter a number of business hours, e.g. 4."),
    ],
)
def test_a_kind_in_business_hours_has_its_own_limits(world, hours_kind, amount, message):
    with pytest.raises(ValidationError) as refused:
        job_update(job=world.job, by=world.rita, data={"service_levels": {"call_back": amount}})
    assert refused.value.message_dict == {"service_levels": [f"Call back: {message}"]}
    job_update(job=world.job, by=world.rita, data={"service_levels": {"call_back": "8.0"}})
    assert stored(world.job) == '{"call_back": 8}'
    level = service_level_in_force(kind="call_back", job=Job.objects.get(pk=world.job.pk))
    assert (level.describe(), level.source) == ("8 business hours", "job")


# --- Input that is not a set of levels at all (these used to answer 500) ---------------------


@pytest.mark.parametrize("levels", [[1], "review_submission", 3])
def test_job_update_refuses_levels_that_are_not_kinds_and_amounts(world, levels):
    with pytest.raises(ValidationError) as refused:
        job_update(job=world.job, by=world.rita, data={"service_levels": levels})
    assert refused.value.message_dict == {
        "service_levels": ['Give each kind of ask its amount, e.g. {"review_submission": 2}.']
    }
    assert stored(world.job) == "{}"


def test_intake_draft_save_refuses_levels_that_are_not_kinds_and_amounts(world, drafted):
    with pytest.raises(ValidationError) as refused:
        intake_draft_save(
            version=drafted, by=world.rita, step="cadence", data={"service_levels": ["x"]}
        )
    assert refused.value.message_dict == {
        "service_levels": ['Give each kind of ask its amount, e.g. {"review_submission": 2}.']
    }
    assert IntakeVersion.objects.get(pk=drafted.pk).service_levels == {"review_submission": 1}


@pytest.mark.parametrize("setting", [3, "on", (1, True, "extra")])
def test_service_levels_update_refuses_a_setting_that_is_not_an_amount_and_a_switch(world, setting):
    with pytest.raises(ValidationError) as refused:
        service_levels_update(by=world.ada, levels={"review_submission": setting})
    assert refused.value.message_dict == {
        "review_submission": ["Give the due time and whether asks of this kind are opened."]
    }
    assert not ServiceLevel.objects.exists()


# --- A row read back: what was edited by hand is left out, never raised ----------------------


def test_a_draft_leaves_out_a_templates_hand_edited_value_and_foreign_kinds(world, caplog):
    template = IntakeTemplate.objects.create(
        name="Backend",
        job_family="Engineering",
        service_levels={"review_submission": "soon", "submit_scorecard": 1.0, "sign_intake": 3},
    )
    with caplog.at_level(logging.WARNING, logger="closeloop.followups"):
        version = intake_draft_start(
            job=world.job, by=world.rita, source="template", template=template
        )
    assert json.dumps(version.service_levels) == '{"submit_scorecard": 1}'
    assert "service level review_submission='soon'" in caplog.text


def test_the_job_form_drops_a_hand_edited_value_it_has_no_box_for(world, login, caplog):
    Job.objects.filter(pk=world.job.pk).update(
        service_levels={"sign_intake": "soon", "action_item": 2}
    )
    job = Job.objects.get(pk=world.job.pk)
    response = login(world.rita).post(reverse("jobs:job-edit", args=[job.pk]), job_form(job))
    assert response.status_code == 302
    assert stored(job) == '{"action_item": 2}'
    assert f"Ignoring job {job.pk}'s service level sign_intake='soon'" in caplog.text


def test_parsed_levels_are_built_only_by_parsing():
    with pytest.raises(TypeError):
        ServiceLevels({"review_submission": 0.0}, None)
    with pytest.raises(TypeError):
        LevelSettings({"review_submission": (0.0, True)}, None)
