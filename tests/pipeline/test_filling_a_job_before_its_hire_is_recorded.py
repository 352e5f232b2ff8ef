"""Setting a job Filled rejects every active candidate, the one holding the offer too: a
search filled before its hire was moved to Hired lost its hire ("at Offer, now Rejected ·
The job closed"). The job form's box says so first, naming who is at Offer or further, and
suggests recording the hire or choosing Closed; the tick still saves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from closeloop.jobs.models import JobStatus, StageKind
from closeloop.pipeline.models import Application, ApplicationStatus
from page_forms import job_edit_post

pytestmark = pytest.mark.usefixtures("clock")

WARNED = (
    "If you set it Filled: 0 of 1 hired so far, and Carla Candidate (at Offer) would be "
    "rejected too. Move the hire to Hired first, or choose Closed if the search ends without "
    "one."
)


def _at(application, kind) -> None:
    stage = application.job.stages.get(kind=kind)
    status = ApplicationStatus.HIRED if kind == StageKind.HIRED else ApplicationStatus.ACTIVE
    Application.objects.filter(pk=application.pk).update(stage=stage, status=status)


def _form(client, job) -> str:
    return client.get(reverse("jobs:job-edit", args=[job.pk])).content.decode()


def test_the_form_names_the_candidate_at_offer_a_fill_would_reject(world, login):
    _at(world.interviewed, StageKind.OFFER)
    client = login(world.rita)

    page = _form(client, world.job)

    assert WARNED in page.replace("&#x27;", "'")
    assert 'name="ending_confirmed"' in page
    # Saving stays possible with the tick: it is the recruiter's call.
    saved = job_edit_post(client, world.job, status=JobStatus.FILLED, ending_confirmed="on")
    assert saved.status_code == 302
    assert Application.objects.get(pk=world.interviewed.pk).status == ApplicationStatus.REJECTED


def test_no_warning_once_the_hires_are_recorded_or_nobody_is_that_far(world, login):
    client = login(world.rita)
    assert "If you set it Filled" not in _form(client, world.job)

    _at(world.interviewed, StageKind.HIRED)
    page = _form(client, world.job)
    assert 'name="ending_confirmed"' in page  # Sam is still active
    assert "If you set it Filled" not in page
