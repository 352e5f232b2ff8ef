"""A batch of deliveries shares one SMTP session; a failure stays with its own delivery.

Opening a session (connect, EHLO) costs more than sending over it, so `deliver_due` opens
one at its first email and closes it at the end. A send that fails closes the session: the
failure is classified for that delivery alone, and the next delivery opens a fresh one.
"""

from __future__ import annotations

import socket

import pytest

from closeloop.lib.sweep import Swept
from closeloop.notify import outbox
from closeloop.notify.models import Delivery, DeliveryStatus
from closeloop.notify.services import message_queue


@pytest.fixture
def sink(smtp_sink):
    """The running sink, now also counting the SMTP sessions opened (one EHLO each)."""

    class SessionCounting(type(smtp_sink)):
        sessions = 0

        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            self.sessions += 1
            session.host_name = hostname
            return responses

    smtp_sink.__class__ = SessionCounting  # the server looks its hooks up at each session
    return smtp_sink


def queue_to(*users) -> list[Delivery]:
    return [
        Delivery.objects.get(
            message=message_queue(
                recipient=user,
                template="notice",
                context={
                    "recipient": user,
                    "subject": "Carla waits on you",
                    "body": "Since Monday.",
                },
            )
        )
        for user in users
    ]


def status(delivery: Delivery) -> str:
    delivery.refresh_from_db()
    return delivery.status


def test_a_batch_of_deliveries_goes_out_over_one_session(world, sink):
    deliveries = queue_to(world.hank, world.rita, world.ivy, world.olga, world.ada)
    assert outbox.deliver_due(worker="w1") == Swept(handled=5)
    assert [status(d) for d in deliveries] == [DeliveryStatus.SENT] * 5
    assert len(sink.received) == 5
    assert sink.sessions == 1


def test_each_batch_opens_its_own_session_and_closes_it(world, sink):
    queue_to(world.hank)
    outbox.deliver_due(worker="w1")
    queue_to(world.rita)
    outbox.deliver_due(worker="w1")
    assert sink.sessions == 2 and len(sink.received) == 2


def test_a_refused_recipient_fails_alone_and_the_rest_go_out_on_a_fresh_session(world, sink):
    sink.unknown_recipients.add("ivy@example.com")
    hank, ivy, olga, ada = queue_to(world.hank, world.ivy, world.olga, world.ada)
    assert outbox.deliver_due(worker="w1") == Swept(handled=4)
    assert status(ivy) == DeliveryStatus.FAILED
    assert "refused" in ivy.last_error.lower()
    assert [status(d) for d in (hank, olga, ada)] == [DeliveryStatus.SENT] * 3
    assert sorted(m["To"] for m in sink.received) == [
        "ada@example.com",
        "hank@example.com",
        "olga@example.com",
    ]
    assert sink.sessions == 2  # the failure closed the first; the rest shared the second


def test_a_busy_server_delays_only_the_message_it_refused(world, sink):
    sink.refuse.append("451 Try again later")
    first, second, third = queue_to(world.hank, world.olga, world.ada)
    outbox.deliver_due(worker="w1")
    assert status(first) == DeliveryStatus.QUEUED and first.attempts == 1
    assert "451" in first.last_error
    assert [status(d) for d in (second, third)] == [DeliveryStatus.SENT] * 2
    assert sink.sessions == 2


def test_a_session_the_server_ended_while_idle_is_reopened_for_the_next_email(world, sink):
    from closeloop.notify import transports

    first, second = queue_to(world.hank, world.olga)
    mailer = transports.Mailer()
    try:
        assert transports.send(first, mailer) == DeliveryStatus.SENT
        # The connection ends between two sends, as when a server drops an idle session.
        mailer.connection.connection.sock.shutdown(socket.SHUT_RDWR)
        assert transports.send(second, mailer) == DeliveryStatus.SENT
    finally:
        mailer.close()
    assert [m["To"] for m in sink.received] == ["hank@example.com", "olga@example.com"]
    assert sink.sessions == 2
