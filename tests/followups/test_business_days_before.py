"""`business_days_before` walks working time backwards: the inverse of `add_business_days`,
across weekends, public holidays and time zones."""

from __future__ import annotations

import datetime as dt

import pytest

from closeloop.followups.business_time import (
    WorkCalendar,
    add_business_days,
    business_days_before,
    working_time_between,
)

TUESDAY_11 = dt.datetime(2026, 11, 24, 11, 0, tzinfo=dt.UTC)


def test_two_business_days_before_tuesday_is_friday():
    assert business_days_before(WorkCalendar(), TUESDAY_11, 2) == dt.datetime(
        2026, 11, 20, 11, 0, tzinfo=dt.UTC
    )


def test_a_public_holiday_is_skipped():
    """Friday 25 Dec is a public holiday in Germany: one business day before Monday the 28th
    at 10:00 in Berlin is Thursday the 24th at 10:00."""
    berlin = WorkCalendar(time_zone="Europe/Berlin", holiday_country="DE")
    monday = dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.UTC)  # 10:00 in Berlin
    assert business_days_before(berlin, monday, 1) == dt.datetime(2026, 12, 24, 9, 0, tzinfo=dt.UTC)


def test_a_moment_outside_working_hours_counts_from_the_last_working_moment():
    saturday = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
    assert business_days_before(WorkCalendar(), saturday, 0.5) == dt.datetime(
        2026, 11, 20, 13, 0, tzinfo=dt.UTC
    )


@pytest.mark.parametrize("days", [0.5, 1, 3, 10, 60])
def test_it_is_the_inverse_of_add_business_days(days):
    calendar = WorkCalendar(time_zone="America/New_York", holiday_country="US")
    before = business_days_before(calendar, TUESDAY_11 + dt.timedelta(hours=5), days)
    assert working_time_between(calendar, before, TUESDAY_11 + dt.timedelta(hours=5)) == (
        calendar.day_length * days
    )
    assert add_business_days(calendar, before, days) == TUESDAY_11 + dt.timedelta(hours=5)
