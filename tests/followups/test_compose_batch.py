"""Messages are composed in batches: one commit, each person's message in a savepoint.

A person whose message fails in the database (not only in Python) rolls back to their own
savepoint; the others of the batch still commit, and that person waits RETRY_AFTER.
"""

from __future__ import annotations

import datetime as dt
import logging

from closeloop.followups import engine
from closeloop.followups.models import Notice, Nudge
from closeloop.lib.sweep import Swept
from closeloop.notify.models import Message
from poison import sweep_errors

TUESDAY_10_01 = dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC)


def test_a_message_that_fails_in_the_database_rolls_back_alone(world, clock, monkeypatch, caplog):
    from closeloop.pipeline.services import application_submit

    application_submit(application=world.interviewed, by=world.rita, pitch="Strong.")
    application_submit(application=world.other_application, by=world.ada, pitch="Sharp.")
    clock.move_to(TUESDAY_10_01)
    engine.asks_advance()
    real = engine.nudge_message_queue

    def failing(*, recipient, **kwargs):
        message = real(recipient=recipient, **kwargs)
        if recipient == world.hank:
            nudge = Nudge.objects.filter(ask__owner=world.hank).first()
            Nudge.objects.create(  # a duplicate (ask, step): the database refuses it
                ask=nudge.ask, step=nudge.step, kind="x", level=0, scheduled_at=TUESDAY_10_01
            )
        return message

    monkeypatch.setattr(engine, "nudge_message_queue", failing)
    with caplog.at_level(logging.ERROR):
        swept = engine.notices_compose()
    assert swept == Swept(handled=1, failed=1)
    assert Message.objects.filter(recipient=world.olga, template="nudge").count() == 1
    assert not Message.objects.filter(recipient=world.hank).exists()
    # Both of hank's notices (the opening notice and the halfway reminder) wait together.
    waiting = Notice.objects.filter(recipient=world.hank)
    assert waiting.count() == 2
    for notice in waiting:
        assert notice.message is None and notice.not_before == TUESDAY_10_01 + engine.RETRY_AFTER
    [line] = sweep_errors(caplog)
    assert f"user {world.hank.pk}" in line.getMessage()


def compose_statements() -> tuple[int, int]:
    """(SELECTs, all statements) of one compose step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        engine.notices_compose()
    sql = [query["sql"].lstrip().upper() for query in queries]
    return sum(statement.startswith("SELECT") for statement in sql), len(sql)


def test_a_batch_reads_once_for_all_its_people_and_each_message_only_writes(world, clock):
    from closeloop.pipeline.services import application_submit, candidate_add

    for person in (world.hank, world.olga):  # no batching window: each may get two messages
        person.batch_window_minutes = 0
        person.save()
    application_submit(application=world.interviewed, by=world.rita, pitch="Strong.")
    clock.move_to(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC))  # Monday noon
    data = {"full_name": "Nina Noon", "email": "nina@cand.example"}
    noon = candidate_add(job=world.job, by=world.rita, data=data).application
    application_submit(application=noon, by=world.rita, pitch="Sharp.")
    application_submit(application=world.other_application, by=world.ada, pitch="Keen.")
    engine.asks_advance()  # the opening notices, out of the way: one message each
    engine.notices_compose()
    assert Message.objects.filter(recipient=world.hank, template="nudge").count() == 1
    assert Message.objects.filter(recipient=world.olga, template="nudge").count() == 1
    clock.move_to(TUESDAY_10_01)  # the reminder of hank's first review only
    engine.asks_advance()
    one_reads, one_all = compose_statements()
    assert Message.objects.filter(template="nudge").count() == 3
    clock.move_to(dt.datetime(2026, 11, 24, 12, 1, tzinfo=dt.UTC))  # hank's and olga's
    engine.asks_advance()
    two_reads, two_all = compose_statements()
    assert Message.objects.filter(recipient=world.hank, template="nudge").count() == 3
    assert Message.objects.filter(recipient=world.olga, template="nudge").count() == 2
    # One more person: the same reads, and only a message's writes (savepoint, links, the
    # message and its delivery, its notices marked sent, release).
    assert two_reads == one_reads
    assert two_all - one_all <= 6
