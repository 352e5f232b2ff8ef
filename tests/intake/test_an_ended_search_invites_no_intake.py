"""A filled or closed job invites no intake: its page says none was agreed instead of "No
intake yet — start one", its agreement page offers no start, and the service refuses one
(there is nothing left to agree on). Reopened, the invitation is back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.intake.models import IntakeVersion
from closeloop.intake.services import intake_draft_start
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update


def intake_panel(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html.split('id="intake-heading"')[1].split("</section>")[0]


def test_a_running_search_invites_an_intake(world, login):
    assert "No intake yet — <a" in intake_panel(login(world.rita), world.job)


def test_a_filled_search_says_none_was_agreed_and_invites_none(world, login):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    client = login(world.rita)
    panel = intake_panel(client, world.job)
    assert "No intake was agreed for this search." in panel
    assert "start one" not in panel and "None yet" not in panel
    overview = client.get(reverse("intake:overview", args=[world.job.pk])).content.decode()
    assert reverse("intake:start", args=[world.job.pk]) not in overview
    assert "set it Open again to start an intake" in overview


def test_a_closed_search_without_an_intake_links_to_no_agreement(world, login):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.CLOSED})
    client = login(world.rita)
    panel = intake_panel(client, world.job)
    assert "Open the agreement" not in panel
    assert reverse("intake:overview", args=[world.job.pk]) not in panel
    overview = client.get(reverse("intake:overview", args=[world.job.pk])).content.decode()
    assert "Start the intake" not in overview


def test_a_closed_search_with_an_intake_still_links_to_it(world, login):
    intake_draft_start(job=world.job, by=world.rita)
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.CLOSED})
    panel = intake_panel(login(world.rita), world.job)
    assert "Open the agreement" in panel


def test_the_service_refuses_to_start_an_intake_for_an_ended_search(world):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    with pytest.raises(ValidationError, match="set it Open again to start an intake"):
        intake_draft_start(job=world.job, by=world.rita)
    assert not IntakeVersion.objects.filter(job=world.job).exists()


def test_a_start_posted_from_a_page_read_before_the_close_starts_nothing(world, login):
    client = login(world.rita)
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    response = client.post(reverse("intake:start", args=[world.job.pk]), {"source": "blank"})
    assert response.status_code == 302
    assert not IntakeVersion.objects.filter(job=world.job).exists()


def test_reopened_the_invitation_is_back(world, login):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    assert "No intake yet — <a" in intake_panel(login(world.rita), world.job)
    assert intake_draft_start(job=world.job, by=world.rita).job_id == world.job.pk


def test_history_written_from_before_the_close_is_not_refused(world):
    """A script writing history (the demo) starts a draft at a moment the search still ran."""
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    world.job.refresh_from_db()
    before = world.job.closed_at - dt.timedelta(days=3)
    version = intake_draft_start(job=world.job, by=world.rita, at=before)
    assert version.created_at == before
