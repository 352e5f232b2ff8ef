"""The follow-up engine's worker steps (docs/architecture.md#the-follow-up-engine).

1. `asks_advance`: the open asks whose next rung is due, in batches of BATCH: each batch locks
   the asks still as they were read (SKIP LOCKED on PostgreSQL), moves their ladders forward
   in memory and writes the asks, Nudges and Notices in bulk, in one transaction. A batch that
   fails as a whole goes one ask at a time, each with a conditional UPDATE on the values read
   (only the worker whose UPDATE changed the row writes the Nudge and its Notices). The
   Nudge's unique (ask, step) makes a double nudge impossible even if that reasoning were
   wrong.
2. `notices_compose`: for each person with notices whose `not_before` has come (inside their
   working hours, past their batching window), render everything pending into one message
   and queue its delivery.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Min
from django.db.models.functions import Greatest
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.followups.messages import asks_worded_for, nudge_message_queue
from closeloop.followups.models import Ask, AskStatus, Notice, Nudge
from closeloop.followups.notices import (
    PendingNotice,
    active_admins,
    ask_recipients,
    notice_not_before,
    notices_not_before,
    pending_notices,
)
from closeloop.lib.sweep import Swept, sweep

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import QuerySet

log = logging.getLogger("closeloop.engine")

# How long a row a step failed on waits before the step tries it again.
RETRY_AFTER = dt.timedelta(minutes=10)


# Due asks are advanced this many at a time: one transaction, one lock query and a few bulk
# writes per batch instead of several queries and a commit per ask. The commit is the batch's
# largest cost on PostgreSQL (the WAL flush, and the foreign keys of its nudges and notices
# checked then), so a batch is as large as a step's claim; it holds its rows (PostgreSQL: other
# workers skip them) or SQLite's write lock for a few tenths of a second, and only while a
# backlog drains: in steady state a step finds a few asks due.
BATCH = 500


def _step_at(ask: Ask, index: int) -> dt.datetime | None:
    steps = ask.policy.get("steps", [])
    return dt.datetime.fromisoformat(steps[index]["at"]) if index < len(steps) else None


@dataclass(frozen=True)
class Rung:
    """What reaching an ask's next rung does: a nudge at `step`, or only a new next-run time
    (`step` None) when the ladder is done or the owner's reminder is snoozed."""

    step: dict[str, Any] | None
    next_nudge_at: dt.datetime | None
    level: int


def _next_rung(ask: Ask, now: dt.datetime) -> Rung:
    """The one rule for a due ask's next rung, shared by the batch and the one-by-one path."""
    steps = ask.policy.get("steps", [])
    if ask.steps_done >= len(steps):
        return Rung(None, None, ask.level)
    step = steps[ask.steps_done]
    if step["level"] == 0 and ask.is_snoozed(now):
        # Snoozed: the owner's reminders wait; escalations still go out on time.
        return Rung(None, ask.snoozed_until, ask.level)
    return Rung(step, _step_at(ask, ask.steps_done + 1), max(ask.level, step["level"]))


def _nudge(ask: Ask, step: dict[str, Any], index: int, now: dt.datetime) -> Nudge:
    return Nudge(
        ask=ask,
        step=index,
        kind=step["kind"],
        level=step["level"],
        scheduled_at=dt.datetime.fromisoformat(step["at"]),
        created_at=now,
    )


def asks_due(*, now: dt.datetime, limit: int) -> list[tuple[int, int, dt.datetime]]:
    """(id, steps_done, next_nudge_at) of open asks due a rung (served by the partial index)."""
    return list(
        Ask.objects.filter(status=AskStatus.OPEN, next_nudge_at__lte=now)
        .order_by("next_nudge_at")
        .values_list("pk", "steps_done", "next_nudge_at")[:limit]
    )


Row = tuple[int, int, dt.datetime]


