"""What goes on a person's calendar feed: each feature registers a source of events.

A source is `fn(user, start, end) -> Iterable[CalendarEvent]` returning the events of that
user between two moments (interviews, debriefs, touch-bases). The feed view joins them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from closeloop.accounts.models import User


@dataclass(frozen=True)
class CalendarEvent:
    """One event as calendars see it.

    `uid` is stable for the life of the thing it describes ("interview-12@closeloop") and
    `sequence` increases with every change, so a reschedule or cancellation replaces the
    event in the attendee's calendar instead of adding another. Times are aware datetimes;
    `time_zone` (IANA name) is the zone the event is written in. `rrule` is an RFC 5545
    recurrence dict for series, e.g. {"FREQ": "WEEKLY", "BYDAY": "MO"}; `exdates` the
    starts of the occurrences that do not take place (EXDATE), so calendars drop those dates;
    `moved` the occurrences that take place at another time, each (its start in the series,
    its new start, its new end): written as VEVENTs of the same UID with that RECURRENCE-ID.
    """

    uid: str
    sequence: int
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str = "UTC"
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    rrule: dict[str, object] | None = None
    exdates: tuple[dt.datetime, ...] = ()
    moved: tuple[tuple[dt.datetime, dt.datetime, dt.datetime], ...] = ()
    organizer_email: str = ""
    attendee_emails: tuple[str, ...] = ()
    # Kept informed, not invited (RFC 5545 ROLE=NON-PARTICIPANT): the hiring team of an
    # interview they do not sit on, who get its invitation so their calendar shows it.
    observer_emails: tuple[str, ...] = ()
    # (email, full name) of the organizer and attendees: the CN calendars show for each
    # address (`people_names`); an address without one is written bare.
    names: tuple[tuple[str, str], ...] = ()


def people_names(*people: User | None) -> tuple[tuple[str, str], ...]:
    """(email, full name) for each person given, for `CalendarEvent.names`."""
    return tuple(
        (person.email, person.full_name) for person in people if person and person.full_name
    )


# How far ahead calendar feeds reach: at least as far as anything can be booked (interviews
# and debrief meetings: two years).
CALENDAR_HORIZON = dt.timedelta(days=2 * 366 + 7)

Source = Callable[["User", dt.datetime, dt.datetime], Iterable[CalendarEvent]]
SOURCES: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    """Add a feature's events to every personal calendar feed (call from AppConfig.ready)."""
    SOURCES[name] = source


def events_for(user: User, start: dt.datetime, end: dt.datetime) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    for source in SOURCES.values():
        events.extend(source(user, start, end))
    return sorted(events, key=lambda event: event.starts_at)
