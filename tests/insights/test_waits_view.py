"""The bottleneck finder (/insights/waits/): the candidates waiting longest on someone's
move now, across the organisation, for admins, with its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.pipeline.models import Application
from closeloop.pipeline.services import candidate_add
from insights.conftest import NOW

URL = "/insights/waits/"
DAY = dt.timedelta(days=1)
pytestmark = pytest.mark.usefixtures("clock")


def _waited(application, days: int, owner) -> None:
    Application.objects.filter(pk=application.pk).update(
        next_move_owner=owner, next_move_since=NOW - days * DAY, entered_stage_at=NOW - days * DAY
    )


@pytest.fixture
def waiting(world):
    _waited(world.sourced, 9, world.hank)
    _waited(world.other_application, 4, world.olga)
    _waited(world.interviewed, 2, world.rita)


def test_admins_see_the_longest_waits_first_with_whom_they_wait_on(world, login, waiting):
    response = login(world.ada).get(URL)

    assert response.status_code == 200
    items = response.context["items"]
    assert [(str(i.application.candidate), i.owner, i.days) for i in items][:2] == [
        ("Sam Sourced", world.hank, 9),
        ("Otto Other", world.olga, 4),
    ]
    assert f"/applications/{world.sourced.pk}/" in response.content.decode()


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_no_one_else_finds_the_page(world, login, persona):
    assert login(getattr(world, persona)).get(URL).status_code == 404


def test_a_closed_application_waits_on_no_one(world, login, waiting):
    Application.objects.filter(pk=world.sourced.pk).update(status="withdrawn")

    names = [str(i.application.candidate) for i in login(world.ada).get(URL).context["items"]]

    assert "Sam Sourced" not in names


def test_the_waits_download_as_csv_with_formulas_neutralised(world, login, waiting):
    world.sourced.candidate.full_name = "-2+3 Sam"
    world.sourced.candidate.save()

    response = login(world.ada).get(URL, {"format": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Candidate", "Job", "Waiting on", "Move", "Since", "Days waited"]
    assert rows[1][0] == "'-2+3 Sam" and rows[1][2] == "Hank Manager" and rows[1][5] == "9"


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_candidates(world, login, waiting):
    client = login(world.ada)
    few = _queries(client)
    for n in range(12):
        data = {"full_name": f"Extra Person{n}", "email": f"extra{n}@cand.example"}
        added = candidate_add(job=world.job, by=world.rita, data=data).application
        _waited(added, 20 + n, world.hank)

    assert _queries(client) == few
