"""Where candidates wait and on whom, summed in business days: now (by the queues' clock) and
over a period (the asks owed about candidates), each wait measured in the calendar of the
person it is on. Every figure below is worked out by hand from the rows and the calendars:
Berta works 09:00–17:00 in Berlin (German holidays: 25 and 26 December), Nick 09:00–17:00 in
New York (US holidays), both Monday to Friday; a business day is 8 working hours."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from closeloop.followups.models import Ask, AskHandover, AskStatus
from closeloop.insights.selectors import Period
from closeloop.insights.waits import waits_over_period, waits_summed
from closeloop.pipeline.models import Application
from insights.conftest import ask_row

UTC = dt.UTC
HOUR = 3600
PERIOD = Period(dt.datetime(2026, 12, 21, tzinfo=UTC), dt.datetime(2026, 12, 28, tzinfo=UTC))
NOW = dt.datetime(2026, 12, 28, 9, 0, tzinfo=UTC)  # Monday, 10:00 in Berlin


def _utc(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def people(world):
    """hank works in Berlin with German holidays, rita in New York with American ones."""
    world.hank.time_zone, world.hank.holiday_country = "Europe/Berlin", "DE"
    world.rita.time_zone, world.rita.holiday_country = "America/New_York", "US"
    for person in (world.hank, world.rita):
        person.work_start, person.work_end = dt.time(9), dt.time(17)
        person.work_days = [0, 1, 2, 3, 4]
        person.save()
    Ask.objects.all().delete()  # only the asks each test writes
    return world


def _stage(world, name):
    return world.job.stages.get(name=name)


def _period_asks(world):
    """Four asks about candidates, one about no candidate and two outside the period."""
    review, interview = _stage(world, "Submitted"), _stage(world, "Interviewing")
    sourced, other = world.sourced, world.other_application
    return Ask.objects.bulk_create([
        # hank, open all period from Mon 21 09:00 Berlin: Mon-Thu, Friday 25 is a holiday;
        # the period ends Monday 28 00:00 UTC (01:00 Berlin): 4 business days.
        ask_row(world.hank, job=world.job, application=sourced, stage=review,
                opened_at=_utc(21, 8)),
        # hank, answered inside: its recorded response time (2 h, 2 h more were on hold).
        ask_row(world.hank, job=world.job, application=sourced, stage=review,
                opened_at=_utc(22, 9), closed_at=_utc(22, 13), response_seconds=2 * HOUR,
                held_seconds=2 * HOUR),
        # rita, opened Fri 18 09:00 New York, answered Tue 22 14:00 New York: inside the
        # period Mon 21 9-17 and Tue 22 9-14, 13 h = 1.625 days.
        ask_row(world.rita, job=world.job, application=world.interviewed, stage=interview,
                opened_at=_utc(18, 14), closed_at=_utc(22, 19), response_seconds=99 * HOUR),
        # rita, cancelled inside: Wed 23 09:00-13:00 New York, 0.5 days.
        ask_row(world.rita, job=world.other_job, application=other, stage=interview,
                opened_at=_utc(23, 14), closed_at=_utc(23, 18), status=AskStatus.CANCELLED),
        # about no candidate: nobody waits on it.
        ask_row(world.rita, job=world.job, opened_at=_utc(21, 14)),
        # answered before the period, and opened after it.
        ask_row(world.hank, job=world.job, application=sourced, opened_at=_utc(14, 9),
                closed_at=_utc(18, 9), response_seconds=HOUR),
        ask_row(world.hank, job=world.job, application=sourced, opened_at=_utc(28, 8)),
    ])  # fmt: skip


def _rows(sums):
    return [(row.label, row.candidates, round(row.days, 3), round(row.longest_days, 3))
            for row in sums]  # fmt: skip


def test_waits_over_a_period_are_summed_in_each_owners_business_days(people):
    _period_asks(people)

    sums = waits_over_period(viewer=people.ada, period=PERIOD, now=NOW)

    assert _rows(sums.by_person) == [
        ("Hank Manager", 2, 4.25, 4.0),
        ("Rita Recruiter", 2, 2.125, 1.625),
    ]
    assert _rows(sums.by_stage) == [
        ("Submitted", 2, 4.25, 4.0),
        ("Interviewing", 2, 2.125, 1.625),
    ]
    assert _rows(sums.by_job) == [
        ("Backend Engineer", 3, 5.875, 4.0),
        ("Data Analyst", 1, 0.5, 0.5),
    ]


def test_one_jobs_waits_leave_the_other_jobs_out(people):
    _period_asks(people)

    sums = waits_over_period(viewer=people.hank, job=people.job, period=PERIOD, now=NOW)

    assert _rows(sums.by_person) == [
        ("Hank Manager", 2, 4.25, 4.0),
        ("Rita Recruiter", 1, 1.625, 1.625),
    ]
    assert sums.by_job == []


def test_a_period_still_running_ends_now(people):
    """Until Wednesday 23 at 09:00 UTC: hank's open ask has waited Mon 21 and Tue 22 and
    one hour of Wednesday in Berlin."""
    _period_asks(people)

    sums = waits_over_period(viewer=people.ada, period=PERIOD, now=_utc(23, 9))

    hank = next(row for row in sums.by_person if row.label == "Hank Manager")
    assert (hank.candidates, round(hank.days, 3)) == (2, 2.125 + 0.25)


def test_an_ask_recorded_before_stages_were_kept_is_summed_apart(people):
    Ask.objects.bulk_create([
        ask_row(people.hank, job=people.job, application=people.sourced, stage=None,
                opened_at=_utc(22, 9), closed_at=_utc(22, 13), response_seconds=4 * HOUR),
    ])  # fmt: skip

    sums = waits_over_period(viewer=people.ada, period=PERIOD, now=NOW)

    assert _rows(sums.by_stage) == [("(stage not recorded)", 1, 0.5, 0.5)]


def test_an_ask_that_changed_hands_is_each_holders_for_the_time_it_sat_with_them(people):
    """hank's ask, open from Mon 21 09:00 Berlin, went to rita when he left (Wed 23 09:00
    Berlin) and came back when he returned (Thu 24 09:00 New York, 15:00 Berlin): hank held
    it Mon and Tue (2 days) and Thu 15:00-17:00 (Fri 25 is a German holiday), 2.25 days;
    rita Wed 23 09:00-17:00 New York, 1 day. One wait each; nobody is blamed for the
    other's days (the current owner, hank, got all 3.25 before)."""
    (ask,) = Ask.objects.bulk_create([
        ask_row(people.hank, job=people.job, application=people.sourced,
                stage=_stage(people, "Submitted"), opened_at=_utc(21, 8)),
    ])  # fmt: skip
    AskHandover.objects.bulk_create([
        AskHandover(ask=ask, from_owner=people.hank, to_owner=people.rita, at=_utc(23, 8)),
        AskHandover(ask=ask, from_owner=people.rita, to_owner=people.hank, at=_utc(24, 14)),
    ])  # fmt: skip

    sums = waits_over_period(viewer=people.ada, period=PERIOD, now=NOW)

    assert _rows(sums.by_person) == [
        ("Hank Manager", 1, 2.25, 2.25),
        ("Rita Recruiter", 1, 1.0, 1.0),
    ]
    assert _rows(sums.by_job) == [("Backend Engineer", 2, 3.25, 2.25)]
    # Answered inside the period after the handover: measured the same way, not from its
    # recorded response time (which would all be rita's).
    Ask.objects.filter(pk=ask.pk).update(
        owner=people.rita, status=AskStatus.DONE, closed_at=_utc(23, 18), response_seconds=9
    )
    AskHandover.objects.filter(to_owner=people.hank).delete()
    sums = waits_over_period(viewer=people.ada, period=PERIOD, now=NOW)
    assert _rows(sums.by_person) == [
        ("Hank Manager", 1, 2.0, 2.0),
        ("Rita Recruiter", 1, 0.5, 0.5),
    ]


