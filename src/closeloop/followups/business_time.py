"""Business time: due dates computed in the owner's calendar.

A calendar is a time zone, working hours, working weekdays, public holidays and the
organisation's office closures (`followups.closures`). Service levels count *working*
time: "2 business days" is two working days' worth of working hours (16 h for a 09:00–17:00
day), so a submission made at Friday 15:00 in London is due on Tuesday 15:00, and at Friday
18:00 (after hours) on Tuesday 17:00.

All arithmetic walks the owner's local working windows day by day, converting each window's
wall-clock bounds to UTC, so daylight-saving changes shift nothing a person would notice.

See docs/architecture.md#the-follow-up-engine.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays

from closeloop.followups.closures import closed_days, closure_name
from closeloop.lib.text import listed
from closeloop.lib.timefmt import absolute, duration_short

if TYPE_CHECKING:
    from closeloop.accounts.models import User

UTC = dt.UTC
# Enough to cross any realistic run of holidays and weekends; guards against a calendar
# with no working time at all looping forever.
MAX_DAYS_SCANNED = 3 * 366


class NoWorkingTimeError(ValueError):
    """The calendar has no working time in the scanned range (e.g. every day a holiday)."""


@lru_cache(maxsize=256)
def _holidays_for(country: str, subdivision: str) -> holidays.HolidayBase | None:
    if not country:
        return None
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, language="en_US")
    except NotImplementedError:
        return None  # an unknown country was stored before validation: no holidays, not a crash


@dataclass(frozen=True)
class WorkCalendar:
    """When one person works."""

    time_zone: str = "UTC"
    work_start: dt.time = dt.time(9, 0)
    work_end: dt.time = dt.time(17, 0)
    work_days: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    holiday_country: str = ""
    holiday_subdivision: str = ""
    # Local dates the whole organisation is closed (office closures), on top of the holidays.
    closed_days: frozenset[dt.date] = frozenset()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def day_length(self) -> dt.timedelta:
        """Length of one working day, for converting "business days" to working hours."""
        start = dt.datetime.combine(dt.date(2000, 1, 3), self.work_start)
        return dt.datetime.combine(dt.date(2000, 1, 3), self.work_end) - start

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() not in self.work_days or day in self.closed_days:
            return False
        public = _holidays_for(self.holiday_country, self.holiday_subdivision)
        return public is None or day not in public

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The working window of a local date in UTC, or None on a day off."""
        return _window(self, day)


