"""Reads of messages and deliveries, with their permission filters.

Everyone sees the messages sent to them; admins see every message and the failed deliveries.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.lib.sealed import sealed_blank, unseal_text
from closeloop.notify.models import Delivery, DeliveryStatus, Message


def _is_admin(user: User) -> bool:
    return bool(user.is_active and user.is_admin)


def message_list(*, user: User, recipient_id: int | None = None) -> QuerySet[Message]:
    """Messages the user may read, newest first, with their deliveries."""
    messages = Message.objects.select_related("recipient").prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.order_by("pk"))
    )
    if not _is_admin(user):
        return messages.filter(recipient=user)
    return messages.filter(recipient_id=recipient_id) if recipient_id else messages


def inbox_list(
    *, user: User, unread_only: bool = False, q: str = "", now: dt.datetime | None = None
) -> QuerySet[Message]:
    """The messages addressed to the user (admins too: only their own) that have reached
    them by `now`, newest arrival first.

    The Inbox reads what the Outbox keeps, with read state; bodies are left out of the list.
    A message held for the recipient's working hours is not in it before they begin (the
    Outbox lists it meanwhile, with the moment it goes): the Inbox is what has reached them.
    """
    messages = Message.objects.filter(recipient=user, arrives_at__lte=now or timezone.now()).defer(
        "body_text", "body_html", "attachments", "data"
    )
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    if q:
        messages = messages.filter(subject__icontains=q)
    return messages.order_by("-arrives_at", "-pk")


def inbox_up_to(messages: QuerySet[Message], *, user: User, up_to: int | None) -> QuerySet[Message]:
    """Of the Inbox's `messages`, those a page whose newest message was `up_to` (an id)
    listed: at or below it in the Inbox's order (arrival, then id). One that arrived after
    the page was drawn arrived after that message, so it is left out. None (no page named
    one) keeps them all: every one that has arrived by now, as the Inbox lists them; an id
    not the user's leaves out everything."""
    if up_to is None:
        return messages
    shown = Message.objects.filter(recipient=user, pk=up_to)
    newest = shown.values_list("arrives_at", flat=True).first()
    if newest is None:
        return messages.none()
    return messages.filter(Q(arrives_at__lt=newest) | Q(arrives_at=newest, pk__lte=up_to))


def inbox_unread_count(
    *, user: User, q: str = "", up_to: int | None = None, now: dt.datetime | None = None
) -> int:
    """How many messages that reached the user they have not opened or marked read: all of
    them for the header; with `q` and `up_to`, those *Mark these read* would mark."""
    unread = inbox_list(user=user, unread_only=True, q=q, now=now)
    return inbox_up_to(unread, user=user, up_to=up_to).count()


def inbox_newest_id(
    *, user: User, unread_only: bool = False, q: str = "", now: dt.datetime | None = None
) -> int | None:
    """The id of the newest message the Inbox lists with these filters (None without any):
    *Mark all read* marks up to it, so a message that arrives meanwhile stays unread."""
    listed = inbox_list(user=user, unread_only=unread_only, q=q, now=now)
    return listed.values_list("pk", flat=True).first()


def message_recipient_choices(*, user: User) -> list[User]:
    """People whose messages the user may filter by: everyone for admins, nobody otherwise."""
    if not _is_admin(user):
        return []
    return list(User.objects.filter(is_active=True).only("pk", "full_name"))


def message_get(*, user: User, pk: int) -> Message:
    message = message_list(user=user).filter(pk=pk).first()
    if message is None:
        raise Http404("No such message.")
    return message


# Addresses in a message that only its recipient may use: a one-click answer acts as them, a
# reset link sets their password. The apps that write such links register their path
# patterns (followups its one-click answers); the Outbox shows them inert to anyone else.
_PRIVATE_LINKS: list[re.Pattern[str]] = []
INERT = "#only-for-the-recipient"


def private_link_register(path_pattern: str) -> None:
    """Register a regular expression matching the path of a link only the recipient may use."""
    pattern = re.compile(r"(?:https?://[^\s\"'<>/]+)?" + path_pattern)
    if pattern.pattern not in {known.pattern for known in _PRIVATE_LINKS}:
        _PRIVATE_LINKS.append(pattern)


def message_body_for(*, message: Message, user: User) -> tuple[str, str]:
    """The message's text and HTML as `user` may read them: as sent for its recipient (its
    sealed links opened, `lib.sealed`); for anyone else (an admin reading the Outbox) with
    every private link made inert and every sealed secret left unopened."""
    text, html = message.body_text, message.body_html
    if message.recipient_id == user.pk:
        reader = message.recipient_id
        return (
            unseal_text(text, audience=reader, unusable=INERT),
            unseal_text(html, audience=reader, unusable=INERT),
        )
    for pattern in _PRIVATE_LINKS:
        text, html = pattern.sub(INERT, text), pattern.sub(INERT, html)
    return sealed_blank(text, replacement=INERT), sealed_blank(html, replacement=INERT)


def message_body_hidden(*, message: Message, user: User) -> bool:
    """A private message (a password reset link) shows its body to its recipient only: an
    admin reading the Outbox sees that it went, not what it holds."""
    return bool((message.data or {}).get("private")) and message.recipient_id != user.pk


def message_attachment_get(*, message: Message, user: User, index: int) -> dict[str, str]:
    """One file sent with the message (a calendar invitation), for whoever may read its
    body, or 404."""
    files = message.attachments if isinstance(message.attachments, list) else []
    if message_body_hidden(message=message, user=user) or not 0 <= index < len(files):
        raise Http404("No such file.")
    return files[index]


def delivery_failed_list(*, user: User) -> QuerySet[Delivery]:
    """Deliveries that gave up, for admins to look at and retry."""
    if not _is_admin(user):
        raise Http404("No such page.")
    return (
        Delivery.objects.filter(status=DeliveryStatus.FAILED)
        .select_related("message", "message__recipient")
        .order_by("-created_at", "-pk")
    )


def delivery_get_failed(*, user: User, pk: int) -> Delivery:
    delivery = delivery_failed_list(user=user).filter(pk=pk).first()
    if delivery is None:
        raise Http404("No such delivery.")
    return delivery
