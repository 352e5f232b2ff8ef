"""Business-time arithmetic: examples a recruiter would check by hand, then properties."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from closeloop.followups.business_time import (
    MAX_DAYS_SCANNED,
    WorkCalendar,
    WorkingRuler,
    add_business_days,
    add_working_time,
    is_working_moment,
    next_working_moment,
    overdue_words,
    waited_words,
    working_time_between,
    working_time_left_words,
    working_time_taken_words,
    working_time_words,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UK = WorkCalendar(time_zone="Europe/London", holiday_country="GB", holiday_subdivision="ENG")
NY = WorkCalendar(time_zone="America/New_York", holiday_country="US", holiday_subdivision="NY")


def at(zone, *args):
    return dt.datetime(*args, tzinfo=zone)


def test_two_business_days_from_friday_afternoon_land_on_tuesday():
    friday = at(LONDON, 2026, 11, 20, 15, 0)
    assert add_business_days(UK, friday, 2) == at(LONDON, 2026, 11, 24, 15, 0)


def test_a_submission_after_hours_starts_the_clock_next_morning():
    friday_evening = at(LONDON, 2026, 11, 20, 18, 30)
    assert add_business_days(UK, friday_evening, 2) == at(LONDON, 2026, 11, 24, 17, 0)


def test_it_skips_public_holidays_in_the_owners_country():
    # 24 Dec 2026 is a Thursday; 25 and 28 Dec (Boxing Day substitute) are English bank holidays.
    christmas_eve = at(LONDON, 2026, 12, 24, 10, 0)
    assert add_business_days(UK, christmas_eve, 1) == at(LONDON, 2026, 12, 29, 10, 0)


def test_the_same_moment_is_due_later_for_an_owner_in_new_york():
    moment = at(LONDON, 2026, 11, 23, 16, 0)  # Monday 11:00 in New York
    assert add_working_time(UK, moment, dt.timedelta(hours=2)) == at(LONDON, 2026, 11, 24, 10, 0)
    assert add_working_time(NY, moment, dt.timedelta(hours=2)) == at(NEW_YORK, 2026, 11, 23, 13, 0)


def test_due_times_keep_their_wall_clock_across_the_clocks_going_back():
    # UK clocks went back on Sunday 25 Oct 2026.
    friday = at(LONDON, 2026, 10, 23, 16, 0)
    due = add_business_days(UK, friday, 1)
    assert due.astimezone(LONDON).replace(tzinfo=None) == dt.datetime(2026, 10, 26, 16, 0)


def test_next_working_moment_is_now_inside_hours_and_next_morning_outside():
    inside = at(LONDON, 2026, 11, 23, 11, 0)
    assert next_working_moment(UK, inside) == inside
    saturday = at(LONDON, 2026, 11, 28, 11, 0)
    assert next_working_moment(UK, saturday) == at(LONDON, 2026, 11, 30, 9, 0)


def test_working_time_between_counts_only_working_hours():
    friday = at(LONDON, 2026, 11, 20, 16, 0)
    monday = at(LONDON, 2026, 11, 23, 10, 0)
    assert working_time_between(UK, friday, monday) == dt.timedelta(hours=2)
    assert working_time_between(UK, monday, friday) == dt.timedelta(0)


def test_a_custom_working_week_is_respected():
    sunday_to_thursday = WorkCalendar(time_zone="Asia/Dubai", work_days=frozenset({6, 0, 1, 2, 3}))
    thursday = at(zoneinfo.ZoneInfo("Asia/Dubai"), 2026, 11, 26, 16, 0)
    due = add_working_time(sunday_to_thursday, thursday, dt.timedelta(hours=2))
    assert due == at(zoneinfo.ZoneInfo("Asia/Dubai"), 2026, 11, 29, 10, 0)


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (dt.timedelta(hours=16) - dt.timedelta(seconds=1), "2 business days"),  # just opened
        (dt.timedelta(hours=14, minutes=5), "1 business day 7 h"),
        (dt.timedelta(hours=9), "1 business day 1 h"),
        (dt.timedelta(hours=8), "1 business day"),
        (dt.timedelta(hours=2, minutes=1), "3 business hours"),
        (dt.timedelta(hours=1), "1 business hour"),
        (dt.timedelta(minutes=59, seconds=30), "1 business hour"),
        (dt.timedelta(minutes=20), "20 business min"),
        (dt.timedelta(seconds=5), "1 business min"),
        (dt.timedelta(0), ""),  # due at the start of the next working day: say when instead
    ],
)
def test_the_time_left_is_rounded_up_so_a_new_ask_is_due_in_its_whole_service_level(left, words):
    assert working_time_left_words(UK, left) == words


@pytest.mark.parametrize(
    ("taken", "words"),
    [
        (dt.timedelta(hours=3, minutes=18), "3 business hours"),  # not 4: a time taken
        (dt.timedelta(hours=3, minutes=31), "4 business hours"),
        (dt.timedelta(minutes=20, seconds=20), "20 business min"),
        (dt.timedelta(hours=9, minutes=10), "1 business day 1 h"),
        (dt.timedelta(hours=7, minutes=50), "1 business day"),
        (dt.timedelta(seconds=20), "under a business minute"),
        (dt.timedelta(0), "under a business minute"),  # answered at the weekend
    ],
)
def test_a_time_taken_is_rounded_to_the_nearest_hour_as_its_exact_figure_reads(taken, words):
    assert working_time_taken_words(UK, taken) == words


@pytest.mark.parametrize(
    ("span", "finest", "words"),
    [
        (dt.timedelta(hours=17), "minute", "2 business days"),
        (dt.timedelta(hours=3, minutes=59), "minute", "3 business hours"),
        (dt.timedelta(minutes=31, seconds=59), "minute", "31 business min"),
        (dt.timedelta(seconds=59), "minute", ""),  # not one whole minute: no "1 business min"
        (dt.timedelta(0), "minute", ""),
        (dt.timedelta(minutes=59), "hour", ""),  # not one whole hour: no "1 business hour"
        (dt.timedelta(0), "day", "less than a business day"),
    ],
)
def test_a_span_is_rounded_down_and_below_its_finest_unit_is_empty(span, finest, words):
    assert working_time_words(UK, span, finest=finest) == words


def test_past_due_by_no_business_time_reads_since_when():
    """Due Friday 17:00, read on Sunday: not a minute of working time has passed."""
    friday_17 = at(LONDON, 2026, 11, 27, 17, 0)
    sunday = at(LONDON, 2026, 11, 29, 12, 0)
    monday = at(LONDON, 2026, 11, 30, 9, 31)
    assert overdue_words(UK, friday_17, sunday, LONDON) == "overdue since Fri 27 Nov 17:00"
    assert overdue_words(UK, friday_17, monday, LONDON) == "31 business min overdue"
    asked = at(LONDON, 2026, 11, 29, 3, 57)
    assert waited_words(UK, asked, sunday, lead="for ", zone=LONDON) == "since Sun 29 Nov 03:57"
    assert waited_words(UK, asked, monday + dt.timedelta(hours=1), lead="for ") == (
        "for 1 business hour"
    )


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_time(UK, at(LONDON, 2026, 11, 23, 10), dt.timedelta(hours=-1))


ZONES = st.sampled_from(
    [
        "UTC",
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Kolkata",
    ]
)
COUNTRIES = st.sampled_from([("", ""), ("GB", "ENG"), ("DE", "BY"), ("US", "CA"), ("AU", "NSW")])


@st.composite
def calendars(draw):
    start_hour = draw(st.integers(min_value=0, max_value=20))
    end_hour = draw(st.integers(min_value=start_hour + 1, max_value=23))
    days = draw(st.frozensets(st.integers(min_value=0, max_value=6), min_size=1))
    country, subdivision = draw(COUNTRIES)
    return WorkCalendar(
        time_zone=draw(ZONES),
        work_start=dt.time(start_hour, draw(st.sampled_from([0, 30]))),
        work_end=dt.time(end_hour, 0),
        work_days=days,
        holiday_country=country,
        holiday_subdivision=subdivision,
    )


moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),
    max_value=dt.datetime(2028, 12, 31),
    timezones=st.just(dt.UTC),
)
# Service levels are a few business days; measure amounts in working days of the calendar.
working_days = st.fractions(min_value=0, max_value=10, max_denominator=8)


@settings(max_examples=80, deadline=None)
@given(calendars(), moments, working_days, working_days)
def test_adding_more_working_time_never_gives_an_earlier_due_time(calendar, moment, a, b):
    small, large = (calendar.day_length * float(x) for x in sorted([a, b]))
    assert add_working_time(calendar, moment, small) <= add_working_time(calendar, moment, large)


@settings(max_examples=80, deadline=None)
@given(calendars(), moments, working_days)
def test_a_due_time_never_lands_outside_working_hours(calendar, moment, days):
    amount = calendar.day_length * float(days)
    due = add_working_time(calendar, moment, amount)
    local = due.astimezone(calendar.zone)
    assert calendar.is_working_day(local.date())
    start = dt.datetime.combine(local.date(), calendar.work_start, tzinfo=calendar.zone)
    end = dt.datetime.combine(local.date(), calendar.work_end, tzinfo=calendar.zone)
    assert start <= due <= end


@settings(max_examples=80, deadline=None)
@given(calendars(), moments, working_days)
def test_the_working_time_between_start_and_due_is_what_was_added(calendar, moment, days):
    amount = calendar.day_length * float(days)
    due = add_working_time(calendar, moment, amount)
    assert working_time_between(calendar, moment, due) == amount


@settings(max_examples=100, deadline=None)
@given(calendars(), moments)
def test_the_next_working_moment_is_a_working_moment(calendar, moment):
    nxt = next_working_moment(calendar, moment)
    assert nxt >= moment
    assert is_working_moment(calendar, nxt)


@settings(max_examples=80, deadline=None)
@given(calendars(), moments, moments, moments)
def test_a_ruler_measures_what_the_day_by_day_walk_measures(calendar, first, second, third):
    """The ruler pages use to sum thousands of waits gives the walk's working time exactly,
    for any two moments within its span (holidays, weekends and clock changes included)."""
    start, a, b = sorted([first, second, third])
    assume(b - start < dt.timedelta(days=MAX_DAYS_SCANNED - 7))  # both walk at most this far
    ruler = WorkingRuler(calendar, start, b + dt.timedelta(days=1))
    for low, high in ((start, a), (a, b), (start, b), (b, a)):
        walked = working_time_between(calendar, low, high).total_seconds()
        assert ruler.seconds_between(low, high) == pytest.approx(walked, abs=1e-3)


def test_a_ruler_counts_business_days_in_the_calendars_day_length():
    short = WorkCalendar(time_zone="Europe/London", work_start=dt.time(9), work_end=dt.time(13))
    monday = at(LONDON, 2026, 11, 23, 9, 0)
    ruler = WorkingRuler(short, monday, monday + dt.timedelta(days=14))
    assert ruler.days_between(monday, at(LONDON, 2026, 11, 25, 11, 0)) == 2.5
    assert ruler.days_between(at(LONDON, 2026, 11, 25, 11, 0), monday) == 0
