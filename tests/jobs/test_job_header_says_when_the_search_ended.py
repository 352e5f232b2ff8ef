"""The job page says when a filled or closed search ended ("filled on …" in its header), not
"open since …" as if it were still running, and its waiting panel that the search is over,
not that there are no candidates "yet"; reopened, it is open again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.jobs.models import JobOutcome, JobStatus
from closeloop.jobs.services import job_update


def header(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html.split('class="muted job-meta"')[1].split("</p>")[0]


def test_an_open_job_says_since_when_it_is_open(world, login, clock):
    assert "open since <time" in header(login(world.rita), world.job)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"status": JobStatus.FILLED}, "filled on"),
        ({"status": JobStatus.CLOSED, "outcome": JobOutcome.FAILED}, "closed on"),
    ],
)
def test_an_ended_job_says_the_day_it_ended(world, login, clock, data, said):
    clock.move_to(dt.datetime(2026, 12, 3, 15, 30, tzinfo=dt.UTC))
    job_update(job=world.job, by=world.rita, data=data)

    text = header(login(world.rita), world.job)
    assert "open since" not in text
    # rita reads times in her own zone (UTC here).
    assert f'{said} <time datetime="2026-12-03T15:30:00+00:00">Thu 03 Dec 15:30</time>' in text


def test_a_reopened_job_is_open_again(world, login, clock):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    text = header(login(world.rita), world.job)
    assert "open since" in text and "filled on" not in text


def test_an_ended_jobs_waiting_panel_says_the_search_is_over(world, login, clock):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    html = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    panel = html.split('id="waiting-heading"')[1].split("</section>")[0]
    assert "No active candidates: the search is over (the job is filled)." in panel
    assert "yet" not in panel
