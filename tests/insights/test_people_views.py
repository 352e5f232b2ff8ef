"""The admins' table of people (/insights/people/): sorted, filtered by role, job and
period in the address, paged, downloadable, and never a server error on a bad value."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.accounts.models import User
from insights.conftest import HOUR, NOW, ask_row

DAY = dt.timedelta(days=1)
URL = "/insights/people/"
FIELD_LABELS = {"From", "To", "Role", "Job", "Job title contains", "Kind of ask", "Order"}
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def answers(world, make_asks):
    """hank slow on the job, rita quick and on no job, olga on the other job, ivy nothing."""
    make_asks(
        ask_row(world.hank, job=world.job, closed_at=NOW - DAY, response_seconds=20 * HOUR,
                due_at=NOW - 2 * DAY),
        ask_row(world.hank, job=world.job, due_at=NOW - DAY),
        ask_row(world.rita, kind="answer_question", closed_at=NOW - DAY, response_seconds=HOUR),
        ask_row(world.olga, job=world.other_job, closed_at=NOW - DAY, response_seconds=5 * HOUR),
    )  # fmt: skip


def _names(response) -> list[str]:
    return [row.person.full_name for row in response.context["page"].object_list]


def test_admins_see_everyone_with_their_figures(world, login, answers):
    response = login(world.ada).get(URL)

    assert response.status_code == 200
    rows = {row.person.full_name: row for row in response.context["page"].object_list}
    assert rows["Hank Manager"].figures.answered == 1
    assert rows["Hank Manager"].figures.overdue == 1
    assert rows["Hank Manager"].median_words == "2 business days 4 h"
    assert rows["Ivy Interviewer"].figures.answered == 0


def test_someone_deactivated_keeps_what_they_answered_in_the_period(world, login, answers):
    """Olga left: her answer in the period stays in the table, marked, and her record still
    opens for admins (other insights pages link to it); someone deactivated with no figure
    drops out."""
    User.objects.filter(pk__in=[world.olga.pk, world.ivy.pk]).update(is_active=False)
    response = login(world.ada).get(URL)
    rows = {row.person.full_name: row for row in response.context["page"].object_list}
    assert rows["Olga Outsider"].figures.answered == 1 and "Ivy Interviewer" not in rows
    html = response.content.decode()
    assert 'Olga Outsider</a> <span class="badge">Deactivated</span>' in html
    record = login(world.ada).get(f"/insights/people/{world.olga.pk}/")
    assert record.status_code == 200 and "Olga Outsider" in record.content.decode()


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_no_one_else_finds_the_table(world, login, persona):
    assert login(getattr(world, persona)).get(URL).status_code == 404


def test_it_sorts_slowest_first_keeping_people_without_answers_last(world, login, answers):
    response = login(world.ada).get(URL, {"sort": "-median"})

    assert _names(response)[:3] == ["Hank Manager", "Olga Outsider", "Rita Recruiter"]


def test_it_sorts_by_most_overdue(world, login, answers):
    assert _names(login(world.ada).get(URL, {"sort": "-overdue"}))[0] == "Hank Manager"


def test_it_filters_by_role_and_job(world, login, answers):
    client = login(world.ada)

    assert _names(client.get(URL, {"role": "hiring_manager"})) == ["Hank Manager", "Olga Outsider"]
    by_job = client.get(URL, {"job": world.other_job.pk}).context["page"].object_list
    assert {row.person.full_name for row in by_job if row.figures.answered} == {"Olga Outsider"}


def test_jobs_are_found_by_words_of_their_title_not_picked_from_a_list_of_all(
    world, login, answers
):
    client = login(world.ada)
    page = client.get(URL)
    html = page.content.decode()
    # No list of every job (a thousand of them would be most of the page): a search box.
    assert f'<option value="{world.job.pk}"' not in html
    assert 'name="job_title"' in html

    analyst = client.get(URL, {"job_title": "  analyst "})  # Data Analyst, olga's
    rows = analyst.context["page"].object_list
    assert {row.person.full_name for row in rows if row.figures.answered} == {"Olga Outsider"}
    assert "Counting the 1 job whose title contains “analyst”." in analyst.content.decode()

    nothing = client.get(URL, {"job_title": "Astronaut"}, follow=True)
    body = nothing.content.decode()
    assert "No job’s title contains “Astronaut”: every job is counted." in body

    def answered(response):
        return [(r.person.pk, r.figures.answered) for r in response.context["page"].object_list]

    assert answered(nothing) == answered(page)  # every job
    assert 'value="Astronaut"' in body  # kept in the box, to be corrected
    # The words are words: SQL's wildcards in them match only themselves.
    wild = client.get(URL, {"job_title": "%_"}, follow=True).content.decode()
    assert "No job’s title contains “%_”" in wild


def test_a_job_chosen_by_link_is_named_with_a_way_back_to_every_job(world, login, answers):
    html = login(world.ada).get(URL, {"job": world.other_job.pk, "role": "hiring_manager"})
    body = html.content.decode()
    assert "Job <strong>Data Analyst</strong>" in body
    assert f'<input type="hidden" name="job" value="{world.other_job.pk}"' in body
    assert 'name="job_title"' not in body
    assert 'href="?start=' in body and "role=hiring_manager" in body


def test_one_kind_of_ask_shows_the_due_time_agreed_for_it(world, login, answers):
    client = login(world.ada)
    response = client.get(URL, {"kind": "review_submission", "sort": "-median"})
    every_kind = client.get(URL)

    rows = response.context["page"].object_list
    assert [(row.person.full_name, row.figures.answered) for row in rows[:2]] == [
        ("Hank Manager", 1), ("Olga Outsider", 1),
    ]  # fmt: skip
    assert {row.person.full_name: row.figures.answered for row in rows}["Rita Recruiter"] == 0
    assert b"<strong>Review a submitted candidate</strong>" in response.content
    assert b'data-label="Agreed"' in response.content
    assert b'data-label="Agreed"' not in every_kind.content
    lines = list(csv.reader(io.StringIO(b"".join(
        client.get(URL, {"kind": "review_submission", "sort": "-median", "format": "csv"})
        .streaming_content).decode())))  # fmt: skip
    assert lines[0][-1] == "Agreed due time"
    assert lines[1][0] == "Hank Manager"


def test_the_period_filters_the_answers(world, login, answers):
    response = login(world.ada).get(URL, {"start": "2026-11-01", "end": "2026-11-21"})

    assert all(row.figures.answered == 0 for row in response.context["page"].object_list)


@pytest.mark.parametrize(
    "params",
    [
        {"job": "999999"},
        {"job": "x'; drop"},
        {"job_title": "x" * 500},
        {"role": "wizard"},
        {"kind": "<script>"},
        {"sort": "password"},
        {"start": "2026-02-30"},
        {"page": "-3"},
    ],
)
def test_a_bad_filter_is_said_and_left_out(world, login, answers, params):
    response = login(world.ada).get(URL, params)

    assert response.status_code == 200
    assert len(_names(response)) == 5
    if "page" not in params:
        shown = [str(message) for message in response.context["messages"]]
        assert shown and all(text.split(":")[0] in FIELD_LABELS for text in shown), shown


def test_the_filters_stay_in_the_sort_and_page_links(world, login, answers):
    page = login(world.ada).get(URL, {"role": "recruiter", "start": "2026-11-01"}).content
    assert b"?start=2026-11-01&amp;end=2026-11-23&amp;role=recruiter&amp;sort=-median" in page


def test_the_table_downloads_as_csv_with_formulas_neutralised(world, login, answers):
    world.hank.full_name = '=HYPERLINK("http://evil.example","Hank")'
    world.hank.save()
    world.rita.full_name = "@SUM(1+1)"
    world.rita.save()

    response = login(world.ada).get(URL, {"format": "csv", "sort": "-median"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Disposition"].startswith('attachment; filename="people-')
    assert rows[1][:3] == ['\'=HYPERLINK("http://evil.example","Hank")', "hank@example.com", "1"]
    assert rows[1][3] == "20.0"
    assert ["'@SUM(1+1)", "rita@example.com"] in [row[:2] for row in rows]
    assert len(rows) == 6


def _queries(client) -> int:
    """The queries of counting the page's figures (`recount`: none kept)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"sort": "-median", "recount": "1"}).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_people_or_asks(world, login, make_asks):
    client = login(world.ada)
    few = _queries(client)
    people = User.objects.bulk_create(
        User(email=f"p{n}@example.com", full_name=f"Person {n}", is_hiring_manager=True)
        for n in range(30)
    )
    make_asks(*[
        ask_row(person, job=world.job, closed_at=NOW - n * DAY, response_seconds=n * HOUR)
        for person in people
        for n in range(1, 6)
    ])  # fmt: skip

    assert _queries(client) == few


