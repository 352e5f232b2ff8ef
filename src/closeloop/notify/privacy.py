"""What the outbox holds about a candidate, for erasure and access requests
(pipeline.privacy calls these). Messages go to people who use Closeloop, never to a
candidate, so a message is about a candidate when its subject, body or attachments name them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from icalendar import Calendar, vText

from closeloop.lib.scrub import Scrubber, json_as_text
from closeloop.notify.models import Message

# What a calendar file keeps of each event when it names the person: what calendars need to
# find the event and take it out (RFC 5546: its UID, SEQUENCE, times, organiser, attendees and
# status) and its summary with the name replaced. Free text that may say more about them (a
# description with the briefing notes, a meeting link named after them) goes.
CALENDAR_EVENT_KEPT = frozenset(
    {
        "UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "RRULE",
        "RECURRENCE-ID", "STATUS", "ORGANIZER", "ATTENDEE", "SUMMARY",
    }
)  # fmt: skip


def _unfolded(attachments: list[dict[str, Any]]) -> str:
    """The attachments' text with folded lines joined again (an .ics folds at 75 octets,
    which may split a name across two lines)."""
    text = "\n".join(str(item.get("content", "")) for item in attachments or [])
    return text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "")


def _mentioning(scrubber: Scrubber) -> QuerySet[Message]:
    """Messages that name the person: in the subject or a body, or in an attachment (read
    unfolded, in Python: only messages with attachments, and only when erasing)."""
    folded = [
        message.pk
        for message in Message.objects.exclude(attachments=[])
        .only("pk", "attachments")
        .iterator(chunk_size=500)
        if scrubber.found_in(_unfolded(message.attachments))
    ]
    return Message.objects.annotate(attachments_text=json_as_text("attachments")).filter(
        scrubber.q("subject", "body_text", "body_html", "attachments_text") | Q(pk__in=folded)
    )


def _calendar_scrubbed(item: dict[str, Any], scrubber: Scrubber) -> dict[str, Any] | None:
    """A calendar attachment without the person (`CALENDAR_EVENT_KEPT`): a cancellation still
    takes the event out of its attendees' calendars. None when it cannot be read, or still
    names them (in an attendee's address, say)."""
    try:
        calendar = Calendar.from_ical(str(item.get("content", "")))
    except ValueError:
        return None
    for event in calendar.walk("VEVENT"):
        for name in [name for name in event if name.upper() not in CALENDAR_EVENT_KEPT]:
            del event[name]
        if "SUMMARY" in event:
            event["SUMMARY"] = vText(scrubber.text(str(event["SUMMARY"])))
    content = calendar.to_ical().decode()
    if scrubber.found_in(_unfolded([{"content": content}])):
        return None
    return {**item, "content": content}


def _attachments_scrubbed(attachments: list[dict[str, Any]], scrubber: Scrubber) -> list[Any]:
    """A message's attachments once it named the person: its calendar files, without them
    where they name them (erasing must not leave the event in calendars under their name,
    nor lose the cancellation that takes it out); the other files are dropped."""
    kept = [
        item if not scrubber.found_in(_unfolded([item])) else _calendar_scrubbed(item, scrubber)
        for item in attachments or []
        if str(item.get("content_type", "")).lower().startswith("text/calendar")
    ]
    return [item for item in kept if item is not None]


def messages_scrub(*, scrubber: Scrubber) -> int:
    """Take the person out of every message that names them: the mention leaves the subject
    and both bodies, a calendar file keeps only what calendars need (an interview called off
    by the erasure still leaves its interviewers' calendars) and other attachments are
    dropped. The message rows and their deliveries stay, so the Outbox and its counts still
    add up. Returns how many messages changed."""
    changed = []
    for message in (
        _mentioning(scrubber)
        .only("pk", "subject", "body_text", "body_html", "attachments", "data")
        .iterator(chunk_size=200)
    ):
        message.subject = scrubber.text(message.subject)[:300]
        message.body_text = scrubber.text(message.body_text)
        message.body_html = scrubber.text(message.body_html)
        message.attachments = _attachments_scrubbed(message.attachments, scrubber)
        message.data = scrubber.json(message.data)
        changed.append(message)
    Message.objects.bulk_update(
        changed, ["subject", "body_text", "body_html", "attachments", "data"], batch_size=200
    )
    return len(changed)


def messages_export(*, scrubber: Scrubber) -> Iterator[dict[str, Any]]:
    """Every message that names the person, oldest first: when and to whom, its subject, and
    the lines of its body that name them (a weekly update lists dozens of other candidates:
    those lines are theirs, not this person's), with its attachments' names. Other people
    the scrubber knows are left out of the subject and lines (`Scrubber.without_others`)."""
    rows = _mentioning(scrubber).select_related("recipient").order_by("created_at", "pk")
    for message in rows.iterator(chunk_size=200):
        yield {
            "created_at": message.created_at.isoformat(),
            "to": str(message.recipient),
            "subject": scrubber.without_others(message.subject),
            "lines_naming_them": scrubber.lines_naming(message.body_text),
            "attachments": [item.get("filename", "") for item in message.attachments or []],
        }
