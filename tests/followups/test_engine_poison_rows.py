"""A row the engine's steps cannot handle is pushed back and logged; the others still go."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from closeloop.followups import engine
from closeloop.followups.models import Ask, Notice, Nudge
from closeloop.lib.sweep import Swept
from closeloop.notify.models import Message
from poison import Poison, sweep_errors

# Tuesday 10:01: the halfway reminders of Monday 10:00's reviews are due.
TUESDAY_10_01 = dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC)
LATER = dt.timedelta(minutes=11)


@pytest.fixture
def two_reviews(world, clock):
    """Carla submitted to hank, Otto to olga: two review asks, due a reminder together."""
    from closeloop.pipeline.services import application_submit

    application_submit(application=world.interviewed, by=world.rita, pitch="Strong.")
    application_submit(application=world.other_application, by=world.ada, pitch="Sharp.")
    return (
        Ask.objects.get(kind="review_submission", owner=world.hank),
        Ask.objects.get(kind="review_submission", owner=world.olga),
    )


def test_an_ask_that_raises_waits_while_the_other_asks_advance(
    two_reviews, clock, monkeypatch, caplog
):
    bad, good = two_reviews
    poison = Poison(monkeypatch, engine, "ask_advance_one", lambda **row: row["pk"] == bad.pk)
    clock.move_to(TUESDAY_10_01)
    with caplog.at_level(logging.ERROR):
        swept = engine.asks_advance()
    # The good ask reaches both its due rungs (the opening notice and the halfway reminder).
    assert Nudge.objects.filter(ask=good).count() == 2
    assert not Nudge.objects.filter(ask=bad).exists()
    bad.refresh_from_db()
    assert bad.next_nudge_at == TUESDAY_10_01 + engine.RETRY_AFTER
    [line] = sweep_errors(caplog)
    assert "asks_advance" in line.getMessage() and f"ask {bad.pk}" in line.getMessage()
    assert swept == Swept(handled=2, failed=1)
    assert engine.asks_advance() == Swept()  # the next loop does not spin on it
    assert poison.calls == 1
    poison.cure()
    clock.move_to(TUESDAY_10_01 + LATER)
    assert engine.asks_advance() == Swept(handled=2)
    assert Nudge.objects.filter(ask=bad).count() == 2


def test_a_person_whose_message_raises_waits_while_the_others_get_theirs(
    world, two_reviews, clock, monkeypatch, caplog
):
    clock.move_to(TUESDAY_10_01)
    engine.asks_advance()
    poison = Poison(
        monkeypatch,
        engine,
        "notices_compose_for",
        lambda **row: row["recipient_id"] == world.hank.pk,
    )
    with caplog.at_level(logging.ERROR):
        swept = engine.notices_compose()
    assert Message.objects.filter(recipient=world.olga, template="nudge").count() == 1
    assert not Message.objects.filter(recipient=world.hank).exists()
    # Both of hank's notices (the opening notice and the halfway reminder) wait together.
    waiting = Notice.objects.filter(recipient=world.hank)
    assert waiting.count() == 2
    for notice in waiting:
        assert notice.message is None
        assert notice.not_before == TUESDAY_10_01 + engine.RETRY_AFTER
    [line] = sweep_errors(caplog)
    assert "notices_compose" in line.getMessage()
    assert f"user {world.hank.pk}" in line.getMessage()
    assert swept == Swept(handled=1, failed=1)
    assert engine.notices_compose() == Swept()
    assert poison.calls == 1
    poison.cure()
    clock.move_to(TUESDAY_10_01 + LATER)
    assert engine.notices_compose() == Swept(handled=1)
    assert Message.objects.filter(recipient=world.hank, template="nudge").count() == 1