def test_waits_now_count_only_working_time_of_the_person_waited_on(people):
    """Waiting on hank since Thursday 24 December, 16:00 Berlin: one hour that day, none on
    the holidays and the Sunday, one on Monday 28 until 10:00: 2 h, a quarter of a day."""
    Application.objects.filter(pk=people.sourced.pk).update(
        next_move_owner=people.hank, next_move_since=_utc(24, 15), status="active"
    )
    Application.objects.exclude(pk=people.sourced.pk).update(next_move_owner=None)

    sums = waits_summed(viewer=people.ada, now=NOW)

    assert _rows(sums.by_person) == [("Hank Manager", 1, 0.25, 0.25)]
    assert _rows(sums.by_job) == [("Backend Engineer", 1, 0.25, 0.25)]


def test_the_organisations_sums_are_for_admins_only(people):
    for persona in ("hank", "rita", "ivy"):
        with pytest.raises(Http404):
            waits_over_period(viewer=getattr(people, persona), period=PERIOD, now=NOW)
        with pytest.raises(Http404):
            waits_summed(viewer=getattr(people, persona), now=NOW)


def test_the_number_of_queries_does_not_grow_with_asks(people):
    _period_asks(people)
    with CaptureQueriesContext(connection) as few:
        waits_over_period(viewer=people.ada, period=PERIOD, now=NOW)
    _period_asks(people)
    _period_asks(people)
    with CaptureQueriesContext(connection) as many:
        waits_over_period(viewer=people.ada, period=PERIOD, now=NOW)
    assert len(many) == len(few)