def test_halves_round_up_in_the_csv_and_on_the_pages(world, login, make_asks):
    """hank answered eight asks in 4.25 business hours each, one of them in time (12.5%):
    the CSVs say 4.3 hours and 12.5%, the pages 13%; Python's round() rounded both halves
    to even (4.2 hours, 12%)."""
    make_asks(*(
        ask_row(world.hank, job=world.job, closed_at=NOW - DAY, response_seconds=4.25 * HOUR,
                due_at=NOW if n == 0 else NOW - 2 * DAY)
        for n in range(8)
    ))  # fmt: skip
    client = login(world.ada)
    rows = list(csv.reader(io.StringIO(b"".join(
        client.get(URL, {"format": "csv"}).streaming_content).decode())))  # fmt: skip
    (hank,) = [row for row in rows if row[0] == "Hank Manager"]
    assert hank[2:6] == ["8", "4.3", "4.3", "12.5"]
    html = client.get(URL).content.decode()
    assert '<td class="num" data-label="In time">13%</td>' in html
    record = client.get(f"/insights/people/{world.hank.pk}/")
    assert "1 of 8 (13%)" in record.content.decode()
    lines = list(csv.reader(io.StringIO(b"".join(
        client.get(f"/insights/people/{world.hank.pk}/", {"format": "csv"}).streaming_content
    ).decode())))  # fmt: skip
    assert lines[-1][1:5] == ["8", "4.3", "4.3", "12.5"]


