"""What the outbox holds about a candidate, for erasure and access requests
(pipeline.privacy calls these). Messages go to people who use Closeloop, never to a
candidate, so a message is about a candidate when its subject, body or attachments name them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet

from closeloop.lib.scrub import Scrubber, json_as_text
from closeloop.notify.models import Message


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


def messages_scrub(*, scrubber: Scrubber) -> int:
    """Take the person out of every message that names them: the mention leaves the subject
    and both bodies, and the attachments (an interview's .ics, whose folded lines may split
    a name) are dropped. The message rows and their deliveries stay, so the Outbox and its
    counts still add up. Returns how many messages changed."""
    changed = []
    for message in (
        _mentioning(scrubber)
        .only("pk", "subject", "body_text", "body_html", "attachments", "data")
        .iterator(chunk_size=200)
    ):
        message.subject = scrubber.text(message.subject)[:300]
        message.body_text = scrubber.text(message.body_text)
        message.body_html = scrubber.text(message.body_html)
        message.attachments = []
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
