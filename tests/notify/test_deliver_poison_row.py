"""A delivery whose send raises goes back to the queue; the rest of the batch still goes out."""

from __future__ import annotations

import datetime as dt
import logging

import time_machine

from closeloop.lib.sweep import Swept
from closeloop.notify import outbox
from closeloop.notify.models import Delivery, DeliveryStatus
from closeloop.notify.services import message_queue
from poison import Poison, sweep_errors


def queue_notice(user):
    return message_queue(
        recipient=user,
        template="notice",
        context={"recipient": user, "subject": "Carla waits on you", "body": "Since Monday."},
    )


def test_a_delivery_that_raises_is_queued_again_and_the_batch_goes_on(
    world, smtp_sink, monkeypatch, caplog
):
    bad = Delivery.objects.get(message=queue_notice(world.hank))
    good = Delivery.objects.get(message=queue_notice(world.olga))
    poison = Poison(monkeypatch, outbox, "delivery_send", lambda **row: row["pk"] == bad.pk)
    with caplog.at_level(logging.ERROR):
        swept = outbox.deliver_due(worker="w1")
    good.refresh_from_db()
    assert good.status == DeliveryStatus.SENT
    assert [m["To"] for m in smtp_sink.received] == ["olga@example.com"]
    bad.refresh_from_db()
    assert bad.status == DeliveryStatus.QUEUED and bad.lease_until is None
    assert bad.next_attempt_at > dt.datetime.now(dt.UTC)
    assert bad.last_error.startswith("PoisonError")
    [line] = sweep_errors(caplog)
    assert "deliver_due" in line.getMessage() and f"delivery {bad.pk}" in line.getMessage()
    assert swept == Swept(handled=1, failed=1)
    assert outbox.deliver_due(worker="w1") == Swept()  # not before its backoff has passed
    assert poison.calls == 1
    poison.cure()
    with time_machine.travel(bad.next_attempt_at + dt.timedelta(seconds=1)):
        assert outbox.deliver_due(worker="w1") == Swept(handled=1)
    bad.refresh_from_db()
    assert bad.status == DeliveryStatus.SENT and bad.attempts == 2


def test_a_delivery_that_raises_on_its_last_attempt_fails_for_good(world, smtp_sink, monkeypatch):
    bad = Delivery.objects.get(message=queue_notice(world.hank))
    Delivery.objects.filter(pk=bad.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    Poison(monkeypatch, outbox, "delivery_send", lambda **row: True)
    assert outbox.deliver_due(worker="w1") == Swept(failed=1)
    bad.refresh_from_db()
    assert bad.status == DeliveryStatus.FAILED and bad.attempts == outbox.MAX_ATTEMPTS
