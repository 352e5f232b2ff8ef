"""Queueing messages: render once, store Message and Delivery in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone

from closeloop.accounts.people_selectors import person_is_invitee
from closeloop.lib.text import excerpt
from closeloop.notify.models import Channel, Delivery, DeliveryStatus, Message
from closeloop.notify.selectors import inbox_list, inbox_up_to

if TYPE_CHECKING:
    from django.db.models import Model

    from closeloop.accounts.models import User


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email (calendar invitations are text)."""

    filename: str
    content: str
    content_type: str = "text/plain"

    def as_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "content": self.content,
        }


# When a message may reach its recipient: `rule(recipient, moment)` is the first moment at or
# after `moment` inside their working hours. Business time (time zones, working hours, public
# holidays) is the engine's, a layer above notify, so followups registers it from its ready()
# (docs/architecture.md#layers). Without one (notify on its own) a message goes when asked.
WorkingMoment = Callable[["User", "dt.datetime"], "dt.datetime"]
# The notice a message about a meeting gives at least: one about a meeting that starts less
# than this after the hold would end goes at once instead of being held.
MEETING_NOTICE = dt.timedelta(hours=1)
_WORKING_MOMENT: list[WorkingMoment] = []


def working_moment_register(rule: WorkingMoment) -> None:
    """The rule that holds every message for its recipient's working hours. Replaces any."""
    _WORKING_MOMENT[:] = [rule]


def deliver_from(
    recipient: User,
    moment: dt.datetime,
    *,
    at_once: bool = False,
    needed_by: dt.datetime | None = None,
) -> dt.datetime:
    """The moment a message to `recipient` asked for at `moment` may go (see message_queue)."""
    if at_once or not _WORKING_MOMENT:
        return moment
    held = _WORKING_MOMENT[0](recipient, moment)
    if needed_by is not None and moment <= needed_by < held + MEETING_NOTICE:
        # Held, it would arrive after what it is about has begun, or as it begins (a meeting
        # at the first minute of the reader's day): it goes now, with notice.
        return moment
    return held


def deliver_again(message: Message, moment: dt.datetime) -> dt.datetime:
    """The moment another attempt at `message` (a retry after a failure, an admin's retry)
    may go, asked for at `moment`: held for its recipient's working hours by the same rule
    as its first attempt, with what its caller said then (`at_once`, `needed_by`)."""
    return deliver_from(
        message.recipient, moment, at_once=message.at_once, needed_by=message.needed_by
    )


def recipient_deactivated(user: User) -> bool:
    """Whether `user` was deactivated, so nothing may reach them any more. An invitee who
    has not joined yet is inactive too, but not deactivated: their invitation (and whatever
    else is meant for them meanwhile) still goes."""
    return not user.is_active and not person_is_invitee(user)


def not_sent_deactivated(user: User) -> str:
    """The reason a delivery to a deactivated person is kept unsent, for the Outbox."""
    return f"Not sent: {user} is deactivated."


SUBJECT_LIMIT = Message._meta.get_field("subject").max_length or 300


