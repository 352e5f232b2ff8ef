"""Calendar files name their people: ATTENDEE and ORGANIZER carry CN=<full name>, and an
invitation (METHOD:REQUEST) asks each invited attendee for an answer (PARTSTAT=NEEDS-ACTION,
RSVP=TRUE); a published file or a feed asks nobody for one."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from icalendar import Calendar

from closeloop.calendars.ics import calendar_text
from closeloop.calendars.sources import CalendarEvent, people_names

START = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)


def _event(world, **kwargs) -> CalendarEvent:
    return CalendarEvent(
        uid="x-1@closeloop", sequence=0, summary="Touch-base", starts_at=START,
        ends_at=START + dt.timedelta(minutes=30),
        organizer_email=world.rita.email,
        attendee_emails=(world.rita.email, world.hank.email),
        names=people_names(world.rita, world.hank), **kwargs,
    )  # fmt: skip


def _attendees(text: str) -> dict[str, dict[str, str]]:
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    rows = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    return {str(row): dict(row.params) for row in rows}


def test_an_invitation_names_each_attendee_and_asks_for_an_answer(world):
    text = calendar_text([_event(world)], method="REQUEST")
    attendees = _attendees(text)
    hank = attendees["mailto:hank@example.com"]
    assert hank["CN"] == world.hank.full_name
    assert hank["ROLE"] == "REQ-PARTICIPANT"
    assert hank["PARTSTAT"] == "NEEDS-ACTION" and hank["RSVP"] == "TRUE"
    # The organizer invites; she is not asked to answer her own invitation.
    rita = attendees["mailto:rita@example.com"]
    assert rita["CN"] == world.rita.full_name
    assert rita["PARTSTAT"] == "ACCEPTED" and "RSVP" not in rita
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    assert event["ORGANIZER"].params["CN"] == world.rita.full_name


def test_a_published_file_names_them_and_asks_nothing(world):
    for method in ("PUBLISH", None, "CANCEL"):
        attendees = _attendees(calendar_text([_event(world)], method=method))
        hank = attendees["mailto:hank@example.com"]
        assert hank["CN"] == world.hank.full_name
        assert "RSVP" not in hank and "PARTSTAT" not in hank


def test_a_name_with_a_comma_survives_the_round_trip(world):
    world.hank.full_name = "Hill, Hank; Jr."
    text = calendar_text([_event(world)], method="REQUEST")
    assert _attendees(text)["mailto:hank@example.com"]["CN"] == "Hill, Hank; Jr."


def test_someone_kept_informed_is_listed_as_such_and_asked_nothing(world):
    event = replace(
        _event(world),
        observer_emails=(world.ivy.email,),
        names=people_names(world.rita, world.hank, world.ivy),
    )
    ivy = _attendees(calendar_text([event], method="REQUEST"))["mailto:ivy@example.com"]
    assert ivy == {"CN": world.ivy.full_name, "ROLE": "NON-PARTICIPANT", "RSVP": "FALSE"}