def asks_advance(*, now: dt.datetime | None = None, limit: int = 500) -> Swept:
    """Worker step: reach every rung that is due of every due ask; handled = nudges written.

    The due asks go in batches (`asks_advance_batch`). An ask that raises waits RETRY_AFTER
    (its next rung's time moves, if it is still due) while the rest of its batch commits.
    """
    now = now or timezone.now()
    rows = asks_due(now=now, limit=limit)
    swept = Swept()
    for start in range(0, len(rows), BATCH):
        swept += asks_advance_batch(rows[start : start + BATCH], now=now)
    return swept


def _push_back(now: dt.datetime) -> Callable[[Row, Exception], None]:
    def push_back(row: Row, error: Exception) -> None:
        Ask.objects.filter(pk=row[0], status=AskStatus.OPEN, next_nudge_at__lte=now).update(
            next_nudge_at=now + RETRY_AFTER
        )

    return push_back


def _row_id(row: Row) -> str:
    return f"ask {row[0]}"


def asks_advance_batch(rows: list[Row], *, now: dt.datetime) -> Swept:
    """Advance a batch of due asks in one transaction; handled = nudges written.

    The rows still as we read them are locked at once (PostgreSQL: SKIP LOCKED, so rows
    another worker holds are left to it; SQLite has one writer), each ask's rungs are worked
    out in memory, and the asks, nudges and notices are written in bulk. An ask whose rungs
    raise is left out of the batch, then logged and pushed back by the sweep like any row.
    If the batch as a whole fails (another worker's nudge tripped the unique (ask, step),
    say), it rolls back and its asks go one by one, each in its own transaction.
    """
    failures: list[tuple[Row, Exception]] = []
    try:
        with transaction.atomic():
            batch = AdvanceBatch.lock(rows, now=now)
            for row in rows:
                pk, steps_done, nudge_at = row
                try:
                    ask_catch_up(
                        pk=pk, steps_done=steps_done, nudge_at=nudge_at, now=now, batch=batch
                    )
                except Exception as error:
                    failures.append((row, error))
            handled = batch.write()
    except Exception:
        log.warning(
            "asks_advance: a batch of %s asks failed; advancing them one by one",
            len(rows),
            exc_info=True,
        )
        return _advance_one_by_one(rows, now=now)
    # The asks that raised: logged and pushed back, exactly as a one-by-one sweep does.
    return Swept(handled=handled) + sweep(
        "asks_advance",
        failures,
        _raise_again,
        push_back=lambda failure, error: _push_back(now)(failure[0], error),
        row_id=lambda failure: _row_id(failure[0]),
    )


def _raise_again(failure: tuple[Row, Exception]) -> int:
    raise failure[1]


def _advance_one_by_one(rows: list[Row], *, now: dt.datetime) -> Swept:
    def advance(row: Row) -> int:
        pk, steps_done, nudge_at = row
        return ask_catch_up(pk=pk, steps_done=steps_done, nudge_at=nudge_at, now=now)

    return sweep("asks_advance", rows, advance, push_back=_push_back(now), row_id=_row_id)


def ask_catch_up(
    *,
    pk: int,
    steps_done: int,
    nudge_at: dt.datetime,
    now: dt.datetime,
    batch: AdvanceBatch | None = None,
) -> int:
    """Every rung of one ask that is due by now: in `batch`, else each in its own transaction.

    After downtime (or in a freshly seeded demo) an ask may owe several rungs; reaching them
    in one visit means its reader's next message carries all of them, instead of the first
    one going out and the batching window holding the escalation back for hours.
    """
    written = 0
    next_at: dt.datetime | None = nudge_at
    while next_at is not None and next_at <= now:
        if not ask_advance_one(
            pk=pk, steps_done=steps_done, nudge_at=next_at, now=now, batch=batch
        ):
            break
        written += 1
        steps_done += 1
        if batch is not None:
            next_at = batch.asks[pk].next_nudge_at
        else:
            next_at = Ask.objects.filter(pk=pk).values_list("next_nudge_at", flat=True).first()
    return written


