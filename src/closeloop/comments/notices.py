"""Telling people they were mentioned: through the outbox, on the channel each chose, inside
their working hours, and batched.

A mention message waits for its person's working hours (quiet hours). While it waits,
unsent and unread, a new mention for the same person joins it rather than adding another
message: someone mentioned five times overnight finds one message in the morning. A mention
during working hours goes out at once, on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from closeloop.comments.models import Comment
from closeloop.comments.selectors import comment_subject, comment_tombstone
from closeloop.followups.notices import stand_in
from closeloop.followups.selectors import away_until
from closeloop.lib.text import listed
from closeloop.notify.models import DeliveryStatus, Message
from closeloop.notify.services import message_queue, message_render

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User

MENTION_TEMPLATE = "comment-mention"
# A message quotes the start of each comment; the page has the rest.
QUOTED = 600
# One message words at most this many comments; the next mention starts a new one.
BATCH_MAX = 20


@dataclass(frozen=True)
class Mentioned:
    """One comment as a mention message words it: a deleted one by its tombstone, never
    its text."""

    author: str
    subject_label: str
    quoted: str
    url: str
    deleted: str = ""


def _quoted(body: str) -> str:
    return body if len(body) <= QUOTED else body[:QUOTED].rstrip() + "…"


def _mentioned(comment_ids: Iterable[int], person: User) -> list[Mentioned]:
    """The comments, oldest first, as the message words them to `person` (one query: their
    subjects and authors joined). Labels are read in the recipient's time zone, not the
    author's whose request posts the comment: a touch-base names its zone when it is not
    theirs."""
    comments = (
        Comment.objects.filter(pk__in=list(comment_ids))
        .select_related("author", "deleted_by", "candidate", "job", "application__candidate")
        .select_related("application__job", "touchbase__job", "touchbase__series")
        .order_by("created_at", "pk")
    )
    rows = []
    with timezone.override(person.zone):
        for comment in comments:
            subject = comment_subject(comment)
            rows.append(
                Mentioned(
                    author=str(comment.author or "Someone"),
                    subject_label=subject.label,
                    quoted="" if comment.is_deleted else _quoted(comment.body),
                    url=f"{settings.SITE_URL}{subject.url}#comment-{comment.pk}",
                    deleted=comment_tombstone(comment) if comment.is_deleted else "",
                )
            )
    return rows


def _context(person: User, rows: list[Mentioned]) -> dict[str, Any]:
    return {"recipient": person, "mentions": rows, "first": rows[0], "count": len(rows)}


def _waiting_message(person: User, now: dt.datetime) -> Message | None:
    """The person's mention message still held for their working hours, if any (locked with
    its delivery, so the worker cannot send it while it is reworded)."""
    return (
        Message.objects.select_for_update()
        .filter(
            recipient=person,
            template=MENTION_TEMPLATE,
            read_at__isnull=True,
            deliveries__status=DeliveryStatus.QUEUED,
            deliveries__attempts=0,
            deliveries__next_attempt_at__gt=now,
        )
        .order_by("-pk")
        .first()
    )


def _message_reword(
    message: Message, person: User, comment_ids: list[int], *, moved: bool = True
) -> None:
    """The message, now wording every comment in it. A waiting message that words one
    more mention moves to the top of the Outbox, as a new message would (`moved`), and still
    reaches the Inbox when its delivery goes; one reworded because a comment was deleted
    keeps its place."""
    subject, text, html = message_render(
        template=MENTION_TEMPLATE, context=_context(person, _mentioned(comment_ids, person))
    )
    message.subject, message.body_text, message.body_html = subject[:300], text, html
    message.data = {**message.data, "comments": comment_ids}
    fields = ["subject", "body_text", "body_html", "data"]
    if moved:
        message.created_at = timezone.now()
        fields.append("created_at")
    message.save(update_fields=fields)


def mention_told_words(*, done: str, told: Iterable[User], now: dt.datetime | None = None) -> str:
    """What a post or an edit did, and who its mentions tell ("Comment posted; Hank Hill and
    Ivy Morgan will be told."): exactly the people told, never the author. Someone out of
    office is told too but reads it only when back, so the author hears that, with who
    covers: "Hank Hill is out of office until Fri 11 Dec (Grace Chen covers) and will be
    told." The delegate covers his asks, not what is said to him, so is not told (she may
    not even see the comment)."""
    now = now or timezone.now()
    people = sorted(told, key=lambda person: person.full_name)
    if not people:
        return f"{done}."
    here = [person.full_name for person in people if not person.is_out_of_office(now)]
    parts = [f"{listed(here)} will be told"] if here else []
    for person in people:
        if person.is_out_of_office(now):
            covers = stand_in(person, now)
            cover = f" ({covers} covers)" if covers is not None else ""
            parts.append(f"{person} is out of office{away_until(person)}{cover} and will be told")
    return f"{done}; " + "; ".join(parts) + "."


def mention_recipients(*, people: Iterable[User], by: User) -> list[User]:
    """Whom mentions of `people` in a comment by `by` tell: each of them but its author."""
    return [person for person in people if person.pk != by.pk]


def mention_tell(*, comment: Comment, people: Iterable[User], by: User) -> None:
    """Tell each person (never the author) that `comment` mentions them, and remember it in
    `comment.told`, which decides whom a later edit still has to tell."""
    now = timezone.now()
    recipients = mention_recipients(people=people, by=by)
    comment.told.add(*recipients)
    for person in recipients:
        waiting = _waiting_message(person, now)
        told = [int(pk) for pk in (waiting.data.get("comments", []) if waiting else [])]
        if waiting is not None and len(told) < BATCH_MAX:
            _message_reword(
                waiting, person, [*told, comment.pk] if comment.pk not in told else told
            )
            continue
        message_queue(
            recipient=person,
            template=MENTION_TEMPLATE,
            channel=person.notify_channel,
            context=_context(person, _mentioned([comment.pk], person)),
            data={"comments": [comment.pk]},
        )


def _waiting(message: Message, now: dt.datetime) -> bool:
    """Whether the message is still held for its recipient's working hours, as
    `_waiting_message` finds one: not in their Inbox yet, its delivery never tried."""
    return (
        message.read_at is None
        and message.deliveries.filter(
            status=DeliveryStatus.QUEUED, attempts=0, next_attempt_at__gt=now
        ).exists()
    )


def mention_withdraw(*, comment: Comment) -> None:
    """A deleted comment's mention messages. One still held for its recipient's working hours
    no longer words it: dropped from a batch that words other comments, withdrawn (removed
    unsent, with its delivery) when it was the only one. One that reached its recipient (in
    their Inbox, perhaps emailed) is reworded: the stored copy no longer quotes the comment
    and says it was deleted, and its link leads to the tombstone. Only the people the
    comment told can hold one (`comment.told`)."""
    now = timezone.now()
    messages = (
        Message.objects.select_for_update()
        .filter(template=MENTION_TEMPLATE, recipient__in=comment.told.all())
        .select_related("recipient")
        .order_by("pk")
    )
    for message in messages:
        ids = [int(pk) for pk in message.data.get("comments", [])]
        if comment.pk not in ids:
            continue
        person = message.recipient
        if not _waiting(message, now):
            _message_reword(message, person, ids, moved=False)
            continue
        # The others it still words: a comment erased with its candidate since is gone, and
        # one deleted since was taken out already.
        still = set(
            Comment.objects.filter(pk__in=ids, deleted_at__isnull=True)
            .exclude(pk=comment.pk)
            .values_list("pk", flat=True)
        )
        others = [pk for pk in ids if pk in still]
        if others:
            _message_reword(message, person, others, moved=False)
        else:
            message.delete()
