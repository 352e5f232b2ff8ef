"""Calibration figures: the share rated close or better, per job and per recruiter, week by
week, in a fixed number of queries; and the agenda and weekly-update sections built on them."""

from __future__ import annotations

import datetime as dt

import pytest
from calibration_helpers import rated

from closeloop.partnership.calibration.sections import calibration_agenda, calibration_weekly
from closeloop.partnership.calibration.selectors import (
    WEEKS_SHOWN,
    PersonScope,
    calibration_job_figures,
    calibration_jobs_week,
    calibration_person_figures,
    calibration_recent,
)
from closeloop.pipeline.models import Closeness
from closeloop.touchbases.models import Touchbase
from closeloop.touchbases.weekly import weekly_update_build

UTC = dt.UTC
# Monday 23 Nov 2026 10:00 UTC is the shared world's moment (tests/conftest.py).
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WEEK = dt.timedelta(weeks=1)


@pytest.fixture
def world(clock, world):
    return world


@pytest.fixture
def history(world, settings):
    """Backend Engineer, decisions over three weeks: 2 of 2 close two weeks ago, 1 of 3 last
    week, 0 of 1 this week; and one rated decision on olga's job."""
    settings.CALIBRATION_ROUND_SIZE = 0
    two_ago, last = NOW - 2 * WEEK, NOW - WEEK
    for closeness, at in [
        (Closeness.CLOSE, two_ago), (Closeness.SPOT_ON, two_ago),
        (Closeness.CLOSE, last), (Closeness.FAR_OFF, last), (Closeness.SOME_WAY_OFF, last),
        (Closeness.FAR_OFF, NOW - dt.timedelta(hours=1)),
    ]:  # fmt: skip
        rated(world.job, closeness, at=at)
    rated(world.other_job, Closeness.SPOT_ON, at=last)


def test_the_jobs_share_is_counted_week_by_week(world, history, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures = calibration_job_figures(job=world.job, zone=UTC, now=NOW)
    assert (figures.total.rated, figures.total.close, figures.total.percent) == (6, 3, 50)
    assert len(figures.weeks) == WEEKS_SHOWN
    newest = figures.recent_weeks_first
    assert newest[0].starts == dt.date(2026, 11, 23)
    assert [(w.figures.rated, w.figures.close) for w in newest[:4]] == [
        (1, 0),
        (3, 1),
        (2, 2),
        (0, 0),
    ]
    assert newest[3].figures.percent is None  # a week with nothing rated shows no share


def test_decisions_without_a_rating_count_nowhere(world, history):
    from calibration_helpers import submit

    from closeloop.pipeline.services import submission_decide

    submission_decide(submission=submit(world.job), by=world.hank, decision="advanced")
    assert calibration_job_figures(job=world.job, zone=UTC, now=NOW).total.rated == 6


def test_a_recruiters_share_spans_their_jobs_or_only_the_shared_ones(world, history):
    from closeloop.jobs.models import Job

    everything = calibration_person_figures(scope=PersonScope(world.rita), zone=UTC, now=NOW)
    assert (everything.total.rated, everything.total.close) == (6, 3)
    ada = calibration_person_figures(scope=PersonScope(world.ada), zone=UTC, now=NOW)
    assert (ada.total.rated, ada.total.close) == (1, 1)
    none_shared = PersonScope(world.ada, Job.objects.filter(pk=world.job.pk).values("pk"))
    assert calibration_person_figures(scope=none_shared, zone=UTC, now=NOW).total.rated == 0


def test_the_last_six_decisions_are_read_in_one_query(world, history, django_assert_num_queries):
    with django_assert_num_queries(1):
        recent = calibration_recent(job=world.job)
    assert (recent.close, recent.rated, recent.is_low) == (3, 6, False)
    rated(world.job, Closeness.FAR_OFF, at=NOW)
    recent = calibration_recent(job=world.job)
    assert (recent.close, recent.rated, recent.is_low) == (2, 6, True)


def test_the_agenda_flags_a_low_figure_with_a_question(world, history):
    touchbase = Touchbase(job=world.job)
    [item] = calibration_agenda(touchbase, NOW - WEEK, NOW)
    assert item["text"] == "Calibration: 3 of the last 6 close" and item["flag"] == ""
    rated(world.job, Closeness.FAR_OFF, at=NOW)
    [item] = calibration_agenda(touchbase, NOW - WEEK, NOW)
    assert item["text"] == "Calibration: 2 of the last 6 close — review the must-haves?"
    assert item["flag"] == "warn"
    assert item["url"] == f"/calibration/jobs/{world.job.pk}/"


def test_a_job_without_ratings_has_no_agenda_line(world):
    assert calibration_agenda(Touchbase(job=world.job), NOW - WEEK, NOW) == []


def test_the_weekly_update_tells_the_recruiter_and_the_hm(world, history):
    for person in (world.rita, world.hank):
        [line] = calibration_weekly(person, [world.job, world.other_job], NOW - WEEK, NOW)
        assert line.text == "Backend Engineer: 1 of 4 rated close or better this week"
        assert line.detail == f"50% close or better over the last {WEEKS_SHOWN} weeks, 3 of 6"
        assert line.url.endswith(f"/calibration/jobs/{world.job.pk}/")
    assert calibration_weekly(world.ivy, [world.job], NOW - WEEK, NOW) == []
    update = weekly_update_build(person=world.hank, now=NOW)
    assert [section.key for section in update.extra] == ["calibration"]


def test_the_weekly_figures_of_many_jobs_take_one_query(world, history, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = calibration_jobs_week(
            jobs=[world.job, world.other_job], start=NOW - WEEK, end=NOW, zone=UTC
        )
    assert [(r.job.pk, r.week.rated, r.trend.rated) for r in rows] == [
        (world.job.pk, 4, 6), (world.other_job.pk, 1, 1)
    ]  # fmt: skip
