"""Due asks advance in batches: one transaction, a fixed number of queries, the same rungs.

A batch locks the asks still as the due-asks query read them, works their rungs out in
memory and writes asks, nudges and notices in bulk. An ask another worker moved on is left
alone; a batch that fails as a whole goes one ask at a time.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.followups import engine
from closeloop.followups.models import Ask, Notice, Nudge
from closeloop.lib.sweep import Swept
from poison import sweep_errors

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
# Tuesday 10:30: the halfway reminders of every review submitted on Monday morning are due.
TUESDAY_10_30 = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
MONDAY_11 = dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC)


def submit(world, clock, count: int, first: int = 0) -> list[Ask]:
    """`count` candidates submitted to hank a minute apart; their review asks, oldest first."""
    from closeloop.pipeline.services import application_submit, candidate_add

    for i in range(first, first + count):
        clock.move_to(MONDAY_10 + dt.timedelta(minutes=i))
        data = {"full_name": f"Cand {i}", "email": f"c{i}@cand.example"}
        application = candidate_add(job=world.job, by=world.rita, data=data).application
        application_submit(application=application, by=world.rita, pitch="Strong.")
    return list(Ask.objects.filter(kind="review_submission").order_by("opened_at", "pk"))


def past_the_opening_notices(clock) -> None:
    """Monday 11:00: each review's first rung (its owner told of it) is reached, so that the
    next due rung of every ask is its halfway reminder."""
    clock.move_to(MONDAY_11)
    engine.asks_advance()
    assert not Ask.objects.filter(kind="review_submission", steps_done=0).exists()


def test_a_batch_reaches_each_due_rung_once_with_its_notices(world, clock):
    world.hank.manager = world.olga
    world.hank.save()
    asks = submit(world, clock, 3)
    clock.move_to(dt.datetime(2026, 11, 26, 10, 30, tzinfo=dt.UTC))  # four rungs late
    assert engine.asks_advance() == Swept(handled=Nudge.objects.count())
    assert Nudge.objects.filter(ask__in=asks).count() == 12
    for ask in asks:
        kinds = list(ask.nudges.order_by("step").values_list("kind", flat=True))
        assert kinds == ["reminder", "reminder", "due", "escalation"]
        ask.refresh_from_db()
        assert (ask.steps_done, ask.level) == (4, 1)
        assert ask.next_nudge_at > dt.datetime(2026, 11, 26, 10, 30, tzinfo=dt.UTC)
    # The owner hears of every rung; the owner's manager of the escalation.
    assert Notice.objects.filter(recipient=world.hank).count() == 12
    assert (
        list(Notice.objects.filter(recipient=world.olga).values_list("role", flat=True))
        == ["escalation"] * 3
    )
    assert engine.asks_advance() == Swept()


def test_an_ask_another_worker_moved_on_since_it_was_read_is_left_alone(world, clock):
    first, second = submit(world, clock, 2)
    past_the_opening_notices(clock)
    clock.move_to(TUESDAY_10_30)
    rows = engine.asks_due(now=TUESDAY_10_30, limit=10)
    # Another worker reaches the first ask's reminder between our read and our lock.
    mine = [row for row in rows if row[0] == first.pk]
    assert engine.asks_advance_batch(mine, now=TUESDAY_10_30) == Swept(handled=1)
    assert engine.asks_advance_batch(rows, now=TUESDAY_10_30) == Swept(handled=1)
    halfway = Nudge.objects.filter(step=1)
    assert halfway.filter(ask=first).count() == 1
    assert halfway.filter(ask=second).count() == 1
    assert Nudge.objects.count() == 4  # and each ask's opening notice, reached on Monday


def test_a_batch_that_fails_as_a_whole_goes_one_ask_at_a_time(world, clock, caplog):
    first, second = submit(world, clock, 2)
    past_the_opening_notices(clock)
    clock.move_to(TUESDAY_10_30)
    # A nudge already written for the first ask's rung: the batch's bulk insert trips the
    # unique (ask, step), so it rolls back; one by one, only that ask fails and waits.
    Nudge.objects.create(
        ask=first, step=1, kind="reminder", level=0, scheduled_at=MONDAY_10, created_at=MONDAY_10
    )
    with caplog.at_level(logging.WARNING):
        swept = engine.asks_advance()
    assert swept == Swept(handled=1, failed=1)
    assert Nudge.objects.filter(ask=second, step=1).count() == 1
    assert (
        Notice.objects.filter(nudge__ask=second, nudge__step=1, recipient=world.hank).count() == 1
    )
    first.refresh_from_db()
    assert first.steps_done == 1 and first.next_nudge_at == TUESDAY_10_30 + engine.RETRY_AFTER
    [line] = sweep_errors(caplog)
    assert f"ask {first.pk}" in line.getMessage()
    assert "one by one" in caplog.text


def advance_queries(world, clock, count: int, first: int) -> int:
    submit(world, clock, count, first)
    clock.move_to(TUESDAY_10_30)
    with CaptureQueriesContext(connection) as queries:
        # Two rungs each: the opening notice and the halfway reminder, in one visit.
        assert engine.asks_advance().handled == 2 * count
    return len(queries)


def test_advancing_costs_no_query_per_ask(world, clock):
    one = advance_queries(world, clock, 1, first=0)
    many = advance_queries(world, clock, 6, first=1)
    assert many == one
