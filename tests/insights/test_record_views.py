"""My record and a person's record (/insights/me/, /insights/people/<pk>/): who may read whose
record and how much of it, the CSV, the chart, and filters that make no sense."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.insights import charts
from insights.conftest import HOUR, NOW, ask_row

DAY = dt.timedelta(days=1)
# Every test on the world's frozen clock, so the module builds the world once.
pytestmark = pytest.mark.usefixtures("clock")
PERIOD = {"start": "2026-10-26", "end": "2026-11-22"}


@pytest.fixture
def hanks_asks(world, clock, make_asks):
    """hank answered two reviews on the job he shares with rita and one ask on no job."""
    hank = world.hank
    make_asks(
        ask_row(
            hank,
            job=world.job,
            closed_at=NOW - 3 * DAY,
            response_seconds=2 * HOUR,
            policy={"due": "2 business days"},
        ),
        ask_row(
            hank,
            job=world.job,
            closed_at=NOW - 4 * DAY,
            response_seconds=4 * HOUR,
            policy={"due": "2 business days"},
        ),
        ask_row(hank, kind="answer_question", closed_at=NOW - 5 * DAY, response_seconds=HOUR),
    )
    return hank


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _record(client, person, **params):
    return client.get(reverse("insights:person-record", args=[person.pk]), params)


def test_my_record_shows_my_figures_per_kind_with_a_chart_and_its_numbers(world, login, hanks_asks):
    response = login(hanks_asks).get(reverse("insights:my-record"), PERIOD)

    assert response.status_code == 200
    page = response.content.decode()
    assert "My record" in page
    assert "Review a submitted candidate" in page and "All asks" in page
    assert "3 business hours" in page  # the reviews' median, in hank's business time
    assert '<td class="num" data-label="Agreed">2 business days</td>' in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert "<script" not in response.context["chart"]
    assert [w.answered for w in response.context["record"].weeks] == [0, 0, 0, 3]


def test_the_chart_is_the_same_for_the_same_figures(world, login, hanks_asks):
    client = login(hanks_asks)
    first = client.get(reverse("insights:my-record"), PERIOD).context["chart"]
    charts._weekly_trend_svg.cache_clear()  # drawn again, not read from the kept charts

    assert client.get(reverse("insights:my-record"), PERIOD).context["chart"] == first


def test_an_admin_reads_anyones_whole_record(world, login, hanks_asks):
    response = _record(login(world.ada), hanks_asks, **PERIOD)

    assert response.status_code == 200
    assert response.context["record"].total.answered == 3
    assert not response.context["record"].scope.is_partial


def test_a_recruiter_reads_her_hiring_managers_record_on_their_shared_jobs_only(
    world, login, hanks_asks
):
    response = _record(login(world.rita), hanks_asks, **PERIOD)

    assert response.status_code == 200
    assert response.context["record"].total.answered == 2  # not the ask on no job
    assert "on the jobs you share" in response.content.decode()


def test_a_deactivated_persons_record_is_for_admins_only(world, login, hanks_asks):
    """Hank left: admins still read what he answered; his recruiter no longer does."""
    type(world.hank).objects.filter(pk=world.hank.pk).update(is_active=False)
    response = _record(login(world.ada), hanks_asks, **PERIOD)
    assert response.status_code == 200 and response.context["record"].total.answered == 3
    assert _record(login(world.rita), hanks_asks, **PERIOD).status_code == 404


def test_a_hiring_manager_reads_his_recruiters_record(world, login):
    assert _record(login(world.hank), world.rita).status_code == 200


@pytest.mark.parametrize(
    ("reader", "person"),
    [("olga", "hank"), ("ivy", "hank"), ("ivy", "rita"), ("hank", "ivy"), ("rita", "olga")],
)
def test_anyone_else_gets_no_such_page(world, login, reader, person):
    response = _record(login(getattr(world, reader)), getattr(world, person))

    assert response.status_code == 404


def test_an_interviewer_reads_her_own_record(world, login):
    assert login(world.ivy).get(reverse("insights:my-record")).status_code == 200
    assert _record(login(world.ivy), world.ivy).status_code == 200


def test_a_guessed_person_id_is_no_such_page(world, login):
    assert login(world.ada).get("/insights/people/999999/").status_code == 404


def test_the_record_downloads_as_csv_in_the_readers_permissions(world, login, hanks_asks):
    response = _record(login(world.rita), hanks_asks, format="csv", **PERIOD)

    rows = _csv(response)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["Kind of ask", "Answered", "Median response (business hours)"]
    assert rows[1][:4] == ["Review a submitted candidate", "2", "3.0", "3.8"]
    assert rows[-1][:2] == ["All asks", "2"]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "yesterday"},
        {"start": "2026-11-20", "end": "2026-11-01"},
        {"start": "2020-01-01", "end": "2026-11-01"},
        {"end": "99999-01-01"},
        {"start": "0001-01-01"},
        {"end": "0001-01-01"},
        {"start": "2024-01-01"},
        {"start": "9999-12-31"},
    ],
)
def test_a_period_that_makes_no_sense_is_said_and_the_last_90_days_shown(
    world, clock, login, params
):
    response = login(world.hank).get(reverse("insights:my-record"), params)

    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert shown and response.context["start"] == dt.date(2026, 11, 23) - 89 * DAY


def test_my_record_links_to_my_teammates_records(world, login):
    page = login(world.rita).get(reverse("insights:my-record")).content.decode()

    assert reverse("insights:person-record", args=[world.hank.pk]) in page
    assert reverse("insights:person-record", args=[world.ivy.pk]) not in page


def test_every_page_links_to_my_record_and_admins_to_insights(world, login):
    assert reverse("insights:people") not in login(world.rita).get("/jobs/").content.decode()
    page = login(world.ada).get("/jobs/").content.decode()
    assert reverse("insights:my-record") in page and reverse("insights:people") in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, PERIOD).status_code == 200
    return len(captured)


def test_a_record_page_runs_as_many_queries_for_many_asks_as_for_few(world, login, make_asks):
    client = login(world.rita)
    url = reverse("insights:person-record", args=[world.hank.pk])
    make_asks(ask_row(world.hank, job=world.job, closed_at=NOW - DAY, response_seconds=HOUR))
    few = _queries(client, url)
    make_asks(*[
        ask_row(world.hank, job=world.job, kind=kind, closed_at=NOW - n * DAY,
                response_seconds=n * HOUR)
        for kind in ("review_submission", "answer_question", "inform_candidate")
        for n in range(1, 25)
    ])  # fmt: skip

    assert _queries(client, url) == few


def test_a_record_with_nothing_answered_says_so_instead_of_an_empty_chart(world, login):
    """The chart of nobody's answers ran its 'Answered' axis from -0.04 to 0.04."""
    page = login(world.ivy).get(reverse("insights:my-record"), PERIOD).content.decode()
    assert "Nothing answered in these weeks" in page
    assert "data:image/svg+xml" not in page
