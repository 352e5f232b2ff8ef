"""Who hears about a rung of an ask, and when: the recipients of each level, the moment a
person may be disturbed (working hours, quiet hours, their batching window), and the
bookkeeping of notices once their message is composed.

Below both the engine's steps (which write notices) and the message composer (which reads
them), so neither imports the other's internals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from closeloop.accounts.models import User

# Who answers for someone away: accounts' rule (the delegate chain is theirs), used here to
# route asks and notices.
from closeloop.accounts.selectors import person_present, stand_in
from closeloop.followups.business_time import calendar_for, next_working_moment
from closeloop.followups.models import Ask, AskStatus, Notice
from closeloop.followups.policies import DEFAULTS
from closeloop.notify.models import Message

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from django.db.models import QuerySet

# The template of nudge messages: the batching window counts from the last one of these.
NUDGE_TEMPLATE = "nudge"


def present_or_stand_in(person: User | None, at: dt.datetime) -> User | None:
    """`person` when present, else whoever stands in for them (None for nobody)."""
    if person is None or person_present(person, at):
        return person
    return stand_in(person, at) if person.is_active else None


def _escalates_to_hiring_manager(kind: str) -> bool:
    policy = DEFAULTS.get(kind)
    return policy is not None and policy.escalates_to_hiring_manager


def ask_recipients(
    ask: Ask, level: int, *, admins: Sequence[User] | None = None
) -> list[tuple[User, str]]:
    """Who hears about a rung: the owner, then the escalation contact, then the admins.

    `admins` are the active admins when the caller has already read them (a batch of asks).
    """
    people: list[tuple[User, str]] = [(ask.owner, "owner")]
    now = timezone.now()
    if level >= 1 and _escalates_to_hiring_manager(ask.kind) and ask.job is not None:
        people.append((_told_for(ask.job.hiring_manager, now), "escalation"))
    if level >= 1:
        contact = (ask.job.escalation_contact if ask.job else None) or ask.owner.manager
        if contact is not None:
            people.append((_told_for(contact, now), "escalation"))
    if level >= 2:
        people.extend((admin, "admin") for admin in (active_admins() if admins is None else admins))
    seen: set[int] = set()
    unique = []
    for person, role in people:
        if person.pk not in seen and person.is_active:
            seen.add(person.pk)
            unique.append((person, role))
    return unique


def _told_for(person: User, now: dt.datetime) -> User:
    """Whom an escalation meant for `person` reaches: whoever stands in for them while they
    are out of office, else themselves (they find it on their return)."""
    return present_or_stand_in(person, now) or person


def active_admins() -> list[User]:
    return list(User.objects.filter(is_admin=True, is_active=True))


def working_moment_for(recipient: User, moment: dt.datetime) -> dt.datetime:
    """The first moment at or after `moment` when `recipient` may be disturbed.

    Their working hours, unless quiet hours are switched off (the demo does, so that a
    person trying it on a Sunday still sees the engine work).
    """
    if not settings.QUIET_HOURS:
        return moment
    return next_working_moment(calendar_for(recipient), moment)


def notice_not_before(recipient: User, now: dt.datetime) -> dt.datetime:
    """Inside the recipient's working hours, and past their batching window."""
    window = dt.timedelta(minutes=recipient.batch_window_minutes or 0)
    last = last_nudge_message_at(recipient) if window else None
    return _not_before(recipient, now, last)


def notices_not_before(people: Iterable[User], now: dt.datetime) -> dict[int, dt.datetime]:
    """`notice_not_before` of several people, {user id: moment}, with one query for all.

    Only a message sent within a person's window can hold their notices back (a later
    working moment than now's), so only the messages of the longest window are read.
    """
    by_id = {person.pk: person for person in people}
    windows = {pk: person.batch_window_minutes or 0 for pk, person in by_id.items()}
    longest = dt.timedelta(minutes=max(windows.values(), default=0))
    last: dict[int, dt.datetime] = {}
    if longest:
        rows = (
            Message.objects.filter(
                recipient_id__in=[pk for pk, minutes in windows.items() if minutes],
                template=NUDGE_TEMPLATE,
                created_at__gt=now - longest,
            )
            .values("recipient_id")
            .annotate(last=Max("created_at"))
            .values_list("recipient_id", "last")
        )
        last = dict(rows)
    return {pk: _not_before(person, now, last.get(pk)) for pk, person in by_id.items()}


