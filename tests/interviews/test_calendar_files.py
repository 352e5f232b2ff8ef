"""Interview emails carry .ics files a standard parser reads with the right times: booked
(REQUEST), rescheduled (same UID, higher SEQUENCE), cancelled (CANCEL). Sent for real
through a local SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import socket
import zoneinfo

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from interview_helpers import book

from closeloop.interviews.services import Slot, interview_cancel, interview_reschedule
from closeloop.notify.models import Message
from closeloop.notify.outbox import deliver_due

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


class Sink:
    def __init__(self) -> None:
        self.received: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_sink(settings):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_ENABLED = True
    yield sink
    controller.stop()


def _calendars(sink, to: str) -> list[tuple[str, Calendar]]:
    """(content type, parsed calendar) of every text/calendar part mailed to `to`."""
    found = []
    for mail in sink.received:
        if to not in mail["To"]:
            continue
        for part in mail.walk():
            if part.get_content_type() == "text/calendar":
                found.append(
                    (part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True)))
                )
    return found


def _event(calendar: Calendar):
    return next(iter(calendar.walk("VEVENT")))


def test_a_booking_in_berlin_reaches_the_panel_with_the_right_local_time(
    world, technical, jonas, smtp_sink
):
    starts = dt.datetime(2026, 11, 25, 14, 0, tzinfo=BERLIN)  # 13:00 UTC
    interview = book(world, technical, [world.ivy], starts, zone="Europe/Berlin")
    deliver_due(worker="test")
    [(content_type, calendar)] = _calendars(smtp_sink, "ivy@example.com")
    assert content_type == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    event = _event(calendar)
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Berlin" and start.hour == 14
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 11, 25, 13, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=60)  # the round's length
    assert str(event["UID"]) == f"interview-{interview.pk}@closeloop"
    assert int(event["SEQUENCE"]) == 0
    assert any(c.name == "VTIMEZONE" for c in calendar.walk())
    assert (
        "mailto:ivy@example.com" in [str(a) for a in event.get("ATTENDEE", [])]
        or str(event.get("ATTENDEE")) == "mailto:ivy@example.com"
    )


def test_the_time_is_said_once_to_whoever_reads_it_on_the_same_clock(world, technical):
    """Ivy works in Berlin: "14:00 your time (14:00 (Europe/Berlin))" said it twice."""
    from closeloop.notify.models import Message

    world.ivy.time_zone = "Europe/Berlin"
    world.ivy.save()
    starts = dt.datetime(2026, 11, 25, 14, 0, tzinfo=BERLIN)
    book(world, technical, [world.ivy], starts, zone="Europe/Berlin")
    ivys = Message.objects.get(recipient=world.ivy, template="interview-invitation").body_text
    assert "When: Wed 25 Nov 14:00 (Europe/Berlin)\n" in ivys
    ritas = Message.objects.get(recipient=world.rita, template="interview-invitation").body_text
    assert "your time (Wed 25 Nov 14:00 (Europe/Berlin))" in ritas


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(world, technical, jonas, smtp_sink):
    interview = book(world, technical, [world.ivy], dt.datetime(2026, 11, 25, 14, 0, tzinfo=BERLIN),
                     zone="Europe/Berlin")  # fmt: skip
    new_start = dt.datetime(2026, 11, 26, 9, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    interview_reschedule(
        interview=interview,
        by=world.rita,
        slot=Slot(starts_at=new_start, time_zone="America/New_York", interviewers=[world.ivy],
                  location="Zoom", video_url="https://zoom.example/j/1"),
        reason="Candidate asked for the morning",
    )  # fmt: skip
    deliver_due(worker="test")
    calendars = [cal for _, cal in _calendars(smtp_sink, "ivy@example.com")]
    assert len(calendars) == 2
    first, second = (_event(cal) for cal in calendars)
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1 == 1
    start = second.decoded("DTSTART")
    assert str(start.tzinfo) == "America/New_York" and (start.hour, start.minute) == (9, 30)
    assert start.astimezone(dt.UTC).hour == 14  # EST is UTC-5 in November
    updated = Message.objects.filter(recipient=world.ivy).order_by("-pk").first()
    assert updated.subject.startswith("Updated:")
    # Ivy reads it in UTC: where it was, so nobody has to search their calendar for it.
    assert ", moved from Wed 25 Nov 13:00\n" in updated.body_text


def test_a_cancellation_sends_cancel_with_the_same_uid(world, technical, jonas, smtp_sink):
    starts = dt.datetime(2026, 11, 25, 14, 0, tzinfo=BERLIN)
    interview = book(world, technical, [world.ivy, jonas], starts, zone="Europe/Berlin")
    interview_cancel(interview=interview, by=world.rita, reason="Candidate withdrew")
    deliver_due(worker="test")
    for address in ("ivy@example.com", "jonas@example.com"):
        (_, request), (content_type, cancel) = _calendars(smtp_sink, address)
        assert content_type == "CANCEL" and cancel["METHOD"] == "CANCEL"
        event = _event(cancel)
        assert str(event["UID"]) == str(_event(request)["UID"])
        assert int(event["SEQUENCE"]) == 1 and str(event["STATUS"]) == "CANCELLED"


def test_someone_taken_off_the_panel_gets_a_cancellation_the_others_an_update(
    world, technical, jonas
):
    starts = dt.datetime(2026, 11, 25, 14, 0, tzinfo=BERLIN)
    interview = book(world, technical, [world.ivy, jonas], starts, zone="Europe/Berlin")
    interview_reschedule(
        interview=interview,
        by=world.rita,
        slot=Slot(starts_at=interview.starts_at, time_zone="Europe/Berlin",
                  interviewers=[world.ivy], location="Room 2"),
    )  # fmt: skip
    jonas_last = Message.objects.filter(recipient=jonas).order_by("-pk").first()
    ivy_last = Message.objects.filter(recipient=world.ivy).order_by("-pk").first()
    assert jonas_last.template == "interview-cancelled"
    assert "method=CANCEL" in jonas_last.attachments[0]["content_type"]
    assert ivy_last.template == "interview-invitation"
    assert "METHOD:REQUEST" in ivy_last.attachments[0]["content"]


def test_the_interview_page_offers_the_calendar_file(client, world, interview):
    client.force_login(world.ivy)
    from django.urls import reverse

    response = client.get(reverse("interviews:interview-ics", args=[interview.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = _event(Calendar.from_ical(response.content))
    assert event.decoded("DTSTART").astimezone(dt.UTC) == interview.starts_at
    client.force_login(world.olga)
    assert client.get(reverse("interviews:interview-ics", args=[interview.pk])).status_code == 404


def test_an_update_of_only_the_notes_says_what_changed(world, technical, jonas):
    """Nothing moved: the team's email says the notes changed (their text is the panel's)
    and a new place reads old → new, so nobody compares the email with the last one."""
    starts = dt.datetime(2026, 11, 25, 14, 0, tzinfo=BERLIN)
    interview = book(world, technical, [world.ivy], starts, zone="Europe/Berlin")
    interview_reschedule(
        interview=interview,
        by=world.rita,
        slot=Slot(starts_at=interview.starts_at, time_zone="Europe/Berlin",
                  interviewers=[world.ivy], location=interview.location, notes="Probe on-call."),
    )  # fmt: skip
    hank_last = Message.objects.filter(recipient=world.hank).order_by("-pk").first()
    assert "What changed: notes changed." in hank_last.body_text
    assert "What changed: notes changed." in hank_last.body_html
    interview_reschedule(
        interview=interview,
        by=world.rita,
        slot=Slot(starts_at=interview.starts_at, time_zone="Europe/Berlin",
                  interviewers=[world.ivy, jonas], location="Room 4", notes="Probe on-call."),
    )  # fmt: skip
    ivy_last = Message.objects.filter(recipient=world.ivy).order_by("-pk").first()
    assert (
        f"What changed: {jonas.full_name} joined; location: Berlin office, room 2 → Room 4."
    ) in ivy_last.body_text


def test_the_interview_calendar_file_answers_head(client, world, interview):
    from django.urls import reverse

    client.force_login(world.ivy)
    response = client.head(reverse("interviews:interview-ics", args=[interview.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response.content == b""
