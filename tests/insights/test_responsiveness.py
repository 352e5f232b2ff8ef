"""The responsiveness figures (insights.selectors.responsiveness) against values worked out
by hand: median and 90th percentile interpolated as PostgreSQL's percentile_cont does, the
share answered in time, open and overdue now, escalations, snoozes, the period's edges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.activity.models import Activity
from closeloop.insights.selectors import Period, record_get, record_scope, responsiveness
from insights.conftest import HOUR, NOW, ask_row

PERIOD = Period(NOW - dt.timedelta(days=28), NOW)
DAY = dt.timedelta(days=1)
# Every test on the world's frozen clock, so the module builds the world once.
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def hanks_month(world, clock, make_asks):
    """hank answered five reviews in the period (1, 2, 3, 4 and 10 business hours; the last
    two after their due time, the 3 h one escalated), one before it; two are open now, one
    overdue, one past due but on hold, one escalated."""
    hank, job = world.hank, world.job
    late = {"due_at": NOW - 10 * DAY}
    make_asks(
        ask_row(hank, job=job, closed_at=NOW - 20 * DAY, response_seconds=1 * HOUR),
        ask_row(hank, job=job, closed_at=NOW - 15 * DAY, response_seconds=2 * HOUR),
        ask_row(hank, job=job, closed_at=NOW - 9 * DAY, response_seconds=3 * HOUR, level=1),
        ask_row(hank, job=job, closed_at=NOW - 5 * DAY, response_seconds=4 * HOUR, **late),
        ask_row(hank, job=job, closed_at=NOW - 2 * DAY, response_seconds=10 * HOUR, **late),
        ask_row(hank, job=job, closed_at=NOW - 40 * DAY, response_seconds=99 * HOUR),
        ask_row(hank, job=job, due_at=NOW - DAY, level=1),
        ask_row(hank, job=job, due_at=NOW + DAY),
        ask_row(hank, job=job, due_at=NOW - DAY, held_at=NOW - 2 * DAY),
    )
    return hank


def test_it_works_out_each_figure_over_the_period(hanks_month):
    figures = responsiveness(period=PERIOD, owners=[hanks_month.pk])[(hanks_month.pk, "")]

    assert figures.answered == 5
    assert figures.median_seconds == 3 * HOUR
    # percentile_cont(0.9) of 1, 2, 3, 4, 10 h: 4 h + 0.6 × (10 h − 4 h) = 7.6 h
    assert figures.p90_seconds == pytest.approx(7.6 * HOUR)
    assert (figures.within, figures.within_share) == (3, 0.6)
    assert (figures.open, figures.overdue, figures.escalated) == (3, 1, 2)


def test_the_median_of_an_even_number_is_halfway(world, clock, make_asks):
    make_asks(*[
        ask_row(world.rita, kind="answer_question", closed_at=NOW - DAY, response_seconds=s)
        for s in (600, 1200, 4200, 9000)
    ])  # fmt: skip
    figures = responsiveness(period=PERIOD, owners=[world.rita.pk])[(world.rita.pk, "")]

    assert figures.median_seconds == 2700
    # position 0.9 × 3 = 2.7: 4200 + 0.7 × (9000 − 4200)
    assert figures.p90_seconds == pytest.approx(7560)


def test_the_percentile_falls_on_a_whole_rank_exactly(world, clock, make_asks):
    make_asks(*[
        ask_row(world.rita, closed_at=NOW - DAY, response_seconds=s * 60) for s in range(1, 12)
    ])  # fmt: skip
    figures = responsiveness(period=PERIOD, owners=[world.rita.pk])[(world.rita.pk, "")]

    assert (figures.median_seconds, figures.p90_seconds) == (6 * 60, 10 * 60)


def test_each_kind_has_its_own_figures(world, clock, make_asks):
    rita = world.rita
    make_asks(
        ask_row(rita, kind="answer_question", closed_at=NOW - DAY, response_seconds=HOUR),
        ask_row(rita, kind="inform_candidate", closed_at=NOW - DAY, response_seconds=5 * HOUR),
        ask_row(rita, kind="inform_candidate", closed_at=NOW - DAY, response_seconds=7 * HOUR),
    )
    found = responsiveness(period=PERIOD, owners=[rita.pk], by_kind=True)

    assert found[(rita.pk, "answer_question")].median_seconds == HOUR
    assert found[(rita.pk, "inform_candidate")].median_seconds == 6 * HOUR
    assert found[(rita.pk, "inform_candidate")].kind_label == "Tell the candidate the outcome"


def _agreed(due: str) -> dict:
    return {"kind": "review_submission", "due": due, "source": "job"}


def test_one_kind_alone_beside_the_due_time_its_answers_ran_under(world, clock, make_asks):
    hank, two, one = world.hank, _agreed("2 business days"), _agreed("1 business day")
    make_asks(
        ask_row(hank, closed_at=NOW - DAY, response_seconds=20 * HOUR, policy=two),
        ask_row(hank, closed_at=NOW - 2 * DAY, response_seconds=18 * HOUR, policy=two),
        ask_row(hank, closed_at=NOW - 3 * DAY, response_seconds=2 * HOUR, policy=one),
        # Not answered in the period: its due time is not among those it ran under.
        ask_row(hank, closed_at=NOW - 40 * DAY, response_seconds=HOUR, policy=one),
        ask_row(hank, policy=one),
        ask_row(hank, kind="sign_intake", closed_at=NOW - DAY, response_seconds=HOUR,
                policy={"due": "3 business days"}),
        ask_row(world.rita, closed_at=NOW - DAY, response_seconds=HOUR, policy=one),
    )  # fmt: skip

    reviews = responsiveness(period=PERIOD, owners=[hank.pk], kind="review_submission")
    per_kind = responsiveness(period=PERIOD, owners=[hank.pk], by_kind=True)
    mixed = responsiveness(period=PERIOD, owners=[hank.pk])

    assert reviews[(hank.pk, "")].answered == 3
    assert reviews[(hank.pk, "")].median_seconds == 18 * HOUR
    assert reviews[(hank.pk, "")].agreed == "mostly 2 business days"
    assert per_kind[(hank.pk, "review_submission")].agreed == "mostly 2 business days"
    assert per_kind[(hank.pk, "sign_intake")].agreed == "3 business days"
    assert mixed[(hank.pk, "")].agreed == ""  # a due time across kinds means nothing
    everyone = responsiveness(period=PERIOD, kind="review_submission")
    assert everyone[(world.rita.pk, "")].agreed == "1 business day"


def test_the_period_includes_its_start_and_excludes_its_end(world, clock, make_asks):
    rita = world.rita
    make_asks(
        ask_row(rita, closed_at=PERIOD.start, response_seconds=HOUR),
        ask_row(rita, closed_at=PERIOD.end - dt.timedelta(seconds=1), response_seconds=HOUR),
        ask_row(rita, closed_at=PERIOD.start - dt.timedelta(seconds=1), response_seconds=HOUR),
        ask_row(rita, closed_at=PERIOD.end, response_seconds=HOUR),
    )

    assert responsiveness(period=PERIOD, owners=[rita.pk])[(rita.pk, "")].answered == 2


def test_an_answer_exactly_at_its_due_time_is_in_time(world, clock, make_asks):
    closed = NOW - DAY
    make_asks(ask_row(world.rita, closed_at=closed, due_at=closed, response_seconds=HOUR))

    assert responsiveness(period=PERIOD, owners=[world.rita.pk])[(world.rita.pk, "")].within == 1


def test_snoozes_are_counted_from_the_activity_log_within_the_period(hanks_month):
    for at in (NOW - 3 * DAY, NOW - 4 * DAY, NOW - 60 * DAY):
        Activity.objects.create(kind="closeloop.ask.snoozed", actor=hanks_month, at=at, summary="")
    Activity.objects.create(kind="closeloop.ask.snoozed", actor=None, at=NOW - DAY, summary="")

    figures = responsiveness(period=PERIOD, owners=[hanks_month.pk])[(hanks_month.pk, "")]

    assert figures.snoozes == 2


def test_the_weekly_trend_lists_every_week_of_the_period(hanks_month):
    scope = record_scope(viewer=hanks_month, pk=hanks_month.pk)
    record = record_get(scope=scope, period=PERIOD, zone=dt.UTC)

    # Monday 26 Oct 10:00 to Monday 23 Nov 10:00: five weeks, the empty ones too.
    assert [week.starts for week in record.weeks] == [
        dt.date(2026, 10, 26), dt.date(2026, 11, 2), dt.date(2026, 11, 9),
        dt.date(2026, 11, 16), dt.date(2026, 11, 23),
    ]  # fmt: skip
    # 3 Nov and Sunday 8 Nov; Saturday 14 Nov; 18 and 21 Nov, both late.
    assert [(week.answered, week.within) for week in record.weeks] == [
        (0, 0), (2, 2), (1, 1), (2, 0), (0, 0),
    ]  # fmt: skip


def test_weeks_start_on_the_readers_monday(world, clock, make_asks):
    # Sunday 23:30 UTC is already Monday in Tokyo.
    sunday_late = dt.datetime(2026, 11, 15, 23, 30, tzinfo=dt.UTC)
    make_asks(ask_row(world.rita, closed_at=sunday_late, response_seconds=HOUR))
    scope = record_scope(viewer=world.rita, pk=world.rita.pk)

    in_utc = record_get(scope=scope, period=PERIOD, zone=dt.UTC).weeks
    in_tokyo = record_get(scope=scope, period=PERIOD, zone=_zone("Asia/Tokyo")).weeks

    assert [w.starts for w in in_utc if w.answered] == [dt.date(2026, 11, 9)]
    assert [w.starts for w in in_tokyo if w.answered] == [dt.date(2026, 11, 16)]


def _zone(name: str) -> dt.tzinfo:
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def _queries(owners: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        responsiveness(period=PERIOD, owners=owners, by_kind=True)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_asks_or_people(world, clock, make_asks):
    people = [world.rita, world.hank, world.ivy, world.olga]
    make_asks(ask_row(world.rita, closed_at=NOW - DAY, response_seconds=HOUR))
    few = _queries([world.rita.pk])
    make_asks(*[
        ask_row(person, kind=kind, closed_at=NOW - n * DAY, response_seconds=n * HOUR)
        for person in people
        for kind in ("review_submission", "answer_question")
        for n in range(1, 15)
    ])  # fmt: skip

    # Counts, percentiles, the agreed due times per kind, snoozes.
    assert _queries([person.pk for person in people]) == few == 4
