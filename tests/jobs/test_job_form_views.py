"""Opening and editing jobs (`jobs:job-create`, `jobs:job-edit`)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.jobs.models import Job, JobStatus

CREATE = reverse("jobs:job-create")


def edit_url(job) -> str:
    return reverse("jobs:job-edit", kwargs={"pk": job.pk})


def form_data(world, **extra) -> dict:
    data = {
        "title": "Site Reliability Engineer",
        "team": "Platform",
        "location": "Berlin",
        "remote": "on",
        "headcount": "2",
        "status": JobStatus.OPEN,
        "must_haves": "Linux\nKubernetes",
        "recruiter": world.rita.pk,
        "hiring_manager": world.hank.pk,
        "coordinator": "",
        "escalation_contact": world.ada.pk,
        "interviewers": [world.ivy.pk],
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def job_data(world, job, **extra) -> dict:
    """The edit form as the page would post it for `job`, with some fields changed."""
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
    data.update(extra)
    return data


# --- create --------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_rita_gets_a_labelled_form_with_herself_as_recruiter(world, login):
    response = login(world.rita).get(CREATE)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["recruiter"].value() == world.rita.pk
    html = response.content.decode()
    for name in ["title", "team", "location", "headcount", "status", "must_haves", "recruiter"]:
        assert f'<label for="id_{name}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_people_pickers_offer_only_the_right_roles(world, login):
    form = login(world.rita).get(CREATE).context["form"]
    assert set(form.fields["recruiter"].queryset) == {world.rita, world.ada}
    assert set(form.fields["hiring_manager"].queryset) == {world.hank, world.olga}
    assert set(form.fields["interviewers"].queryset) == {world.ivy, world.olga}


@pytest.mark.parametrize("persona", ["hank", "ivy", "olga"])
def test_people_who_do_not_recruit_cannot_open_jobs(world, login, persona):
    client = login(getattr(world, persona))
    response = client.get(CREATE)
    assert response.status_code == 403
    assert b"Only recruiters and admins open jobs." in response.content
    assert client.post(CREATE, form_data(world)).status_code == 403
    assert not Job.objects.filter(title="Site Reliability Engineer").exists()


def test_rita_opens_a_job_with_its_team_and_default_stages(world, login):
    response = login(world.rita).post(CREATE, form_data(world), follow=True)
    job = Job.objects.get(title="Site Reliability Engineer")
    assert response.redirect_chain[-1][0] == reverse("jobs:job-detail", kwargs={"pk": job.pk})
    assert (job.team, job.remote, job.headcount, job.status) == ("Platform", True, 2, "open")
    assert (job.recruiter, job.hiring_manager, job.escalation_contact) == (
        world.rita,
        world.hank,
        world.ada,
    )
    assert job.coordinator is None and job.opened_at is not None
    assert list(job.interviewers.all()) == [world.ivy]
    assert job.must_have_list == ["Linux", "Kubernetes"]
    assert job.stages.count() == 7
    assert b"is set up with the default stages" in response.content
    assert Activity.objects.filter(kind="closeloop.job.created", job=job).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("headcount", "0", "greater than or equal to 1"),
        ("headcount", "lots", "Enter a whole number."),
        ("status", "archived", "Select a valid choice."),
        ("hiring_manager", "ivy", "Select a valid choice."),
        ("recruiter", "hank", "Select a valid choice."),
        ("interviewers", "hank", "Select a valid choice."),
        ("hiring_manager", "999999", "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_and_creates_nothing(world, login, field, value, message):
    if value in ("ivy", "hank"):
        value = getattr(world, value).pk
    response = login(world.rita).post(CREATE, form_data(world, **{field: value}))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert b"Nothing was saved yet" in response.content
    assert not Job.objects.filter(title="Site Reliability Engineer").exists()


def test_an_admin_may_open_a_job_for_a_recruiter(world, login):
    login(world.ada).post(CREATE, form_data(world))
    assert Job.objects.get(title="Site Reliability Engineer").recruiter == world.rita


# --- edit ----------------------------------------------------------------------------------


def test_rita_gets_the_edit_form_filled_in(world, login):
    response = login(world.rita).get(edit_url(world.job))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "Backend Engineer"
    assert form["hiring_manager"].value() == world.hank.pk


@pytest.mark.parametrize("persona", ["hank", "ivy"])
def test_team_members_who_do_not_run_the_job_get_a_clear_403(world, login, persona):
    client = login(getattr(world, persona))
    response = client.get(edit_url(world.job))
    assert response.status_code == 403
    assert b"Only the job&#x27;s recruiter, its coordinator or an admin" in response.content
    response = client.post(edit_url(world.job), job_data(world, world.job, title="Hijacked"))
    assert response.status_code == 403
    world.job.refresh_from_db()
    assert world.job.title == "Backend Engineer"


def test_olga_and_guessed_ids_get_a_404(world, login):
    client = login(world.olga)
    response = client.get(edit_url(world.job))
    assert response.status_code == 404
    assert b"Backend Engineer" not in response.content
    assert client.post(edit_url(world.job), {"title": "x"}).status_code == 404
    missing = reverse("jobs:job-edit", kwargs={"pk": 987654})
    assert login(world.ada).get(missing).status_code == 404


def test_rita_edits_the_job_and_the_change_is_logged(world, login):
    data = job_data(world, world.job, title="Senior Backend Engineer", status=JobStatus.ON_HOLD)
    data["interviewers"] = [world.ivy.pk, world.olga.pk]
    response = login(world.rita).post(edit_url(world.job), data)
    assert response.status_code == 302
    world.job.refresh_from_db()
    assert (world.job.title, world.job.status) == ("Senior Backend Engineer", "on_hold")
    assert set(world.job.interviewers.all()) == {world.ivy, world.olga}
    activity = Activity.objects.get(kind="closeloop.job.updated")
    assert activity.data["fields"] == ["title", "status", "interviewers"]


def test_a_coordinator_may_edit_the_job(world, login, person):
    cora = person("cora@example.com", "Cora Coordinator")
    world.job.coordinator = cora
    world.job.save()
    response = login(cora).post(edit_url(world.job), job_data(world, world.job, team="Core"))
    assert response.status_code == 302
    world.job.refresh_from_db()
    assert world.job.team == "Core"


def test_a_bad_edit_changes_nothing(world, login):
    data = job_data(world, world.job, title="", hiring_manager=world.ivy.pk)
    response = login(world.rita).post(edit_url(world.job), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors and "hiring_manager" in errors
    world.job.refresh_from_db()
    assert (world.job.title, world.job.hiring_manager) == ("Backend Engineer", world.hank)
    assert not Activity.objects.filter(kind="closeloop.job.updated").exists()


def test_a_service_refusal_shows_next_to_its_field_and_changes_nothing(world, login):
    # Hank lost the HM role: the form still offers him (he is the current HM), the service
    # refuses to keep him, and the page says why.
    world.hank.is_hiring_manager = False
    world.hank.save()
    data = job_data(world, world.job, title="Renamed")
    response = login(world.rita).post(edit_url(world.job), data)
    assert response.status_code == 400
    assert "is not a hiring manager" in str(response.context["form"].errors["hiring_manager"])
    assert b"<h1>Edit Backend Engineer</h1>" in response.content
    world.job.refresh_from_db()
    assert world.job.title == "Backend Engineer"


def test_a_departed_hiring_manager_stays_selectable_on_the_job(world, login):
    world.hank.is_active = False
    world.hank.save()
    form = login(world.rita).get(edit_url(world.job)).context["form"]
    assert world.hank in form.fields["hiring_manager"].queryset
    fresh = login(world.rita).get(CREATE).context["form"]
    assert world.hank not in fresh.fields["hiring_manager"].queryset


def test_opening_the_forms_changes_nothing(world, login):
    before = (Job.objects.count(), Activity.objects.count())
    client = login(world.rita)
    client.get(CREATE)
    client.get(edit_url(world.job))
    assert (Job.objects.count(), Activity.objects.count()) == before


def test_the_forms_refuse_other_methods(world, login):
    client = login(world.rita)
    assert client.put(CREATE).status_code == 405
    assert client.delete(edit_url(world.job)).status_code == 405