# A calendar's window on a day never changes (the calendar is frozen), and the engine and the
# insights ask for the same few thousand again and again: each costs a holiday lookup and two
# time-zone conversions.
@lru_cache(maxsize=16384)
def _window(calendar: WorkCalendar, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    if not calendar.is_working_day(day):
        return None
    zone = calendar.zone
    start = dt.datetime.combine(day, calendar.work_start, tzinfo=zone).astimezone(UTC)
    end = dt.datetime.combine(day, calendar.work_end, tzinfo=zone).astimezone(UTC)
    return (start, end) if end > start else None


def calendar_for(user: User) -> WorkCalendar:
    """The calendar stored on a person's profile, with the organisation's office closures."""
    return WorkCalendar(
        time_zone=user.time_zone or "UTC",
        work_start=user.work_start,
        work_end=user.work_end,
        work_days=frozenset(user.work_days or range(5)),
        holiday_country=user.holiday_country,
        holiday_subdivision=user.holiday_subdivision,
        closed_days=closed_days(),
    )


def _iter_windows(
    calendar: WorkCalendar, moment: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Working windows that end after `moment`, in order, over a bounded number of days."""
    # Start a day early: in a zone behind UTC the window holding `moment` may be "yesterday".
    local_day = moment.astimezone(calendar.zone).date() - dt.timedelta(days=1)
    found = False
    for offset in range(MAX_DAYS_SCANNED):
        bounds = calendar.window(local_day + dt.timedelta(days=offset))
        if bounds and bounds[1] > moment:
            found = True
            yield bounds
    if not found:
        raise NoWorkingTimeError("No working time found in this calendar.")


def next_working_moment(calendar: WorkCalendar, moment: dt.datetime) -> dt.datetime:
    """`moment` itself during working hours, else the start of the next working window."""
    for start, _end in _iter_windows(calendar, moment):
        return max(start, moment)
    raise NoWorkingTimeError("No working time found in this calendar.")


def end_of_working_day(
    calendar: WorkCalendar, day: dt.date, *, after: dt.datetime | None = None
) -> dt.datetime:
    """The end of the working day on `day`, or of the next working day when `day` is off.

    A date agreed in a meeting ("by Friday") means the end of that working day in the
    owner's calendar; a Saturday or a public holiday rolls on to their next working day,
    and so does a day whose working hours are already over at `after`.
    """
    for offset in range(MAX_DAYS_SCANNED):
        bounds = calendar.window(day + dt.timedelta(days=offset))
        if bounds and (after is None or bounds[1] > after):
            return bounds[1]
    raise NoWorkingTimeError("No working time found in this calendar.")


def add_working_time(
    calendar: WorkCalendar, moment: dt.datetime, amount: dt.timedelta
) -> dt.datetime:
    """The moment when `amount` of working time has passed since `moment`."""
    if amount < dt.timedelta(0):
        raise ValueError("Working time to add must not be negative.")
    remaining = amount
    for start, end in _iter_windows(calendar, moment):
        begin = max(start, moment)
        available = end - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise NoWorkingTimeError("Not enough working time in the scanned range.")


def add_business_days(calendar: WorkCalendar, moment: dt.datetime, days: float) -> dt.datetime:
    """`days` working days after `moment` (a working day = the calendar's day length)."""
    return add_working_time(calendar, moment, calendar.day_length * days)


def business_days_before(calendar: WorkCalendar, moment: dt.datetime, days: float) -> dt.datetime:
    """The moment `days` working days before `moment`: the working time between the two is
    exactly `days` day lengths (the inverse of `add_business_days`). For "waiting longer
    than N business days": anything that started before this moment has."""
    remaining = calendar.day_length * days
    local_day = moment.astimezone(calendar.zone).date() + dt.timedelta(days=1)
    for offset in range(MAX_DAYS_SCANNED):
        bounds = calendar.window(local_day - dt.timedelta(days=offset))
        if not bounds or bounds[0] >= moment:
            continue
        end = min(bounds[1], moment)
        if remaining <= end - bounds[0]:
            return end - remaining
        remaining -= end - bounds[0]
    raise NoWorkingTimeError("Not enough working time in the scanned range.")


def working_time_between(
    calendar: WorkCalendar, start: dt.datetime, end: dt.datetime
) -> dt.timedelta:
    """Working time in [start, end): how long something has waited in business time."""
    if end <= start:
        return dt.timedelta(0)
    total = dt.timedelta(0)
    for window_start, window_end in _iter_windows(calendar, start):
        if window_start >= end:
            break
        total += min(window_end, end) - max(window_start, start)
    return total


class WorkingRuler:
    """Working time between many pairs of moments in one calendar, each in O(log n): the
    calendar's windows over a span are listed once with the working time before each, so a
    page that sums the waits of thousands of candidates does not walk their days one by one.
    Moments outside the span are clamped to it. Windows are kept as POSIX seconds: comparing
    floats is several times cheaper than comparing aware datetimes."""

    def __init__(self, calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> None:
        self.calendar = calendar
        length = calendar.day_length.total_seconds()
        self.per_day = 1 / length if length > 0 else 0.0  # business days per working second
        self._starts: list[float] = []
        self._ends: list[float] = []
        self._before: list[float] = []  # working seconds before each window
        total = 0.0
        try:
            for window_start, window_end in _iter_windows(calendar, start):
                if window_start >= end:
                    break
                begin, finish = window_start.timestamp(), window_end.timestamp()
                self._starts.append(begin)
                self._ends.append(finish)
                self._before.append(total)
                total += finish - begin
        except NoWorkingTimeError:
            pass  # a calendar without working time: every span is worth nothing

    def until(self, moment: dt.datetime) -> float:
        """Working seconds from the ruler's first window to `moment` (differences of two
        are working time between them)."""
        return self.until_stamp(moment.timestamp())

    def until_stamp(self, stamp: float) -> float:
        """The same for a moment given in POSIX seconds (as SQL can give it, unparsed)."""
        i = bisect.bisect_right(self._starts, stamp) - 1
        if i < 0:
            return 0.0
        return self._before[i] + min(stamp, self._ends[i]) - self._starts[i]

    def seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """As `working_time_between(calendar, start, end)`, in seconds."""
        return max(0.0, self.until(end) - self.until(start)) if end > start else 0.0

    def days_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """The same in business days (the calendar's day length each)."""
        return self.seconds_between(start, end) * self.per_day

    def to_days(self, seconds: float) -> float:
        """Working seconds in business days of this calendar."""
        return seconds * self.per_day


def is_working_moment(calendar: WorkCalendar, moment: dt.datetime) -> bool:
    """True when `moment` falls inside a working window (start inclusive, end exclusive)."""
    for start, end in _iter_windows(calendar, moment):
        return start <= moment < end
    return False


def people_not_working(
    people: Iterable[User], start: dt.datetime, end: dt.datetime
) -> list[tuple[User, dt.datetime]]:
    """Who among `people` is not working for all of [start, end) by their own calendar (a
    weekend, a night, a holiday), each with the start in their own zone: what a booking
    warns about."""
    last = max(start, end - dt.timedelta(minutes=1))
    off = []
    for person in people:
        calendar = calendar_for(person)
        if not (is_working_moment(calendar, start) and is_working_moment(calendar, last)):
            off.append((person, start.astimezone(calendar.zone)))
    return off


@dataclass(frozen=True)
class OffTime:
    """Why a meeting falls outside one person's working time, in words: a sentence for its
    page ("Fri 25 Dec is a public holiday for Ivy Morgan (Christmas Day)") and a short note
    for a list's row ("Christmas Day for Ivy Morgan")."""

    person: User
    sentence: str
    note: str


def _zone_city(zone: str) -> str:
    """ "New York" for "America/New_York"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def people_off_time(
    people: Iterable[User], start: dt.datetime, end: dt.datetime, *, reader: User | None = None
) -> list[OffTime]:
    """Who among `people` a meeting at [start, end) falls outside the working time of, and
    why, by the rule a booking warns with (`people_not_working`, and out of office); `reader`
    is named "you". In the order of `people`: an interview's, a mentoring session's."""
    people = list(people)
    off = {person.pk: local for person, local in people_not_working(people, start, end)}
    said = []
    for person in people:
        you = reader is not None and person.pk == reader.pk
        name, whose = ("you", "your") if you else (person.full_name, f"{person.full_name}'s")
        if person.is_out_of_office(start):
            who = "You are" if you else f"{person.full_name} is"
            said.append(OffTime(person, f"{who} out of office then", f"{who} out of office"))
        elif person.pk in off:
            said.append(_off_time(person, off[person.pk], end, name=name, whose=whose))
    return said


def _off_time(
    person: User, local: dt.datetime, end: dt.datetime, *, name: str, whose: str
) -> OffTime:
    calendar = calendar_for(person)
    day = local.date()
    if not calendar.is_working_day(day):
        closure = closure_name(day) if day in calendar.closed_days else None
        if closure and day.weekday() in calendar.work_days:
            return OffTime(
                person,
                f"{local:%a %d %b} is an office closure ({closure})",
                f"{closure} (office closed)",
            )
        public = _holidays_for(calendar.holiday_country, calendar.holiday_subdivision)
        holiday = public.get(day) if public is not None else None
        if holiday and day.weekday() in calendar.work_days:
            return OffTime(
                person,
                f"{local:%a %d %b} is a public holiday for {name} ({holiday})",
                f"{holiday} for {name}",
            )
        return OffTime(
            person, f"{local:%a %d %b} is not a working day for {name}", f"Day off for {name}"
        )
    hours = (
        f"{calendar.work_start:%H:%M}–{calendar.work_end:%H:%M} {_zone_city(calendar.time_zone)}"
    )
    if local.time() < calendar.work_start:
        sentence = f"{local:%H:%M} is before {whose} working hours ({hours})"
        return OffTime(person, sentence, f"Before {whose} working hours")
    if local.time() >= calendar.work_end:
        sentence = f"{local:%H:%M} is after {whose} working hours ({hours})"
    else:
        ends = end.astimezone(calendar.zone)
        sentence = f"It runs until {ends:%H:%M}, past the end of {whose} working hours ({hours})"
    return OffTime(person, sentence, f"After {whose} working hours")


def people_not_working_weekly(
    people: Iterable[User], start: dt.datetime, end: dt.datetime
) -> list[tuple[User, dt.datetime]]:
    """As `people_not_working`, for a meeting that recurs each week at [start, end): only
    the working days and hours count, not a public holiday, an office closure or an absence
    that one week happens to bring (the next week's meeting falls in working time again)."""
    last = max(start, end - dt.timedelta(minutes=1))
    off = []
    for person in people:
        calendar = replace(
            calendar_for(person),
            holiday_country="",
            holiday_subdivision="",
            closed_days=frozenset(),
        )
        if not (is_working_moment(calendar, start) and is_working_moment(calendar, last)):
            off.append((person, start.astimezone(calendar.zone)))
    return off


def not_working_words(off: Iterable[tuple[User, dt.datetime]]) -> str:
    """What `people_not_working` (or its weekly form) found, as a meeting's warning says it:
    "Outside the working hours of Rita Ramos (Tue 23:30, Europe/London)." ("" for nobody).
    The intake's cadence step and a touch-base moved on its own word it alike."""
    named = listed(
        f"{person.full_name} ({local:%a %H:%M}, {person.time_zone or 'UTC'})"
        for person, local in off
    )
    return f"Outside the working hours of {named}." if named else ""


def working_time_left_words(calendar: WorkCalendar, span: dt.timedelta) -> str:
    """The working time left before a due time: "2 business days", "1 business day 5 h",
    "3 business hours", "20 business min"; "" when none is left (due at the start of the
    next working day, read the night before): the caller gives the due time instead.

    Rounded up, not down: right after a two-day ask opens it is due "in 2 business days",
    not "in 1" (a floor would drop the day the first second after it opened).
    """
    hour = dt.timedelta(hours=1)
    minutes = math.ceil(span.total_seconds() / 60)
    if minutes <= 0:
        return ""
    if minutes < 60:
        return f"{minutes} business min"
    left = math.ceil(span / hour) * hour
    days = int(left / calendar.day_length)
    rest = math.ceil((left - days * calendar.day_length) / hour)
    if not days:
        return f"{rest} business hour{'s' if rest != 1 else ''}"
    words = f"{days} business day{'s' if days != 1 else ''}"
    return f"{words} {rest} h" if rest else words


def working_time_taken_words(calendar: WorkCalendar, span: dt.timedelta) -> str:
    """A working time already taken (a response time): "1 business day 3 h", "3 business
    hours", "20 business min", to the nearest hour (minute below an hour), so the words and
    the exact figure beside them (a CSV's hours) never disagree by more than half an hour.
    A time left is rounded up instead (`working_time_left_words`). Under half a business
    minute (none at all, for an answer given at the weekend) is "under a business minute",
    never "1 business min"."""
    hour = dt.timedelta(hours=1)
    minutes = round(span.total_seconds() / 60)
    if minutes < 1:
        return "under a business minute"
    if minutes < 60:
        return f"{minutes} business min"
    taken = round(span / hour) * hour
    days = int(taken / calendar.day_length)
    rest = round((taken - days * calendar.day_length) / hour)
    if not days:
        return f"{rest} business hour{'s' if rest != 1 else ''}"
    words = f"{days} business day{'s' if days != 1 else ''}"
    return f"{words} {rest} h" if rest else words


def working_time_words(calendar: WorkCalendar, span: dt.timedelta, *, finest: str = "hour") -> str:
    """A working-time span in words, rounded down: "3 business days", "5 business hours",
    "20 business min".

    Whole working days first; below a day, `finest` says how far down to go: "hour",
    "minute", or "day" ("less than a business day"). Less than one business hour (or minute)
    is "": none at all may have passed (due Friday 17:00, read on Sunday), and "1 business
    min" would say it had. Callers say since when instead (`overdue_words`, `waited_words`).
    """
    days = int(span / calendar.day_length)
    if days:
        return f"{days} business day{'s' if days != 1 else ''}"
    if finest == "day":
        return "less than a business day"
    hours = int(span.total_seconds() // 3600)
    if hours:
        return f"{hours} business hour{'s' if hours != 1 else ''}"
    minutes = int(span.total_seconds() // 60) if finest == "minute" else 0
    return f"{minutes} business min" if minutes else ""


def overdue_words(
    calendar: WorkCalendar, due_at: dt.datetime, now: dt.datetime, zone: dt.tzinfo | None = None
) -> str:
    """How late something due at `due_at` is at `now`, as every page says it: the working
    time since, rounded down to the minute ("2 business days overdue", "31 business min
    overdue"), or "overdue since Fri 04 Dec 17:00" (in `zone`, else the current time zone:
    the reader's) while not one business minute has passed: it fell due as a working day
    ended, and it is night or the weekend."""
    late = working_time_between(calendar, due_at, now)
    words = working_time_words(calendar, late, finest="minute")
    return f"{words} overdue" if words else f"overdue since {absolute(due_at, zone)}"


def waited_words(
    calendar: WorkCalendar,
    since: dt.datetime,
    now: dt.datetime,
    *,
    finest: str = "hour",
    lead: str = "",
    zone: dt.tzinfo | None = None,
) -> str:
    """How long something has waited since `since`, to follow "waiting": the working time
    rounded down (`lead` before it: "for 3 business days"), or "since Sun 06 Dec 03:57" (in
    `zone`, else the current time zone) while less than one business `finest` unit of it
    has passed (asked at night, read before the working day began)."""
    span = working_time_between(calendar, since, now)
    words = working_time_words(calendar, span, finest=finest)
    return f"{lead}{words}" if words else f"since {absolute(since, zone)}"


def wait_words(
    calendar: WorkCalendar, since: dt.datetime, now: dt.datetime, zone: dt.tzinfo | None = None
) -> str:
    """How long a candidate has waited since `since`, to follow "waiting", as My queue says
    it — the time since, then the moment it began (in `zone`, else the current time zone) —
    with the business time the due times count in beside it: "6 days (4 business days 6 h)
    since Mon 30 Nov 10:45"; "5 h since Sun 06 Dec 03:57" before a business hour has passed."""
    business = working_time_words(calendar, working_time_between(calendar, since, now))
    return (
        duration_short(now - since)
        + (f" ({business})" if business else "")
        + f" since {absolute(since, zone)}"
    )