def ask_advance_one(
    *,
    pk: int,
    steps_done: int,
    nudge_at: dt.datetime,
    now: dt.datetime,
    batch: AdvanceBatch | None = None,
) -> int:
    """Move one ask a rung up its ladder if no other worker did it first; 1 if we did.

    In a batch, the move is made on the locked ask in memory and written with the batch;
    alone, in a transaction of its own with a conditional UPDATE on the values read.
    """
    if batch is not None:
        return batch.advance(pk, steps_done, nudge_at)
    return _advance_alone(pk=pk, steps_done=steps_done, nudge_at=nudge_at, now=now)


@transaction.atomic
def _advance_alone(*, pk: int, steps_done: int, nudge_at: dt.datetime, now: dt.datetime) -> int:
    ask = _lock_ask(pk, steps_done, nudge_at)
    if ask is None:
        return 0  # another worker has it, or has already moved it on
    rung = _next_rung(ask, now)
    claim = Ask.objects.filter(
        pk=pk, status=AskStatus.OPEN, steps_done=steps_done, next_nudge_at=nudge_at
    )
    if rung.step is None:
        claim.update(next_nudge_at=rung.next_nudge_at)
        return 0
    won = claim.update(
        steps_done=steps_done + 1,
        next_nudge_at=rung.next_nudge_at,
        level=Greatest("level", rung.step["level"]),
    )
    if won != 1:
        return 0
    nudge = _nudge(ask, rung.step, steps_done, now)
    nudge.save()
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
    return 1


# What reading an ask to advance it also reads: who hears about its rungs.
ASK_RELATED = ("owner__manager", "job__hiring_manager", "job__escalation_contact")


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
    return Ask.objects.select_related(*ASK_RELATED, "original_owner").get(pk=pk)


def _asks_write(asks: list[Ask]) -> None:
    """Write the ladder position of locked asks: one UPDATE by primary key each, sent together.

    (bulk_update's one statement of CASE WHEN per column grows with the square of the batch;
    psycopg sends an executemany in one round trip.)
    """
    if not asks:
        return
    sql = "UPDATE followups_ask SET steps_done = %s, next_nudge_at = %s, level = %s WHERE id = %s"
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [(ask.steps_done, adapt(ask.next_nudge_at), ask.level, ask.pk) for ask in asks]
        )


