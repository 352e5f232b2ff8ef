"""A worker killed with SIGKILL mid-delivery loses nothing (docs/architecture.md#the-worker).

Delivery is at-least-once: a fresh worker takes over the dead one's deliveries once their
lease has run out, every message arrives, and the only duplicate is the send that was in
flight at the kill, under the same Message-ID so mail clients fold it into one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import threading
import time

import pytest
import time_machine

import workerproc
from closeloop.notify.models import Delivery, DeliveryStatus, Message
from closeloop.notify.services import message_queue

MESSAGES = 200
KILL_AT = 60  # the 60th message is the one in flight when the worker dies
LEASE_SECONDS = 3


class HoldingSink(workerproc.RecordingSink):
    """Records each message, then holds the 250 reply to message number KILL_AT for good."""

    def __init__(self) -> None:
        super().__init__(delay=0.005)
        self.holding = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        if self.count() == KILL_AT and not self.holding.is_set():
            self.holding.set()
            await asyncio.sleep(30)  # the worker dies waiting for this reply
        return reply


def queue_messages(users, count: int = MESSAGES) -> list[Message]:
    return [
        message_queue(
            recipient=users[index % len(users)],
            template="notice",
            context={
                "recipient": users[index % len(users)],
                "subject": f"Candidate {index} is waiting",
                "body": "They have waited 3 business days.",
                "action_url": "http://127.0.0.1:8000/applications/1/",
            },
        )
        for index in range(count)
    ]


@pytest.fixture
def sink():
    sink = HoldingSink()
    controller = workerproc.sink_start(sink)
    yield sink, controller.port
    controller.stop()


@pytest.mark.slow
def test_a_worker_killed_mid_send_loses_nothing_and_the_only_duplicate_keeps_its_message_id(
    transactional_db, world, sink, tmp_path
):
    sink, port = sink
    messages = queue_messages([world.hank, world.rita, world.ivy, world.olga])
    database_url = workerproc.child_database_url()
    env = workerproc.child_environment(
        database_url=database_url,
        data_dir=tmp_path,
        smtp_port=port,
        CLOSELOOP_DELIVERY_LEASE_SECONDS=str(LEASE_SECONDS),
        # As the messages were queued (this folder's quiet hours are off): a delivery whose
        # lease ran out waits for working hours like any retry, and this test runs at any hour.
        CLOSELOOP_QUIET_HOURS="false",
    )
    first = workerproc.worker_start(env, tmp_path / "first.log")
    workers = [first]
    try:
        assert sink.holding.wait(timeout=60), "the first worker never reached the kill point"
        first.process.send_signal(signal.SIGKILL)
        assert first.process.wait(timeout=10) == -signal.SIGKILL
        killed_at = time.time()
        in_flight = sink.received[KILL_AT - 1]
        orphan_lease = workerproc.scalar(
            "SELECT max(lease_until) FROM notify_delivery WHERE status = 'sending'",
        )

        second = workerproc.worker_start(env, tmp_path / "second.log")
        workers.append(second)
        waited = workerproc.wait_until(
            lambda: (
                workerproc.scalar("SELECT count(*) FROM notify_delivery WHERE status <> 'sent'")
                == 0
            ),
            timeout=60,
            what="every delivery to be sent",
            workers=[second],
        )
        assert workerproc.workers_stop([second]) == [0]
    finally:
        workerproc.workers_kill(workers)

    received = sink.by_message_id()
    expected = {message.message_id for message in messages}
    assert set(received) == expected, "a message was lost or an unknown one was sent"
    duplicates = {message_id: n for message_id, n in received.items() if n > 1}
    assert duplicates == {in_flight: 2}, "only the send in flight at the kill may repeat"
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == MESSAGES
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
    assert "Traceback" not in second.log and "ERROR" not in second.log

    # The dead worker's deliveries waited for their lease before anyone took them over.
    lease_until = _as_datetime(orphan_lease)
    assert lease_until is not None, "the killed worker held no lease"
    resent = Delivery.objects.get(message__message_id=in_flight)
    assert resent.sent_at >= lease_until
    # … and that lease was the configured few seconds, not the default two minutes.
    killed = dt.datetime.fromtimestamp(killed_at, dt.UTC)
    assert lease_until <= killed + dt.timedelta(seconds=LEASE_SECONDS)
    print(
        f"\n{MESSAGES} messages, worker killed after {KILL_AT} arrived; the fresh worker "
        f"finished in {waited:.1f} s ({time.time() - killed_at:.1f} s after the kill)"
    )


def _as_datetime(value: object) -> dt.datetime | None:
    """SQLite hands the raw column back as text; PostgreSQL as an aware datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def test_a_worker_whose_lease_ran_out_mid_batch_does_not_send_what_another_worker_took(
    world, smtp_sink
):
    """A slow batch: w1 claims two, the first send outlasts the lease, w2 takes the second.

    Before sending each row w1 renews its lease; the row w2 took is no longer w1's, so w1
    skips it and the candidate's message goes out once, not twice.
    """
    from closeloop.notify import outbox

    first, second = queue_messages([world.hank], count=2)
    claimed_at = Delivery.objects.get(message=first).next_attempt_at + dt.timedelta(seconds=1)
    with time_machine.travel(claimed_at, tick=False) as clock:
        assert len(outbox.delivery_claim(worker="w1")) == 2
        first_pk = Delivery.objects.get(message=first).pk
        second_pk = Delivery.objects.get(message=second).pk
        clock.shift(outbox.LEASE - dt.timedelta(seconds=1))  # the first send started late
        assert outbox.delivery_send(pk=first_pk, worker="w1") == DeliveryStatus.SENT
        clock.shift(dt.timedelta(seconds=2))  # the second row's lease has run out
        assert outbox.delivery_claim(worker="w2") == [second_pk]
        assert outbox.delivery_send(pk=second_pk, worker="w1") == "lost"
        assert outbox.delivery_send(pk=second_pk, worker="w2") == DeliveryStatus.SENT
    received = [mail["Message-ID"] for mail in smtp_sink.received]
    assert received == [first.message_id, second.message_id]
    assert Delivery.objects.get(pk=second_pk).leased_by == "w2"


def test_renewing_before_each_send_keeps_a_slow_batch_from_being_taken_over(world):
    """The row being sent has a fresh lease, so another worker cannot take it mid-send."""
    from closeloop.notify import outbox

    queue_messages([world.hank], count=5)
    start = Delivery.objects.order_by("pk").first().next_attempt_at + dt.timedelta(seconds=1)
    with time_machine.travel(start, tick=False) as clock:
        ids = outbox.delivery_claim(worker="w1")
        clock.shift(outbox.LEASE - dt.timedelta(seconds=1))
        assert outbox._renew(ids[0], "w1")
        clock.shift(dt.timedelta(seconds=2))
        taken = outbox.delivery_claim(worker="w2")
    assert ids[0] not in taken
    assert len(taken) == len(ids) - 1