@pytest.mark.parametrize("sort", ["-median", "median", "within", "-within", "-open", "-overdue"])
def test_people_with_no_answer_in_the_period_sort_last_under_every_sort_by_a_figure(
    world, login, make_asks, sort
):
    """On a job nobody owes anything on now, every open and overdue count ties at 0: olga,
    who answered on it, still comes before everyone who answered nothing there."""
    make_asks(
        ask_row(world.olga, job=world.other_job, closed_at=NOW - DAY, response_seconds=5 * HOUR),
    )
    names = _names(login(world.ada).get(URL, {"job": world.other_job.pk, "sort": sort}))
    assert names[0] == "Olga Outsider"
    assert names[1:] == sorted(names[1:])  # the ties at 0 by name


def test_most_overdue_first_puts_someone_silent_with_overdue_asks_first(world, login, make_asks):
    """Answering nothing does not hide the bottleneck: ivy owes two overdue asks on the job
    and answered none there, olga answered one and owes nothing."""
    make_asks(
        ask_row(world.olga, job=world.other_job, closed_at=NOW - DAY, response_seconds=5 * HOUR),
        *(ask_row(world.ivy, job=world.other_job, due_at=NOW - DAY) for _ in range(2)),
    )
    names = _names(login(world.ada).get(URL, {"job": world.other_job.pk, "sort": "-overdue"}))
    assert names[:2] == ["Ivy Interviewer", "Olga Outsider"]
    assert names[2:] == sorted(names[2:])
