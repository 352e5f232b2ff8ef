"""The jobs list (`jobs:job-list`): what each persona sees, tabs, counts and empty states."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create
from closeloop.pipeline.services import application_submit

URL = reverse("jobs:job-list")


def shown(response) -> list[str]:
    return [job.title for job in response.context["jobs"]]


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_rita_sees_her_job_and_can_open_a_new_one(world, login):
    response = login(world.rita).get(URL)
    assert shown(response) == ["Backend Engineer"]
    assert reverse("jobs:job-create").encode() in response.content
    assert b"Data Analyst" not in response.content


def test_hank_sees_his_job_but_cannot_open_jobs(world, login):
    response = login(world.hank).get(URL)
    assert shown(response) == ["Backend Engineer"]
    assert reverse("jobs:job-create").encode() not in response.content


def test_olga_sees_only_her_own_job(world, login):
    response = login(world.olga).get(URL)
    assert shown(response) == ["Data Analyst"]
    assert b"Backend Engineer" not in response.content
    assert b"Carla" not in response.content


def test_ada_sees_every_job(world, login):
    response = login(world.ada).get(URL)
    assert shown(response) == ["Backend Engineer", "Data Analyst"]


def test_ivy_sees_the_job_with_only_her_candidate_counted(world, login):
    response = login(world.ivy).get(URL)
    assert shown(response) == ["Backend Engineer"]
    assert response.context["jobs"][0].visible_active == 1


def test_each_row_shows_the_team_people_and_numbers(world, login):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        response = login(world.rita).get(URL)
    html = response.content.decode()
    assert "Platform" in html and "Hank Manager" in html and "Rita Recruiter" in html
    assert '<span class="badge status-open">Open</span>' in html
    assert '<span class="badge warn">1</span>' in html
    assert '<span class="badge bad">2 stale</span>' in html


def test_the_tabs_count_jobs_per_status_and_filter(world, login):
    job_create(
        by=world.rita,
        data={
            "title": "Paused Role",
            "status": JobStatus.ON_HOLD,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    client = login(world.rita)
    tabs = {label: count for _, label, count in client.get(URL).context["tabs"]}
    assert tabs == {"All": 2, "Draft": 0, "Open": 1, "On hold": 1, "Filled": 0, "Closed": 0}
    response = client.get(URL, {"status": "on_hold"})
    assert shown(response) == ["Paused Role"]
    assert b'aria-current="page">On hold' in response.content


def test_an_empty_tab_says_so_and_links_back_to_all(world, login):
    response = login(world.rita).get(URL, {"status": "filled"})
    assert shown(response) == []
    assert b"No filled jobs" in response.content


def test_an_unknown_status_shows_all_jobs(world, login):
    response = login(world.ada).get(URL, {"status": "<script>"})
    assert len(shown(response)) == 2
    assert b"<script>" not in response.content


def test_a_recruiter_without_jobs_is_told_to_open_one(person, login):
    rose = person("rose@example.com", "Rose Recruiter", is_recruiter=True)
    response = login(rose).get(URL)
    assert b"No jobs yet" in response.content
    assert reverse("jobs:job-create").encode() in response.content


def test_someone_on_no_team_is_told_how_jobs_appear(person, login):
    ian = person("ian@example.com", "Ian Interviewer", is_interviewer=True)
    response = login(ian).get(URL)
    assert b"You are not on any hiring team yet" in response.content
    assert reverse("jobs:job-create").encode() not in response.content


def test_the_list_runs_as_many_queries_for_one_job_as_for_many(world, login, count_queries):
    client = login(world.ada)
    few = count_queries(client, URL)
    for i in range(12):
        job_create(
            by=world.ada,
            data={"title": f"Role {i}", "recruiter": world.rita, "hiring_manager": world.hank},
        )
    assert count_queries(client, URL) == few


def test_the_list_answers_only_get(world, login):
    assert login(world.rita).post(URL).status_code == 405


def test_a_location_that_says_remote_is_not_followed_by_or_remote(world, login):
    """'Web · Remote (Europe) or remote' on the list and the job page: the location already
    says it. A place with remote work possible still reads 'Berlin or remote'."""
    type(world.job).objects.filter(pk=world.job.pk).update(
        team="Web", location="Remote (Europe)", remote=True
    )
    client = login(world.rita)
    for url in (URL, reverse("jobs:job-detail", args=[world.job.pk])):
        html = client.get(url).content.decode()
        assert "Remote (Europe)" in html, url
        assert "Remote (Europe) or remote" not in html, url
    type(world.job).objects.filter(pk=world.job.pk).update(location="Berlin")
    for url in (URL, reverse("jobs:job-detail", args=[world.job.pk])):
        assert "Berlin or remote" in client.get(url).content.decode(), url