class AdvanceBatch:
    """A batch of due asks locked in one transaction, advanced in memory, written in bulk.

    The lock replaces the conditional UPDATE of the one-by-one path: a row is advanced only
    if it is still open with the ladder position we read, and no other worker can move it
    before we commit (PostgreSQL: our row lock, rows locked by others skipped; SQLite: the
    transaction is the only writer). The unique (ask, step) of Nudge still backs this up.
    """

    def __init__(self, asks: dict[int, Ask], now: dt.datetime) -> None:
        self.asks = asks  # locked, still as the due-asks query read them
        self.now = now
        self.changed: set[int] = set()
        self.nudges: list[Nudge] = []
        self.told: list[tuple[Nudge, User, str]] = []
        self._admins: list[User] | None = None

    @classmethod
    def lock(cls, rows: list[Row], *, now: dt.datetime) -> AdvanceBatch:
        asks = Ask.objects.filter(pk__in=[row[0] for row in rows], status=AskStatus.OPEN)
        if connection.vendor == "postgresql":
            # NO KEY UPDATE: see _lock_ask; OF: the people read with the ask stay unlocked.
            asks = asks.select_for_update(skip_locked=True, no_key=True, of=("self",))
        locked = {ask.pk: ask for ask in asks.select_related(*ASK_RELATED).order_by()}
        read = {pk: (steps_done, nudge_at) for pk, steps_done, nudge_at in rows}
        # Moved on since we read it: another worker reached the rung (or is past it).
        unchanged = {
            pk: ask for pk, ask in locked.items() if (ask.steps_done, ask.next_nudge_at) == read[pk]
        }
        return cls(unchanged, now)

    @property
    def admins(self) -> list[User]:
        if self._admins is None:
            self._admins = active_admins()
        return self._admins

    def advance(self, pk: int, steps_done: int, nudge_at: dt.datetime) -> int:
        """One rung of one locked ask, in memory; 1 if it is a nudge."""
        ask = self.asks.get(pk)
        if ask is None or (ask.steps_done, ask.next_nudge_at) != (steps_done, nudge_at):
            return 0  # another worker has it, or has already moved it on
        rung = _next_rung(ask, self.now)
        told = (
            [] if rung.step is None else ask_recipients(ask, rung.step["level"], admins=self.admins)
        )
        # Only now that nothing can raise for this rung does the ask change in memory.
        self.changed.add(pk)
        ask.next_nudge_at = rung.next_nudge_at
        if rung.step is None:
            return 0
        nudge = _nudge(ask, rung.step, steps_done, self.now)
        self.nudges.append(nudge)
        self.told.extend((nudge, person, role) for person, role in told)
        ask.steps_done, ask.level = steps_done + 1, rung.level
        return 1

    def write(self) -> int:
        """The asks, their nudges and the notices, in three bulk statements; nudges written."""
        _asks_write([self.asks[pk] for pk in sorted(self.changed)])
        Nudge.objects.bulk_create(self.nudges)
        not_before = notices_not_before(
            {person.pk: person for _, person, _ in self.told}.values(), self.now
        )
        Notice.objects.bulk_create(
            Notice(
                nudge=nudge,
                recipient=person,
                role=role,
                created_at=self.now,
                not_before=not_before[person.pk],
            )
            for nudge, person, role in self.told
        )
        return len(self.nudges)


@dataclass
class Pending:
    recipient: User
    notices: list[PendingNotice]


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
        with transaction.atomic():  # a savepoint when a batch is open: a failure stays here
            Notice.objects.filter(recipient_id=recipient_id, message__isnull=True).update(
                not_before=now + RETRY_AFTER
            )

    def compose(people: list[int], ahead: ComposeAhead | None) -> Swept:
        return sweep(
            "notices_compose",
            people,
            lambda recipient_id: notices_compose_for(
                recipient_id=recipient_id, now=now, ahead=ahead
            ),
            push_back=push_back,
            row_id=lambda recipient_id: f"user {recipient_id}",
        )

    recipients = notices_ready(now=now, limit=limit)
    swept = Swept()
    for start in range(0, len(recipients), COMPOSE_BATCH):
        people = recipients[start : start + COMPOSE_BATCH]
        try:
            # One commit for the batch; each person's message is a savepoint inside it.
            with transaction.atomic():
                batch = compose(people, compose_ahead(people, now))
        except Exception:
            log.warning(
                "notices_compose: a batch of %s people failed to commit; composing "
                "their messages one by one",
                len(people),
                exc_info=True,
            )
            batch = compose(people, None)
        swept += batch
    return swept


# People whose messages are composed in one transaction, each message in a savepoint: a
# commit waits for the disk, a savepoint does not. A person whose message raises rolls back
# to their savepoint and is pushed back; the others of the batch commit together.
COMPOSE_BATCH = 20


@dataclass
class ComposeAhead:
    """What a compose batch read, under its locks, for all its people at once, so that
    composing each one's message reads nothing: per person it only writes."""

    people: dict[int, User]  # the people this worker holds the compose lock of
    ready_at: dict[int, dt.datetime]  # each one's notice_not_before
    notices: dict[int, list[PendingNotice]]  # the pending notices of those ready now, locked
    asks: dict[int, Ask]  # the asks their messages word


