"""A job's own service levels: set on the job's edit page by its recruiting side, shown on
the job page, and used for the job's next asks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask
from closeloop.followups.policies import LevelSetting
from closeloop.followups.services import service_levels_update
from closeloop.jobs.services import job_update

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
KINDS = ("review_submission", "submit_scorecard", "decide_after_debrief", "update_candidate")


def edit_url(job) -> str:
    return reverse("jobs:job-edit", kwargs={"pk": job.pk})


def detail_url(job) -> str:
    return reverse("jobs:job-detail", kwargs={"pk": job.pk})


def edit_data(job, **levels: str) -> dict:
    """The edit form as the page posts it, with the service-level boxes given (others empty)."""
    data = {
        "title": job.title,
        "team": job.team,
        "location": job.location,
        "headcount": str(job.headcount),
        "status": job.status,
        "must_haves": job.must_haves,
        "recruiter": job.recruiter_id,
        "hiring_manager": job.hiring_manager_id,
        "coordinator": job.coordinator_id or "",
        "escalation_contact": job.escalation_contact_id or "",
        "interviewers": [p.pk for p in job.interviewers.all()],
    }
    for kind in KINDS:
        data[f"service_level_{kind}"] = levels.get(kind, "")
    return data


def test_the_edit_form_offers_one_box_per_kind_with_the_organisations_time(world, login):
    service_levels_update(by=world.ada, levels={"review_submission": LevelSetting(3, True)})
    response = login(world.rita).get(edit_url(world.job))
    html = response.content.decode()
    for kind in KINDS:
        assert f'<label for="id_service_level_{kind}"' in html
    assert "Empty: the organisation&#x27;s 3 business days." in html
    assert 'placeholder="3 business days"' in html


def test_the_form_shows_what_the_job_already_agreed(world, login):
    world.job.service_levels = {"review_submission": 1.5}
    world.job.save()
    form = login(world.rita).get(edit_url(world.job)).context["form"]
    assert form["service_level_review_submission"].value() == 1.5
    assert form["service_level_submit_scorecard"].value() is None


def test_rita_agrees_a_faster_review_and_it_is_stored_and_logged(world, login):
    data = edit_data(world.job, review_submission="1", decide_after_debrief="2")
    response = login(world.rita).post(edit_url(world.job), data)
    assert response.status_code == 302
    world.job.refresh_from_db()
    assert world.job.service_levels == {"review_submission": 1, "decide_after_debrief": 2}
    activity = Activity.objects.filter(kind="closeloop.job.updated").latest("pk")
    assert activity.data["fields"] == ["service_levels"]


def test_an_empty_box_returns_to_the_organisations_time_and_keeps_other_agreements(world, login):
    # sign_intake is not on the form: the intake agreement sets it, the form must keep it.
    world.job.service_levels = {"review_submission": 1, "sign_intake": 4}
    world.job.save()
    login(world.rita).post(edit_url(world.job), edit_data(world.job))
    world.job.refresh_from_db()
    assert world.job.service_levels == {"sign_intake": 4}


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("review_submission", "0", "Give at least 0.5 business days"),
        ("review_submission", "31", "At most 30 business days"),
        ("update_candidate", "1.25", "Use whole or half business days"),
        ("decide_after_debrief", "72", "At most 30 business days"),
        ("submit_scorecard", "soon", "Enter a number of business days, or leave empty."),
    ],
)
def test_a_bad_time_is_refused_next_to_its_box_and_nothing_changes(
    world, login, kind, value, message
):
    data = edit_data(world.job, **{kind: value})
    data["title"] = "Renamed while the time is wrong"
    response = login(world.rita).post(edit_url(world.job), data)
    assert response.status_code == 400
    assert message in response.context["form"].errors[f"service_level_{kind}"][0]
    world.job.refresh_from_db()
    assert world.job.service_levels == {} and world.job.title == "Backend Engineer"


def test_the_service_refuses_bad_times_from_any_writer(world):
    with pytest.raises(ValidationError) as refused:
        job_update(job=world.job, by=world.rita, data={"service_levels": {"review_submission": 0}})
    assert "Review a submitted candidate: Give at least" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        job_update(job=world.job, by=world.rita, data={"service_levels": {"made_up": 1}})
    world.job.refresh_from_db()
    assert world.job.service_levels == {}


@pytest.mark.parametrize("persona", ["hank", "ivy"])
def test_the_hiring_side_cannot_change_the_jobs_times(world, login, persona):
    client = login(getattr(world, persona))
    response = client.post(edit_url(world.job), edit_data(world.job, review_submission="5"))
    assert response.status_code == 403
    world.job.refresh_from_db()
    assert world.job.service_levels == {}


def test_an_outsider_gets_a_404_and_changes_nothing(world, login):
    response = login(world.olga).post(
        edit_url(world.job), edit_data(world.job, review_submission="5")
    )
    assert response.status_code == 404
    world.job.refresh_from_db()
    assert world.job.service_levels == {}


def test_the_jobs_review_time_sets_the_due_time_of_the_next_submission(world, login):
    from closeloop.pipeline.services import application_submit

    # The clock stops after the world is built, so the module shares one world built now
    # (tests/conftest.py builds it per test when only some tests ask for the `clock`).
    with time_machine.travel(MONDAY_10, tick=False):
        login(world.ada).post(edit_url(world.job), edit_data(world.job, review_submission="1"))
        application_submit(application=world.interviewed, by=world.rita, pitch="Good.")
    ask = Ask.objects.get(kind="review_submission")
    assert ask.due_at == dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def test_the_job_page_shows_each_service_level_in_force_and_where_it_comes_from(world, login):
    service_levels_update(
        by=world.ada,
        levels={
            "submit_scorecard": LevelSetting(2, True),
            "update_candidate": LevelSetting(3, False),
        },
    )
    world.job.service_levels = {"review_submission": 1}
    world.job.save()
    html = login(world.hank).get(detail_url(world.job)).content.decode()
    assert (
        "Review a submitted candidate: <strong>1 business day</strong> "
        '<span class="muted">· set for this job</span>'
    ) in html  # set on the job form: no intake agreed it
    assert "Submit a scorecard: <strong>2 business days</strong>" in html
    assert "· organisation's time" in html
    assert "Decide after the debrief: <strong>3 business days</strong>" in html
    assert 'Give a waiting candidate news: <span class="muted">off for the organisation' in html
    assert "#service-levels" not in html  # hank does not run the job: no link to change them


def test_the_recruiter_gets_a_link_to_change_them(world, login):
    html = login(world.rita).get(detail_url(world.job)).content.decode()
    assert f'href="{edit_url(world.job)}#service-levels"' in html
