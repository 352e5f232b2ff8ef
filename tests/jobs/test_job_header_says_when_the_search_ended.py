"""The job page says when a filled or closed search ended ("filled on …" in its header), not
"open since …" as if it were still running, and its waiting panel that the search is over,
not that there are no candidates "yet"; reopened, it says when it was reopened, not "open
since" its first opening, which stays the job's `opened_at` for the figures that read it; on
hold, that it is on hold and since when (when known), not "open since"."""

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


def test_a_reopened_job_says_when_it_was_reopened(clock, world, login):
    first_opened = world.job.opened_at
    clock.move_to(dt.datetime(2026, 12, 3, 15, 30, tzinfo=dt.UTC))
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    clock.move_to(dt.datetime(2026, 12, 7, 9, 15, tzinfo=dt.UTC))
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})

    text = header(login(world.rita), world.job)
    assert "open since" not in text and "filled on" not in text
    assert 'reopened on <time datetime="2026-12-07T09:15:00+00:00">Mon 07 Dec 09:15</time>' in text
    world.job.refresh_from_db()
    assert world.job.reopened_at == dt.datetime(2026, 12, 7, 9, 15, tzinfo=dt.UTC)
    assert world.job.opened_at == first_opened  # the search began then


def test_a_job_put_on_hold_and_back_was_never_reopened(world, login, clock):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.ON_HOLD})
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    text = header(login(world.rita), world.job)
    assert "open since" in text and "reopened" not in text


def test_a_job_on_hold_says_since_when_it_is_on_hold(world, login, clock):
    clock.move_to(dt.datetime(2026, 12, 3, 15, 30, tzinfo=dt.UTC))
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.ON_HOLD})
    # An edit while on hold keeps the day it was put on hold.
    clock.move_to(dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC))
    job_update(job=world.job, by=world.rita, data={"team": "Core"})

    text = header(login(world.rita), world.job)
    assert "open since" not in text
    held = '<time datetime="2026-12-03T15:30:00+00:00">Thu 03 Dec 15:30</time>'
    assert f"on hold since {held}" in text
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    world.job.refresh_from_db()
    assert world.job.held_at is None


def test_a_job_on_hold_since_nobody_knows_when_says_only_on_hold(world, login, clock):
    """Set On hold in the admin (no service stamped it): no day is made up."""
    world.job.status = JobStatus.ON_HOLD
    world.job.save(update_fields=["status"])
    text = header(login(world.rita), world.job)
    assert "· on hold" in text and "since" not in text


def test_a_job_closed_before_it_ever_opened_opens_for_the_first_time(world, login, clock):
    job = world.job
    job.status, job.opened_at = JobStatus.DRAFT, None
    job.save(update_fields=["status", "opened_at"])
    job_update(job=job, by=world.rita, data={"status": JobStatus.CLOSED})
    job_update(job=job, by=world.rita, data={"status": JobStatus.OPEN})
    job.refresh_from_db()
    assert job.opened_at is not None and job.reopened_at is None
    assert "open since" in header(login(world.rita), job)


def test_an_ended_jobs_waiting_panel_says_the_search_is_over(world, login, clock):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    html = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    panel = html.split('id="waiting-heading"')[1].split("</section>")[0]
    assert "No active candidates: the search is over (the job is filled); " in panel
    assert ">2 closed</a>." in panel
    assert "yet" not in panel


@pytest.mark.parametrize(
    "path",
    [
        [JobStatus.DRAFT],  # open → back to draft
        [JobStatus.ON_HOLD, JobStatus.DRAFT],  # open → on hold → draft
        [JobStatus.FILLED, JobStatus.OPEN, JobStatus.DRAFT],  # reopened, then back to draft
    ],
)
def test_a_job_set_back_to_draft_says_neither_open_nor_on_hold(world, login, clock, path):
    """It ran once (its `opened_at` stays, when the search began), but a draft is not open."""
    first_opened = world.job.opened_at
    for hours, status in enumerate(path, start=1):
        clock.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=hours))
        job_update(job=world.job, by=world.rita, data={"status": status})
    world.job.refresh_from_db()
    assert world.job.status == JobStatus.DRAFT and world.job.held_at is None
    assert world.job.opened_at == first_opened
    text = header(login(world.rita), world.job)
    for words in ("open since", "on hold", "reopened", "since", "filled on"):
        assert words not in text
    # Opened again, it is open again.
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    text = header(login(world.rita), world.job)
    assert "open since" in text or "reopened on" in text