def message_render(*, template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render a template triplet `emails/<template>-subject.txt`, `-body.txt`, `-body.html`."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = _render_plain(f"emails/{template}-subject.txt", context)
    # A subject is one line: template whitespace and newlines would break the header. And
    # it fits its column: a long job title, name and action item together would not, and
    # PostgreSQL refuses the row (the worker would push the same notice back forever).
    subject = excerpt(subject, SUBJECT_LIMIT)
    text = _render_plain(f"emails/{template}-body.txt", context).strip() + "\n"
    html = render_to_string(f"emails/{template}-body.html", context)
    return subject, text, html


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """A plain-text template: "O'Brien & co" stays as typed, not "O&#x27;Brien &amp; co"."""
    return Engine.get_default().get_template(name).render(Context(context, autoescape=False))


def message_queue(
    *,
    recipient: User,
    template: str,
    context: dict[str, Any],
    channel: str = Channel.EMAIL,
    not_before: dt.datetime | None = None,
    data: dict[str, Any] | None = None,
    attachments: list[Attachment] | None = None,
    at_once: bool = False,
    needed_by: dt.datetime | None = None,
) -> Message:
    """Store a message and queue its delivery; the worker sends it (at least once).

    Call inside the transaction of the change that causes the message, so both commit or
    neither does.

    Every message waits for its recipient's working hours (from `not_before`, else now):
    this is the one place that holds them, so no caller can forget to. Two ways past it:
    `at_once`, for a message that answers what the recipient is doing right now (a password
    reset) or comes at a moment they chose themselves; and `needed_by`, for a message about
    a meeting, which goes at once rather than after that moment has come or less than
    `MEETING_NOTICE` before it. The recipient's
    Inbox lists it from that same moment (`Message.arrives_at`).

    Nothing reaches a deactivated person: a message for one is stored (the Outbox shows
    admins what would have gone) with its delivery withdrawn and the reason, never sent.
    """
    subject, text, html = message_render(template=template, context=context)
    now = timezone.now()
    goes_at = deliver_from(recipient, not_before or now, at_once=at_once, needed_by=needed_by)
    message = Message(
        recipient=recipient,
        template=template,
        subject=subject,
        body_text=text,
        body_html=html,
        message_id=Message.new_message_id(),
        data=data or {},
        attachments=[attachment.as_json() for attachment in attachments or []],
        at_once=at_once,
        needed_by=needed_by,
        # Never before now: the Inbox's "up to the newest message shown" counts on a message
        # that arrives later having a later arrival.
        created_at=now,
        arrives_at=max(goes_at, now),
    )
    delivery = Delivery(channel=channel, status=DeliveryStatus.QUEUED, next_attempt_at=goes_at)
    if recipient_deactivated(recipient):
        delivery.status = DeliveryStatus.WITHDRAWN
        delivery.last_error = not_sent_deactivated(recipient)
    _outbox_insert(message, delivery)
    return message


def _outbox_insert(message: Message, delivery: Delivery) -> None:
    """Insert a message and its delivery.

    On PostgreSQL in one statement: the worker composes a message in a few milliseconds,
    and two ORM inserts cost a third of a millisecond of CPU and a round trip more. Each
    value is prepared by its own model field, exactly as `save()` prepares it.
    """
    if connection.vendor != "postgresql":
        message.save(force_insert=True)
        delivery.message = message
        delivery.save(force_insert=True)
        return
    message_columns, message_values = _insert_row(message)
    delivery_columns, delivery_values = _insert_row(delivery, leave_out="message_id")
    with connection.cursor() as cursor:
        cursor.execute(
            OUTBOX_INSERT.format(
                message_table=connection.ops.quote_name(Message._meta.db_table),
                message_columns=message_columns,
                message_values=", ".join(["%s"] * len(message_values)),
                delivery_table=connection.ops.quote_name(Delivery._meta.db_table),
                delivery_columns=delivery_columns,
                delivery_values=", ".join(["%s"] * len(delivery_values)),
            ),
            [*message_values, *delivery_values],
        )
        message.pk, delivery.pk = cursor.fetchone()
    for row in (message, delivery):
        row._state.adding, row._state.db = False, connection.alias
    delivery.message = message


# Table and column names come from the models, values only through parameters.
OUTBOX_INSERT = (
    "WITH message AS (INSERT INTO {message_table} ({message_columns}) "
    "VALUES ({message_values}) RETURNING id) "
    "INSERT INTO {delivery_table} (message_id, {delivery_columns}) "
    "VALUES ((SELECT id FROM message), {delivery_values}) RETURNING message_id, id"
)


def _insert_row(row: Model, leave_out: str = "") -> tuple[str, list[Any]]:
    """A new row's columns (quoted, comma-separated) and values, as its fields save them."""
    fields = [
        field
        for field in row._meta.concrete_fields
        if not field.primary_key and field.attname != leave_out
    ]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    values = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    return columns, values


# Messages whose body holds something only its recipient may use (a password reset link):
# the Outbox shows others that such a message went, never its body.
PRIVATE = "private"


def password_reset_queue(*, user: User, context: dict[str, Any]) -> Message:
    """The password-reset email through the outbox (registered as the reset sender): the
    request that asked for it answers at once, and the link never reaches the logs.

    At once at any hour: the person is at the sign-in page waiting for it."""
    return message_queue(
        recipient=user,
        template="password-reset",
        context=context,
        data={PRIVATE: True},
        at_once=True,
    )


INVITATION_TEMPLATE = "invitation"


def invitation_queue(*, user: User, context: dict[str, Any]) -> Message:
    """The invitation email through the outbox (registered as the invitation sender): private
    like a reset, since its link sets the invitee's password.

    At once at any hour: the invitee has no working hours of their own yet (only what the
    admin guessed), the admin inviting them is often beside them waiting for it, and its
    link's lifetime counts from now."""
    return message_queue(
        recipient=user,
        template=INVITATION_TEMPLATE,
        context=context,
        data={PRIVATE: True},
        at_once=True,
    )


CALENDAR_CHANGED_TEMPLATE = "calendar-changed"


def calendar_change_queue(*, user: User, context: dict[str, Any]) -> Message:
    """The message telling a person that someone else (an admin) changed their working
    calendar or out of office (registered as accounts' calendar-change sender): on the
    channel they chose, inside their working hours like any."""
    return message_queue(
        recipient=user,
        template=CALENDAR_CHANGED_TEMPLATE,
        channel=user.notify_channel,
        context={"recipient": user, **context},
        data={"calendar_changed_by": context["by"].pk},
    )


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Put a failed delivery back in the queue (an admin's "retry" button): it goes at once
    inside its recipient's working hours, else when they begin, as the message did first."""
    updated = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.QUEUED,
        next_attempt_at=deliver_again(delivery.message, timezone.now()),
        lease_until=None,
        leased_by="",
        last_error="",
    )
    delivery.refresh_from_db()
    if not updated:
        raise ValueError("Only a failed delivery can be retried.")
    return delivery


def messages_withdraw_waiting(*, template: str, about: dict[str, int], now: dt.datetime) -> int:
    """Messages of `template` about something (`about`: keys of their `data`, e.g.
    {"debrief": 12}) that no longer have anything to say, removed while they still wait for
    their recipients' working hours: not in the Inbox yet, no delivery tried. One already
    arrived or sent stays as it was (history). Returns how many were removed.

    The deliveries are locked first, skipping any a worker holds (it claims them the same
    way): a message the worker took meanwhile is left to it, never deleted mid-send."""
    about_q = {f"data__{key}": value for key, value in about.items()}
    messages = Message.objects.filter(
        template=template, read_at__isnull=True, arrives_at__gt=now, **about_q
    )
    with transaction.atomic():
        untried = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(message__in=messages, status=DeliveryStatus.QUEUED, attempts=0)
            .only("pk", "message_id")
        )
        ids = {delivery.message_id for delivery in untried}
        _, removed = Message.objects.filter(pk__in=ids).delete()
    return removed.get(Message._meta.label, 0)


