"""A filled or closed job's list offered bulk Move and Reject, and a move of its closed
candidates said "This candidate's application is closed; reopen it to move it." though the
ended job reopens none. The bar no longer offers them there, and every refusal (a page from
before the job ended, the services, a single move) says the job has ended."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update
from closeloop.pipeline.bulk import (
    applications_bulk_move,
    applications_bulk_reject,
    bulk_applications_get,
)
from closeloop.pipeline.models import Application, ApplicationStatus
from closeloop.pipeline.services import application_move

pytestmark = pytest.mark.usefixtures("clock")

ENDED = "Backend Engineer is filled; set it Open again to move or reject its candidates."


@pytest.fixture
def filled(world):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    return world.job


def _said(response) -> str:
    found = re.findall(
        r'<(?:li|p|div)[^>]*class="[^"]*message[^"]*"[^>]*>(.*?)</', response.text, re.S
    )
    return " ".join(" ".join(found).split())


def test_the_closed_list_offers_no_move_or_reject(world, filled, login):
    url = reverse("jobs:job-detail", args=[filled.pk]) + "?view=list&status=closed"
    page = login(world.rita).get(url).content.decode()
    bar = page.split('id="bulk-form"')[1].split("</form>")[0]
    assert 'value="move"' not in bar and 'value="reject"' not in bar
    assert 'value="tag"' in bar  # labelling a closed candidate is still a record


@pytest.mark.parametrize("action", ["move", "reject"])
def test_a_page_from_before_the_end_is_told_the_job_ended(world, filled, login, action):
    data = {
        "applications": [str(world.sourced.pk)],
        "action": action,
        "to_stage": str(filled.stages.get(name="Debrief").pk),
        "reason": "skills",
    }
    response = login(world.rita).post(
        reverse("pipeline:job-bulk", args=[filled.pk]), data, follow=True
    )
    assert _said(response) == f"Nothing was changed. {ENDED}"
    assert Application.objects.get(pk=world.sourced.pk).status == ApplicationStatus.REJECTED


def test_the_services_refuse_saying_the_job_ended(world, filled):
    chosen = bulk_applications_get(user=world.rita, job=filled, ids=[world.sourced.pk])
    debrief = filled.stages.get(name="Debrief")
    with pytest.raises(ValidationError) as moved:
        applications_bulk_move(applications=chosen, by=world.rita, to_stage=debrief)
    assert moved.value.messages == [
        "Backend Engineer is filled; set it Open again to move its candidates."
    ]
    with pytest.raises(ValidationError) as rejected:
        applications_bulk_reject(applications=chosen, by=world.rita, reason="skills")
    assert rejected.value.messages == [
        "Backend Engineer is filled; set it Open again to reject its candidates."
    ]
    with pytest.raises(ValidationError) as single:
        application_move(application=world.sourced, by=world.rita, to_stage=debrief)
    assert "reopen it" not in single.value.messages[0]
    assert single.value.messages == [
        "Backend Engineer is filled; set it Open again to move its candidates."
    ]
