"""A job reopened after its close has nobody in play but its closed candidates: the pipeline
said "No candidates in the pipeline yet. Add the first candidate." and "No active candidates
yet", as if the search never began. It now says how many were closed and links their list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update

pytestmark = pytest.mark.usefixtures("clock")


def _reopened(world) -> None:
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})


def _page(client, job, query="") -> str:
    url = reverse("jobs:job-detail", args=[job.pk]) + query
    return client.get(url).content.decode()


def test_the_board_and_the_waiting_panel_count_the_closed(world, login):
    _reopened(world)
    html = _page(login(world.rita), world.job)
    closed = f"/jobs/{world.job.pk}/?view=list&amp;status=closed"

    board = html.split('id="pipeline"')[1]
    assert "No candidates in the pipeline yet" not in board
    assert "No active candidates: 2 were closed (rejected or withdrawn)." in board
    assert f'<a href="{closed}" hx-boost="true">Show the 2 closed</a>' in board
    assert "Add a candidate" in board
    waiting = html.split('id="waiting-heading"')[1].split("</section>")[0]
    assert "yet" not in waiting
    assert f'No active candidates: <a href="{closed}">2 closed</a>.' in waiting


def test_the_list_view_counts_the_closed(world, login):
    _reopened(world)
    listed = _page(login(world.rita), world.job, "?view=list").split('id="pipeline"')[1]
    assert "No candidates in the pipeline yet" not in listed
    assert "No active candidates: 2 were closed (rejected or withdrawn)." in listed


def test_a_job_that_never_had_candidates_still_invites_the_first(world, login):
    world.other_job.applications.all().delete()
    page = _page(login(world.ada), world.other_job)
    assert "No candidates in the pipeline yet." in page
    assert "No active candidates yet." in page