def deliveries_withdraw_for(*, user: User, at: dt.datetime) -> int:
    """Messages to `user` not sent yet stay unsent (accounts' `person_deactivated`: someone
    who left gets no more candidate news). The messages stay on the Outbox."""
    return Delivery.objects.filter(
        message__recipient=user, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).update(
        status=DeliveryStatus.WITHDRAWN,
        lease_until=None,
        leased_by="",
        last_error=f"Not sent: {user} was deactivated at {at:%Y-%m-%d %H:%M} UTC.",
    )


def invitation_messages_read(*, user: User, at: dt.datetime) -> int:
    """The invitation emails to someone who has just joined are read: they used one, and
    a new person's Inbox should not start with an unread message they acted on already."""
    return Message.objects.filter(
        recipient=user, template=INVITATION_TEMPLATE, read_at__isnull=True
    ).update(read_at=at)


def on_invitation_accepted(sender: Any, *, user: User, at: dt.datetime, **kwargs: Any) -> None:
    invitation_messages_read(user=user, at=at)


def on_person_deactivated(sender: Any, *, user: User, at: dt.datetime, **kwargs: Any) -> None:
    deliveries_withdraw_for(user=user, at=at)


def message_opened(*, message: Message, by: User) -> bool:
    """Opening a message reads it for its recipient; an admin opening someone else's on the
    Outbox leaves it unread for them, and so does its recipient opening it there before it
    arrives (queued for their working hours): it reaches their Inbox unread then, as news.
    Returns whether it changed."""
    if message.recipient_id != by.pk or not message.has_arrived():
        return False
    return _read_set(message, read=True)


def message_read_set(*, message: Message, by: User, read: bool) -> bool:
    """Mark a message read (or unread again); only its recipient may, and only once it has
    arrived: a queued one is neither (marked read, it would reach the Inbox already read).
    Returns whether it changed."""
    if message.recipient_id != by.pk:
        raise PermissionDenied("Only its recipient marks a message read or unread.")
    if not message.has_arrived():
        raise ValidationError(
            "This message has not arrived yet: it reaches your Inbox inside your working "
            "hours, unread, and is marked read or unread from then on."
        )
    return _read_set(message, read=read)


def _read_set(message: Message, *, read: bool) -> bool:
    now = timezone.now()
    rows = Message.objects.filter(pk=message.pk, read_at__isnull=read)
    changed = rows.update(read_at=now if read else None) > 0
    if changed:
        message.read_at = now if read else None
    return changed


def inbox_mark_all_read(*, user: User, up_to: int | None, q: str = "") -> int:
    """Mark read the user's unread messages the Inbox listed with the subject filter `q`, on
    every page of it, up to the newest one it showed (`up_to`, a message id): one that arrived
    after the page was drawn stays unread, and so does every message the filter left out.
    Without `up_to` (a post that names no page), every unread message that has arrived by
    now. ("Unread only" needs no argument: only unread messages are marked anyway.)"""
    unread = inbox_up_to(inbox_list(user=user, unread_only=True, q=q), user=user, up_to=up_to)
    return unread.update(read_at=timezone.now())
