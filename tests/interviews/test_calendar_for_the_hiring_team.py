"""The hiring team's calendars: the hiring manager and the recruiter get every interview of
their jobs, by email and on their calendar feed, including the one they booked themselves, and
the feed reaches as far ahead as an interview can be booked."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar
from interview_helpers import book

from closeloop.calendars.services import feed_issue
from closeloop.interviews.services import (
    MAX_AHEAD,
    Slot,
    interview_cancel,
    interview_reschedule,
)
from closeloop.notify.models import Message

TUESDAY_14 = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


def feed_uids(client, user) -> set[str]:
    url = feed_issue(user=user)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path)
    assert response.status_code == 200
    return {str(event["UID"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


def invitations(user, template="interview-invitation") -> list[Message]:
    return list(Message.objects.filter(recipient=user, template=template).order_by("pk"))


def ics_method(message: Message) -> str:
    [attachment] = message.attachments
    return str(Calendar.from_ical(attachment["content"])["METHOD"])


def test_the_hiring_manager_has_his_jobs_interviews_on_his_feed(client, world, technical):
    interview = book(world, technical, [world.ivy], TUESDAY_14)
    assert f"interview-{interview.pk}@closeloop" in feed_uids(client, world.hank)


def test_the_recruiter_has_her_jobs_interviews_on_her_feed(client, world, technical):
    interview = book(world, technical, [world.ivy], TUESDAY_14)
    assert f"interview-{interview.pk}@closeloop" in feed_uids(client, world.rita)


def test_someone_outside_the_job_does_not_get_its_interviews(client, world, technical):
    interview = book(world, technical, [world.ivy], TUESDAY_14)
    assert f"interview-{interview.pk}@closeloop" not in feed_uids(client, world.olga)


def test_a_cancelled_interview_stays_on_the_managers_feed_marked_cancelled(
    client, world, technical
):
    interview = book(world, technical, [world.ivy], TUESDAY_14)
    interview_cancel(interview=interview, by=world.rita, reason="Candidate withdrew")
    url = feed_issue(user=world.hank)
    calendar = Calendar.from_ical(client.get("/" + url.split("://", 1)[1].split("/", 1)[1]).content)
    uid = f"interview-{interview.pk}@closeloop"
    [event] = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid]
    assert str(event["STATUS"]) == "CANCELLED"


def test_an_interview_booked_as_far_ahead_as_allowed_is_on_the_feed(client, world, technical):
    far = timezone.now() + MAX_AHEAD - dt.timedelta(hours=2)
    interview = book(world, technical, [world.ivy], far)
    assert f"interview-{interview.pk}@closeloop" in feed_uids(client, world.ivy)
    assert f"interview-{interview.pk}@closeloop" in feed_uids(client, world.hank)


def test_the_recruiter_who_books_gets_her_own_copy_of_the_invitation(world, technical):
    book(world, technical, [world.ivy], TUESDAY_14, by=world.rita)
    [copy] = invitations(world.rita)
    assert ics_method(copy) == "REQUEST"
    assert "You booked the" in copy.body_text
    [hanks] = invitations(world.hank)
    assert ics_method(hanks) == "REQUEST"
    assert "Rita Recruiter booked the" in hanks.body_text


def test_the_manager_who_reschedules_gets_the_updated_invitation_too(world, technical):
    interview = book(world, technical, [world.ivy], TUESDAY_14, by=world.rita)
    interview_reschedule(
        interview=interview,
        by=world.hank,
        slot=Slot(
            starts_at=TUESDAY_14 + dt.timedelta(days=1),
            time_zone="UTC",
            interviewers=[world.ivy],
            location="Room 2",
        ),
    )
    assert len(invitations(world.hank)) == 2
    assert len(invitations(world.rita)) == 2


def test_the_recruiter_who_cancels_gets_the_cancellation_for_her_calendar(world, technical):
    interview = book(world, technical, [world.ivy], TUESDAY_14, by=world.rita)
    interview_cancel(interview=interview, by=world.rita, reason="Candidate withdrew")
    [cancellation] = invitations(world.rita, template="interview-cancelled")
    assert ics_method(cancellation) == "CANCEL"


def _attendees(message: Message) -> dict[str, dict[str, str]]:
    [attachment] = message.attachments
    (event,) = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    rows = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    return {str(row): dict(row.params) for row in rows}


def test_the_hiring_managers_copy_lists_him_kept_informed_not_invited(world, technical):
    """hank is not on ivy's panel but gets the booking with its calendar entry: it lists him
    as kept informed (a calendar shown a REQUEST that does not list its reader treats it
    each its own way), and the cancellation likewise; rita booked it: she organises."""
    interview = book(world, technical, [world.ivy], TUESDAY_14, by=world.rita)
    [booked] = invitations(world.hank)
    people = _attendees(booked)
    assert people["mailto:hank@example.com"] == {
        "CN": world.hank.full_name, "ROLE": "NON-PARTICIPANT", "RSVP": "FALSE"
    }  # fmt: skip
    assert people["mailto:ivy@example.com"]["RSVP"] == "TRUE"
    assert "mailto:rita@example.com" not in people
    interview_cancel(interview=interview, by=world.rita, reason="Candidate ill")
    [cancelled] = invitations(world.hank, template="interview-cancelled")
    assert _attendees(cancelled)["mailto:hank@example.com"]["ROLE"] == "NON-PARTICIPANT"