@pytest.fixture
def after_the_period():
    with time_machine.travel(NOW, tick=False):
        yield


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_waits_page_shows_the_period_and_downloads_it(people, login, after_the_period):
    _period_asks(people)
    client = login(people.ada)
    period = {"start": "2026-12-21", "end": "2026-12-27"}

    page = client.get("/insights/waits/", period)
    assert page.status_code == 200
    assert "Where candidates waited, 21 Dec 2026 to 27 Dec 2026" in page.content.decode()
    rows = _csv(client.get("/insights/waits/", {**period, "format": "csv", "table": "stage",
                                                 "span": "period"}))  # fmt: skip
    assert rows[0] == ["Stage", "Follow-ups owed about candidates",
                       "Business days waited, summed", "Longest (business days)"]  # fmt: skip
    assert "Interviewing" in [row[0] for row in rows[1:]]


def test_a_bad_period_is_named_and_the_last_90_days_shown(people, login):
    page = login(people.ada).get("/insights/waits/", {"start": "2026-13-40", "end": "x"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "From: Enter a valid date. It was left out." in text


def test_a_jobs_team_sees_its_period_sums_and_names_link_only_where_they_may_read(
    people, login, after_the_period
):
    _period_asks(people)
    Ask.objects.bulk_create([
        ask_row(people.ivy, job=people.job, application=people.interviewed,
                opened_at=_utc(22, 9), closed_at=_utc(22, 13), response_seconds=4 * HOUR),
    ])  # fmt: skip
    client = login(people.hank)
    url = f"/insights/jobs/{people.job.pk}/"

    page = client.get(url, {"start": "2026-12-21", "end": "2026-12-27"})

    sums = page.context["period_sums"]
    assert {row.label for row in sums.by_person} == {
        "Hank Manager",
        "Rita Recruiter",
        "Ivy Interviewer",
    }
    text = page.content.decode()
    assert f'href="/insights/people/{people.rita.pk}/"' in text
    assert f'href="/insights/people/{people.ivy.pk}/"' not in text  # not hank's to read
    rows = _csv(client.get(url, {"format": "csv", "table": "person", "span": "period",
                                 "start": "2026-12-21", "end": "2026-12-27"}))  # fmt: skip
    assert {row[0] for row in rows[1:]} == {"Hank Manager", "Rita Recruiter", "Ivy Interviewer"}
    other = client.get(f"/insights/jobs/{people.other_job.pk}/", {"format": "csv"})
    assert other.status_code == 404


def _page_row(html: str, label: str) -> list[str]:
    """The figures of the first table row headed `label`, as the page shows them."""
    found = re.search(rf'<th scope="row">(?:<a [^>]*>)?{label}(?:</a>)?</th>(.*?)</tr>', html,
                      re.S)  # fmt: skip
    assert found, label
    return [cell.strip() for cell in re.findall(r'<td class="num"[^>]*>([^<]*)</td>', found[1])]


def test_the_period_csv_rounds_each_figure_as_the_page_does(people, login, after_the_period):
    """hank's waits over the period add up to 4.25 business days: "4.3" on the page and in
    its CSV alike (Python's round() gave 4.2, a half rounded to even)."""
    _period_asks(people)
    client = login(people.ada)
    period = {"start": "2026-12-21", "end": "2026-12-27"}
    html = client.get("/insights/waits/", period).content.decode()
    period_html = html[html.index("Where candidates waited") :]
    rows = _csv(client.get("/insights/waits/", {**period, "format": "csv", "table": "person",
                                                 "span": "period"}))  # fmt: skip
    assert rows[1] == ["Hank Manager", "2", "4.3", "4.0"]
    assert _page_row(period_html, "Hank Manager") == ["2", "4.3", "4.0 business days"]
    by_stage = _csv(client.get("/insights/waits/", {**period, "format": "csv", "table": "stage",
                                                     "span": "period"}))  # fmt: skip
    assert by_stage[1] == ["Submitted", "2", "4.3", "4.0"]


def test_news_on_schedule_is_a_wait_only_once_due(people):
    """The recruiter's waiting clock ("Give Sam news") is owed once due, as her queue shows
    it: news given in time adds nothing, late news counts from its due time (Tue 22 09:00
    New York to Wed 23 13:00 New York: 1.5 days), and one still open from its due time (Thu
    24 09:00 New York to the period's end: Thu 24 (Fri 25 is a holiday), 1 day)."""
    Ask.objects.bulk_create([
        ask_row(people.rita, kind="update_candidate", job=people.job, application=people.sourced,
                opened_at=_utc(21, 14), due_at=_utc(23, 14), closed_at=_utc(22, 14),
                response_seconds=8 * HOUR),
        ask_row(people.rita, kind="update_candidate", job=people.job,
                application=people.interviewed, opened_at=_utc(21, 14), due_at=_utc(22, 14),
                closed_at=_utc(23, 18), response_seconds=20 * HOUR),
        ask_row(people.rita, kind="update_candidate", job=people.job,
                application=people.other_application, opened_at=_utc(21, 14),
                due_at=_utc(24, 14)),
    ])  # fmt: skip

    sums = waits_over_period(viewer=people.ada, period=PERIOD, now=NOW)

    assert _rows(sums.by_person) == [("Rita Recruiter", 2, 2.5, 1.5)]
