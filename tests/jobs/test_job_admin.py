"""The Django admin for jobs and stages: it loads, lists, searches and shows the stage plan."""

from __future__ import annotations

from django.urls import reverse


def test_the_job_list_in_the_admin_searches_and_filters(world, login):
    client = login(world.ada)
    url = reverse("admin:jobs_job_changelist")
    response = client.get(url, {"q": "hank"})
    assert response.status_code == 200
    assert b"Backend Engineer" in response.content and b"Data Analyst" not in response.content
    assert client.get(url, {"status__exact": "open"}).status_code == 200


def test_a_job_in_the_admin_shows_its_stages_inline(world, login):
    response = login(world.ada).get(reverse("admin:jobs_job_change", args=[world.job.pk]))
    assert response.status_code == 200
    assert response.content.count(b'name="stages-') > 7
    assert b"Scheduling" in response.content


def test_the_stage_list_in_the_admin_searches_by_job(world, login):
    client = login(world.ada)
    response = client.get(reverse("admin:jobs_stage_changelist"), {"q": "Data Analyst"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 7
    add = client.get(reverse("admin:jobs_stage_add"))
    assert add.status_code == 200


def test_people_without_staff_rights_are_kept_out_of_the_admin(world, login):
    response = login(world.rita).get(reverse("admin:jobs_job_changelist"))
    assert response.status_code == 302
