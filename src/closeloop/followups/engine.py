"""The follow-up engine's worker steps (docs/architecture.md#the-follow-up-engine).

1. `asks_advance`: for each open ask whose next rung is due, move the ladder forward with a
   conditional UPDATE on the values read; only the worker whose UPDATE changed the row writes
   the Nudge and its Notices, in the same transaction. The Nudge's unique (ask, step) makes a
   double nudge impossible even if that reasoning were wrong.
2. `notices_compose`: for each person with notices whose `not_before` has come (inside their
   working hours, past their batching window), render everything pending into one message
   and queue its delivery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Min
from django.db.models.functions import Greatest
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.followups.messages import nudge_message_queue
from closeloop.followups.models import Ask, AskStatus, Notice, Nudge
from closeloop.followups.notices import ask_recipients, notice_not_before
from closeloop.lib.sweep import Swept, sweep

if TYPE_CHECKING:
    pass

# How long a row a step failed on waits before the step tries it again.
RETRY_AFTER = dt.timedelta(minutes=10)


def _step_at(ask: Ask, index: int) -> dt.datetime | None:
    steps = ask.policy.get("steps", [])
    return dt.datetime.fromisoformat(steps[index]["at"]) if index < len(steps) else None


def asks_due(*, now: dt.datetime, limit: int) -> list[tuple[int, int, dt.datetime]]:
    """(id, steps_done, next_nudge_at) of open asks due a rung (served by the partial index)."""
    return list(
        Ask.objects.filter(status=AskStatus.OPEN, next_nudge_at__lte=now)
        .order_by("next_nudge_at")
        .values_list("pk", "steps_done", "next_nudge_at")[:limit]
    )


def asks_advance(*, now: dt.datetime | None = None, limit: int = 500) -> Swept:
    """Worker step: reach every rung that is due of every due ask; handled = nudges written.

    An ask that raises waits RETRY_AFTER (its next rung's time moves, if it is still due).
    """
    now = now or timezone.now()

    def advance(row: tuple[int, int, dt.datetime]) -> int:
        pk, steps_done, nudge_at = row
        return ask_catch_up(pk=pk, steps_done=steps_done, nudge_at=nudge_at, now=now)

    def push_back(row: tuple[int, int, dt.datetime], error: Exception) -> None:
        Ask.objects.filter(pk=row[0], status=AskStatus.OPEN, next_nudge_at__lte=now).update(
            next_nudge_at=now + RETRY_AFTER
        )

    return sweep(
        "asks_advance",
        asks_due(now=now, limit=limit),
        advance,
        push_back=push_back,
        row_id=lambda row: f"ask {row[0]}",
    )


def ask_catch_up(*, pk: int, steps_done: int, nudge_at: dt.datetime, now: dt.datetime) -> int:
    """Every rung of one ask that is due by now, each in its own transaction.

    After downtime (or in a freshly seeded demo) an ask may owe several rungs; reaching them
    in one visit means its reader's next message carries all of them, instead of the first
    one going out and the batching window holding the escalation back for hours.
    """
    written = 0
    next_at: dt.datetime | None = nudge_at
    while next_at is not None and next_at <= now:
        if not ask_advance_one(pk=pk, steps_done=steps_done, nudge_at=next_at, now=now):
            break
        written += 1
        steps_done += 1
        next_at = Ask.objects.filter(pk=pk).values_list("next_nudge_at", flat=True).first()
    return written


@transaction.atomic
def ask_advance_one(*, pk: int, steps_done: int, nudge_at: dt.datetime, now: dt.datetime) -> int:
    """Move one ask a rung up its ladder if no other worker did it first; 1 if we did."""
    ask = _lock_ask(pk, steps_done, nudge_at)
    if ask is None:
        return 0  # another worker has it, or has already moved it on
    steps = ask.policy.get("steps", [])
    if steps_done >= len(steps):
        Ask.objects.filter(pk=pk, steps_done=steps_done).update(next_nudge_at=None)
        return 0
    step = steps[steps_done]
    claim = Ask.objects.filter(
        pk=pk, status=AskStatus.OPEN, steps_done=steps_done, next_nudge_at=nudge_at
    )
    if step["level"] == 0 and ask.is_snoozed(now):
        # Snoozed: the owner's reminders wait; escalations still go out on time.
        claim.update(next_nudge_at=ask.snoozed_until)
        return 0
    won = claim.update(
        steps_done=steps_done + 1,
        next_nudge_at=_step_at(ask, steps_done + 1),
        level=Greatest("level", step["level"]),
    )
    if won != 1:
        return 0
    nudge = Nudge.objects.create(
        ask=ask,
        step=steps_done,
        kind=step["kind"],
        level=step["level"],
        scheduled_at=dt.datetime.fromisoformat(step["at"]),
        created_at=now,
    )
    _notify(nudge, ask, now)
    return 1


def _lock_ask(pk: int, steps_done: int, nudge_at: dt.datetime) -> Ask | None:
    """The ask as we read it, locked for this transaction; None when another worker holds it
    or has moved it on since (the lock is PostgreSQL's SKIP LOCKED; SQLite has one writer).

    Workers walk the same list of due asks. Without SKIP LOCKED each one would wait for the
    worker ahead of it to commit, only to find the rung taken: three workers then go no
    faster than one. The lock is a bare primary-key query, so the rows a worker loses cost it
    little; the conditional UPDATE below still decides who wins.
    """
    unchanged = Ask.objects.filter(
        pk=pk, status=AskStatus.OPEN, steps_done=steps_done, next_nudge_at=nudge_at
    )
    if connection.vendor == "postgresql":
        # NO KEY UPDATE: a notice composing in parallel holds KEY SHARE on the ask (links
        # point at it); that must not make us skip the ask, nor it wait for us.
        unchanged = unchanged.select_for_update(skip_locked=True, no_key=True)
    if not unchanged.values_list("pk", flat=True).order_by():
        return None
    return Ask.objects.select_related("owner", "job", "original_owner").get(pk=pk)


def _notify(nudge: Nudge, ask: Ask, now: dt.datetime) -> None:
    Notice.objects.bulk_create(
        Notice(
            nudge=nudge,
            recipient=person,
            role=role,
            created_at=now,
            not_before=notice_not_before(person, now),
        )
        for person, role in ask_recipients(ask, nudge.level)
    )


@dataclass
class Pending:
    recipient: User
    notices: list[Notice]


def notices_ready(*, now: dt.datetime, limit: int) -> list[int]:
    """Recipients with at least one notice ready to go."""
    return list(
        Notice.objects.filter(message__isnull=True, not_before__lte=now)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()[:limit]
    )


# While the advance step still has a backlog (after downtime, or in the demo's first minutes), a
# message composed now would carry only part of what is due for its reader, and their batching
# window would then hold the rest (an escalation, say) for hours. Composing waits for the backlog
# to drain, but never longer than this after the oldest ready notice.
BACKLOG_WAIT = dt.timedelta(minutes=10)


def compose_waits_for_backlog(now: dt.datetime) -> bool:
    """True while asks are still due a rung and the oldest ready notice is young enough."""
    if not Ask.objects.filter(status=AskStatus.OPEN, next_nudge_at__lte=now).exists():
        return False
    oldest = Notice.objects.filter(message__isnull=True, not_before__lte=now).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    return oldest is not None and oldest > now - BACKLOG_WAIT


def notices_compose(*, now: dt.datetime | None = None, limit: int = 200) -> Swept:
    """Worker step: one message per ready person with everything pending for them;
    handled = messages queued. A person whose message raises waits RETRY_AFTER.
    Nothing is composed while the advance step has a backlog (see BACKLOG_WAIT)."""
    now = now or timezone.now()
    if compose_waits_for_backlog(now):
        return Swept()

    def push_back(recipient_id: int, error: Exception) -> None:
        Notice.objects.filter(recipient_id=recipient_id, message__isnull=True).update(
            not_before=now + RETRY_AFTER
        )

    return sweep(
        "notices_compose",
        notices_ready(now=now, limit=limit),
        lambda recipient_id: notices_compose_for(recipient_id=recipient_id, now=now),
        push_back=push_back,
        row_id=lambda recipient_id: f"user {recipient_id}",
    )


@transaction.atomic
def notices_compose_for(*, recipient_id: int, now: dt.datetime) -> int:
    """Queue one message with everything pending for one person; 1 if we did."""
    pending = _lock_pending(recipient_id, now)
    if pending is None or not pending.notices:
        return 0
    nudge_message_queue(recipient=pending.recipient, notices=pending.notices, now=now)
    return 1


# First key of the PostgreSQL advisory lock that makes one worker at a time compose for a person.
COMPOSE_LOCK = 0x6E756467  # "nudg"


def _compose_lock(recipient_id: int) -> bool:
    """Take this person's compose lock until the transaction ends; False if a worker has it.

    SQLite runs one writing transaction at a time, so there is nothing to take there.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", [COMPOSE_LOCK, recipient_id % 2**31]
        )
        return bool(cursor.fetchone()[0])


def _lock_pending(recipient_id: int, now: dt.datetime) -> Pending | None:
    """Everything pending for one person, or None when it must not be sent now.

    Not now: another worker is composing for them, or their batching window is still open.
    Notices are written with the window as their author saw it; a worker that messaged this
    person in the meantime (committed after the notice was written) still counts, so such
    notices move to the end of the window instead of going out as a second message.
    """
    if not _compose_lock(recipient_id):
        return None
    recipient = User.objects.get(pk=recipient_id)
    ready_at = notice_not_before(recipient, now)
    if ready_at > now:
        Notice.objects.filter(
            recipient_id=recipient_id, message__isnull=True, not_before__lt=ready_at
        ).update(not_before=ready_at)
        return None
    notices = Notice.objects.filter(recipient_id=recipient_id, message__isnull=True)
    if connection.vendor == "postgresql":
        notices = notices.select_for_update(skip_locked=True, of=("self",))
    # Only what choosing the message's items needs: an admin may have hundreds pending, and
    # the composer loads the few asks it words in full (messages.nudge_message_queue).
    rows = list(
        notices.select_related("nudge", "nudge__ask")
        .only(*NOTICE_FIELDS)
        .order_by("created_at", "pk")
    )
    return Pending(recipient=recipient, notices=rows)


NOTICE_FIELDS = (
    "role",
    "created_at",
    "recipient",
    "message",
    "nudge",
    "nudge__kind",
    "nudge__ask",
    "nudge__ask__status",
    "nudge__ask__held_at",
    "nudge__ask__due_at",
)
