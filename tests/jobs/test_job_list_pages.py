"""The jobs list a page at a time: 50 jobs a page, counted in SQL, whatever the organisation.

An admin of a large organisation sees a thousand jobs: the list shows them 50 at a time,
keeps the status tab in the pager's links, and answers the first page for any page number
that is not one of its pages (an old bookmark, a hand-edited address), never an error.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create
from closeloop.jobs.views import JOBS_PER_PAGE

URL = reverse("jobs:job-list")


def shown(response) -> list[str]:
    return [job.title for job in response.context["jobs"]]


def add_jobs(world, n: int, *, status: str = JobStatus.OPEN, prefix: str = "Role") -> None:
    for i in range(n):
        job_create(
            by=world.ada,
            data={
                "title": f"{prefix} {i:03d}",
                "status": status,
                "recruiter": world.rita,
                "hiring_manager": world.hank,
            },
        )


def test_a_long_list_shows_50_jobs_and_page_2_the_rest(world, login):
    add_jobs(world, 60)  # with the world's two: 62 jobs, all open
    client = login(world.ada)
    first = client.get(URL)
    assert len(shown(first)) == JOBS_PER_PAGE == 50
    assert first.context["page"].paginator.num_pages == 2
    assert b'rel="next"' in first.content and b"?page=2" in first.content
    second = client.get(URL, {"page": 2})
    assert len(shown(second)) == 12
    assert set(shown(first)).isdisjoint(shown(second))
    assert len(set(shown(first)) | set(shown(second))) == 62
    assert b"Page 2 of 2" in second.content


def test_the_pager_keeps_the_status_tab(world, login):
    add_jobs(world, 55, status=JobStatus.ON_HOLD, prefix="Paused")
    client = login(world.ada)
    first = client.get(URL, {"status": "on_hold"})
    assert b"?status=on_hold&amp;page=2" in first.content
    second = client.get(URL, {"status": "on_hold", "page": 2})
    assert shown(second) == [f"Paused {i:03d}" for i in range(50, 55)]
    # The tab links start again from the first page.
    assert b'href="/jobs/?status=open"' in second.content


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "3", "999999999999999999999", ""])
def test_a_page_number_that_is_no_page_answers_the_first_page(world, login, page):
    add_jobs(world, 60)
    response = login(world.ada).get(URL, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(shown(response)) == 50


def test_one_page_needs_no_pager(world, login):
    response = login(world.rita).get(URL)
    assert b'class="pager"' not in response.content


@pytest.mark.parametrize("persona", ["ada", "rita"])
def test_the_list_costs_as_many_queries_for_3_jobs_as_for_60(world, login, count_queries, persona):
    add_jobs(world, 1)
    client = login(getattr(world, persona))
    few = count_queries(client, URL)
    add_jobs(world, 57, prefix="More")
    assert count_queries(client, URL) == few
    assert count_queries(client, URL + "?page=2") == few


@pytest.mark.parametrize("persona", ["rita", "ivy"])
def test_the_counts_are_the_same_on_every_page(world, login, persona):
    """The numbers come from SQL per job, so paging changes nothing about them."""
    add_jobs(world, 60)
    client = login(getattr(world, persona))
    rows = {}
    for page in (1, 2):
        for job in client.get(URL, {"page": page}).context["jobs"]:
            rows[job.title] = job.visible_active
    assert rows["Backend Engineer"] == (2 if persona == "rita" else 1)


def test_a_page_of_the_list_stays_small(world, login):
    add_jobs(world, 60)
    response = login(world.ada).get(URL)
    assert len(response.content) < 100_000