def compose_ahead(recipient_ids: list[int], now: dt.datetime) -> ComposeAhead:
    """Lock and read a compose batch in a few queries: the compose locks, the people, their
    batching windows, their pending notices and the asks their messages will word.

    Call inside the batch's transaction: the locks and the notices' row locks last until it
    commits, exactly as when each message took its own (notices_compose_for without it).
    """
    people = User.objects.in_bulk(_compose_locks(recipient_ids))
    ready_at = notices_not_before(people.values(), now)
    ready = [pk for pk, moment in ready_at.items() if moment <= now]
    notices: dict[int, list[PendingNotice]] = {pk: [] for pk in ready}
    for notice in pending_notices(_pending_rows(ready)):
        notices[notice.recipient_id].append(notice)
    return ComposeAhead(
        people=people, ready_at=ready_at, notices=notices, asks=asks_worded_for(notices, people)
    )


@transaction.atomic
def notices_compose_for(
    *, recipient_id: int, now: dt.datetime, ahead: ComposeAhead | None = None
) -> int:
    """Queue one message with everything pending for one person; 1 if we did.

    `ahead`: what the batch already locked and read (compose_ahead); without it the person's
    lock and reads are taken here.
    """
    if ahead is None:
        pending = _lock_pending(recipient_id, now)
    else:
        pending = _pending_ahead(recipient_id, now, ahead)
    if pending is None or not pending.notices:
        return 0
    nudge_message_queue(
        recipient=pending.recipient,
        notices=pending.notices,
        now=now,
        worded=ahead.asks if ahead else None,
    )
    return 1


# First key of the PostgreSQL advisory lock that makes one worker at a time compose for a person.
COMPOSE_LOCK = 0x6E756467  # "nudg"


def _compose_lock(recipient_id: int) -> bool:
    """Take this person's compose lock until the transaction ends; False if a worker has it.

    SQLite runs one writing transaction at a time, so there is nothing to take there.
    """
    return bool(_compose_locks([recipient_id]))


def _compose_locks(recipient_ids: list[int]) -> list[int]:
    """Take the compose lock of each person, in one query; those whose lock we got."""
    if connection.vendor != "postgresql" or not recipient_ids:
        return list(recipient_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person, pg_try_advisory_xact_lock(%s, (person %% 2147483648)::int) "
            "FROM unnest(%s::bigint[]) AS person",
            [COMPOSE_LOCK, list(recipient_ids)],
        )
        return [person for person, locked in cursor.fetchall() if locked]


def _pending_rows(recipient_ids: list[int]) -> QuerySet[Notice]:
    """The pending notices of these people, locked (PostgreSQL: rows another worker holds
    are skipped; its message takes them)."""
    notices = Notice.objects.filter(recipient_id__in=recipient_ids, message__isnull=True)
    if connection.vendor == "postgresql":
        notices = notices.select_for_update(skip_locked=True, of=("self",))
    return notices


def _hold_until(recipient_id: int, ready_at: dt.datetime) -> None:
    """The person's batching window is still open: their notices wait for its end."""
    Notice.objects.filter(
        recipient_id=recipient_id, message__isnull=True, not_before__lt=ready_at
    ).update(not_before=ready_at)


def _pending_ahead(recipient_id: int, now: dt.datetime, ahead: ComposeAhead) -> Pending | None:
    """`_lock_pending` from what the batch locked and read."""
    recipient = ahead.people.get(recipient_id)
    if recipient is None:  # another worker is composing for them
        return None
    ready_at = ahead.ready_at[recipient_id]
    if ready_at > now:
        _hold_until(recipient_id, ready_at)
        return None
    return Pending(recipient=recipient, notices=ahead.notices[recipient_id])


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
        _hold_until(recipient_id, ready_at)
        return None
    # Only what choosing the message's items needs: an admin may have hundreds pending, and
    # the composer loads the few asks it words in full (messages.nudge_message_queue).
    return Pending(recipient=recipient, notices=pending_notices(_pending_rows([recipient_id])))
