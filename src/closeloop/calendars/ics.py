"""Calendar files (RFC 5545) from CalendarEvents, with icalendar.

Used for email attachments (METHOD:REQUEST / CANCEL) and for the personal feeds (no
METHOD). Times are written in the event's own time zone with a VTIMEZONE, so calendars
show the right local time across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import replace

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vRecur

from closeloop.calendars.sources import CalendarEvent

PRODID = "-//Closeloop//Closeloop//EN"


def _address(email: str, names: dict[str, str]) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name := names.get(email):
        address.params["CN"] = name
    return address


def _event(item: CalendarEvent, method: str | None) -> Event:
    zone = zoneinfo.ZoneInfo(item.time_zone or "UTC")
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", item.summary)
    event.add("dtstart", item.starts_at.astimezone(zone))
    event.add("dtend", item.ends_at.astimezone(zone))
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    if item.rrule:
        event.add("rrule", vRecur(item.rrule))
        for moment in item.exdates:
            # In the event's own zone, as DTSTART is: EXDATE must match an occurrence's start.
            event.add("exdate", moment.astimezone(zone))
    names = dict(item.names)
    if item.organizer_email:
        event.add("organizer", _address(item.organizer_email, names))
    for email in item.attendee_emails:
        attendee = _address(email, names)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        if method == "REQUEST":
            # An invitation asks each attendee for an answer; the organizer invites.
            if email == item.organizer_email:
                attendee.params["PARTSTAT"] = "ACCEPTED"
            else:
                attendee.params["PARTSTAT"] = "NEEDS-ACTION"
                attendee.params["RSVP"] = "TRUE"
        event.add("attendee", attendee)
    for email in item.observer_emails:
        observer = _address(email, names)
        observer.params["ROLE"] = "NON-PARTICIPANT"
        if method == "REQUEST":
            observer.params["RSVP"] = "FALSE"  # for information: no answer asked
        event.add("attendee", observer)
    return event


def _moved_event(
    item: CalendarEvent,
    occurrence: tuple[dt.datetime, dt.datetime, dt.datetime],
    method: str | None,
) -> Event:
    """One occurrence of a series at another time (RFC 5545 3.8.4.4): the series' UID and
    SEQUENCE, RECURRENCE-ID the start it replaces (in the series' zone, as DTSTART is), its
    own DTSTART and DTEND."""
    slot, starts_at, ends_at = occurrence
    event = _event(
        replace(item, starts_at=starts_at, ends_at=ends_at, rrule=None, exdates=(), moved=()),
        method,
    )
    event.add("recurrence-id", slot.astimezone(zoneinfo.ZoneInfo(item.time_zone or "UTC")))
    return event


def calendar_text(events: list[CalendarEvent], *, method: str | None = None, name: str = "") -> str:
    """An iCalendar file with the events; `method` REQUEST or CANCEL for email invitations."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for item in events:
        calendar.add_component(_event(item, method))
        if item.rrule and not item.cancelled:
            for occurrence in item.moved:
                calendar.add_component(_moved_event(item, occurrence, method))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
