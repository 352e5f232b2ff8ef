"""My queue filtered to one job: its lists, counts and "see all" pages narrow to that job's
candidates and follow-ups; the filter offers only the jobs the queue lists, and a value it
cannot read shows the whole queue."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create
from closeloop.pipeline.services import candidate_add

QUEUE = reverse("pipeline:queue")


@pytest.fixture
def frontend(world):
    """A second job of rita's, with one candidate waiting on her."""
    job = job_create(
        by=world.rita,
        data={
            "title": "Frontend Engineer",
            "status": JobStatus.OPEN,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    candidate_add(
        job=job, by=world.rita, data={"full_name": "Fay Frontend", "email": "fay@c.example"}
    )
    return job


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


def test_the_filter_offers_the_jobs_of_the_queue_and_narrows_every_list(world, login, frontend):
    client = login(world.rita)
    html = client.get(QUEUE).content.decode()
    select = html[
        html.index('<select name="job"') : html.index("</select>", html.index('name="job"'))
    ]
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', select)
    assert [title for _, title in options] == ["Every job", "Backend Engineer", "Frontend Engineer"]
    assert "Data Analyst" not in html  # ada's job lists nothing of rita's
    everything = section(html, "on-you")
    assert "Fay Frontend" in everything and "Sam Sourced" in everything

    only = client.get(QUEUE, {"job": frontend.pk})
    page = only.content.decode()
    listed = section(page, "on-you")
    assert "Fay Frontend" in listed and "Sam Sourced" not in listed
    assert "1 candidate waits on you" in text(only)
    assert f'<option value="{frontend.pk}" selected>Frontend Engineer</option>' in page

    backend = section(client.get(QUEUE, {"job": world.job.pk}).content.decode(), "on-you")
    assert "Sam Sourced" in backend and "Fay Frontend" not in backend


def test_a_job_the_queue_does_not_list_or_a_hostile_value_shows_the_whole_queue(
    world, login, frontend
):
    client = login(world.rita)
    for value in (world.other_job.pk, "²", "99999999999999999999", "-1", "", "\x00"):
        listed = section(client.get(QUEUE, {"job": value}).content.decode(), "on-you")
        assert "Fay Frontend" in listed and "Sam Sourced" in listed, value


def test_see_all_keeps_the_job(world, login, frontend, settings):
    client = login(world.rita)
    page = client.get(reverse("pipeline:queue-list", args=["waiting-on-you"]), {"job": frontend.pk})
    body = text(page)
    assert "Fay Frontend" in body and "Sam Sourced" not in body
    assert "only follow-ups of Frontend Engineer" in body
    assert f'href="{QUEUE}?job={frontend.pk}"' in page.content.decode()


def test_kind_and_overdue_narrow_the_follow_ups_and_the_candidates_they_are_about(
    world, login, frontend, clock
):
    from closeloop.pipeline.services import application_submit

    application_submit(application=world.sourced, by=world.rita, pitch="Strong fit.")
    client = login(world.hank)
    reviews = client.get(QUEUE, {"kind": "review_submission"})
    listed = section(reviews.content.decode(), "on-you")
    assert "Sam Sourced" in listed and "Review Sam Sourced" in listed
    assert "Only “Review a submitted candidate” follow-ups" in text(reviews)
    # Nothing of Hank's is overdue yet: the lists say so, and the counts are zero.
    overdue = client.get(QUEUE, {"overdue": "on"})
    assert "Sam Sourced" not in section(overdue.content.decode(), "on-you")
    clock.move_to(clock_after_due())
    overdue = client.get(QUEUE, {"overdue": "on", "kind": "review_submission"})
    assert "Sam Sourced" in section(overdue.content.decode(), "on-you")
    # A kind that is not one of the choices is no filter.
    assert "Sam Sourced" in section(
        client.get(QUEUE, {"kind": "no_such_kind", "job": "²"}).content.decode(), "on-you"
    )


def clock_after_due():
    import datetime as dt

    return dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)  # past the 2-day review


def test_by_job_counts_each_jobs_share_and_opens_it(world, login, frontend):
    client = login(world.rita)
    queue = client.get(QUEUE).content.decode()
    assert f'href="{reverse("pipeline:queue-by-job")}">By job (2)</a>' in queue
    html = client.get(reverse("pipeline:queue-by-job")).content.decode()
    by_job = " ".join(re.sub(r"<[^>]+>", " ", html[html.index("<h1>") :]).split())
    assert by_job.startswith("My queue by job 2")
    assert "Backend Engineer 2 waiting on you" in by_job
    assert "Frontend Engineer 1 waiting on you" in by_job
    assert f'href="{QUEUE}?job={frontend.pk}"' in html
    # Filtered, the queue links back to everything instead.
    filtered = client.get(QUEUE, {"job": frontend.pk}).content.decode()
    assert "By job (" not in filtered and ">Everything</a>" in filtered
