"""The hiring team's figures on the job page: this job's asks only, for the team and admins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights.conftest import HOUR, NOW, ask_row

DAY = dt.timedelta(days=1)
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def answered(world, make_asks):
    """hank answered one review on the job in 6 business hours, and one on no job."""
    make_asks(
        ask_row(world.hank, job=world.job, closed_at=NOW - DAY, response_seconds=6 * HOUR),
        ask_row(world.hank, closed_at=NOW - DAY, response_seconds=40 * HOUR),
    )


def _page(client, job):
    return client.get(reverse("jobs:job-detail", args=[job.pk]))


@pytest.mark.parametrize("persona", ["rita", "hank", "ada"])
def test_the_team_and_admins_see_the_teams_figures_on_this_job(world, login, answered, persona):
    response = _page(login(getattr(world, persona)), world.job)

    page = response.content.decode()
    assert "How fast the team answers" in page
    assert "6 business hours" in page and "5 business days" not in page
    assert reverse("insights:person-record", args=[world.hank.pk]) in page


def test_an_interviewer_sees_the_job_without_the_teams_figures(world, login, answered):
    response = _page(login(world.ivy), world.job)

    assert response.status_code == 200
    assert "How fast the team answers" not in response.content.decode()


def _queries(client, job) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert _page(client, job).status_code == 200
    return len(captured)


def test_the_panel_runs_as_many_queries_for_many_asks_as_for_few(world, login, make_asks):
    client = login(world.rita)
    make_asks(ask_row(world.hank, job=world.job, closed_at=NOW - DAY, response_seconds=HOUR))
    few = _queries(client, world.job)
    make_asks(*[
        ask_row(person, job=world.job, closed_at=NOW - n * DAY, response_seconds=n * HOUR)
        for person in (world.hank, world.rita)
        for n in range(1, 30)
    ])  # fmt: skip

    assert _queries(client, world.job) == few


def test_a_deactivated_teammate_is_named_without_a_link_to_a_page_closed_to_the_reader(
    world, login, answered
):
    """Hank left: his recruiter, who may no longer open his record, reads his name marked
    '(deactivated)' and no link; an admin, who still may, keeps the link."""
    type(world.hank).objects.filter(pk=world.hank.pk).update(is_active=False)
    record = reverse("insights:person-record", args=[world.hank.pk])

    page = _page(login(world.rita), world.job).content.decode()
    assert "How fast the team answers" in page
    assert f'{world.hank.full_name} <span class="muted">(deactivated)</span>' in page
    assert record not in page
    assert login(world.rita).get(record).status_code == 404

    page = _page(login(world.ada), world.job).content.decode()
    assert record in page and "(deactivated)" in page