def _not_before(recipient: User, now: dt.datetime, last: dt.datetime | None) -> dt.datetime:
    """Now's working moment, or the end of the window after their last nudge message."""
    earliest = working_moment_for(recipient, now)
    window = dt.timedelta(minutes=recipient.batch_window_minutes or 0)
    if window and last is not None:
        earliest = max(earliest, working_moment_for(recipient, last + window))
    return earliest


def last_nudge_message_at(recipient: User) -> dt.datetime | None:
    """When the person last got a nudge message (the (recipient, -created_at) index serves it)."""
    return (
        Message.objects.filter(recipient=recipient, template=NUDGE_TEMPLATE)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


@dataclass(frozen=True)
class PendingNotice:
    """A notice waiting for its message, as composing reads it: plain values, not model
    instances (an admin may have hundreds pending, and a message words ten)."""

    pk: int
    recipient_id: int
    role: str
    kind: str  # the nudge's: reminder, due, escalation
    ask_id: int
    live: bool  # the ask is still open and not on hold: it has something to say
    due_at: dt.datetime
    # From the rung at the ask's opening (a review's "told when it opens"): news its reader
    # has not heard yet, so a long message lists it before what they already know.
    fresh: bool = False


def pending_notices(notices: QuerySet[Notice]) -> list[PendingNotice]:
    """The notices of `notices`, oldest first, as PendingNotice (one query)."""
    rows = notices.order_by("created_at", "pk").values_list(
        "pk",
        "recipient_id",
        "role",
        "nudge__kind",
        "nudge__ask_id",
        "nudge__ask__status",
        "nudge__ask__held_at",
        "nudge__ask__due_at",
        "nudge__scheduled_at",
        "nudge__ask__opened_at",
    )
    return [
        PendingNotice(
            *row[:5],
            live=row[5] == AskStatus.OPEN and row[6] is None,
            due_at=row[7],
            fresh=row[8] <= row[9],
        )
        for row in rows
    ]


# "Not composed yet" is written so that it cannot use the partial index of pending notices
# (notice_pending_idx, WHERE message_id IS NULL): right after a backlog was advanced, the
# statistics still say few notices are pending, and PostgreSQL then scanned all of them for
# each message instead of looking its forty notices up by id.
MARK_SENT = (
    "UPDATE followups_notice SET message_id = %s "
    "WHERE id IN ({ids}) AND COALESCE(message_id, 0) = 0"
)


def notices_mark_sent(notices: Iterable[PendingNotice], message_id: int) -> None:
    """Attach notices to their message; a row another worker took already makes us roll back."""
    ids = [notice.pk for notice in notices]
    # Plain SQL: the ORM prepares each id of the IN list one by one, and an admin's message
    # records hundreds of notices. Chunked only to stay under the database's parameter limit.
    per_statement = (connection.features.max_query_params or 65_535) - 1
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), per_statement):
            chunk = ids[start : start + per_statement]
            placeholders = ", ".join(["%s"] * len(chunk))  # only placeholders: no values in it
            cursor.execute(MARK_SENT.format(ids=placeholders), [message_id, *chunk])
            updated += cursor.rowcount
    if updated != len(ids):
        raise RuntimeError("Notices were composed by another worker; rolling back.")


def notices_drop(notices: Iterable[PendingNotice]) -> None:
    """Forget notices about asks answered before the message went out."""
    Notice.objects.filter(pk__in=[n.pk for n in notices], message__isnull=True).delete()
