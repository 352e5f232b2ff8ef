"""The outbox: queued deliveries are claimed with a lease, sent over SMTP, retried or failed."""

from __future__ import annotations

import datetime as dt
import random

import time_machine
from django.utils import timezone
from notify_helpers import queue_notice

from closeloop.notify import outbox
from closeloop.notify.models import Delivery, DeliveryStatus
from closeloop.notify.services import delivery_retry, message_queue


def test_a_queued_message_is_sent_over_smtp_with_its_stable_message_id(world, smtp_sink):
    message = queue_notice(world.hank)
    assert outbox.deliver_due(worker="w1").handled == 1
    [received] = smtp_sink.received
    assert received["Message-ID"] == message.message_id
    assert received["To"] == "hank@example.com"
    assert received["Subject"] == "Carla waits on you"
    assert received["List-Unsubscribe"].endswith("/accounts/profile/>")
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html"}
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1


def test_nothing_is_sent_twice_once_marked_sent(world, smtp_sink):
    queue_notice(world.hank)
    outbox.deliver_due(worker="w1")
    assert outbox.deliver_due(worker="w1").handled == 0
    assert len(smtp_sink.received) == 1


def test_a_busy_server_means_retry_later_with_backoff(world, smtp_sink):
    queue_notice(world.hank)
    smtp_sink.refuse.append("451 Try again later")
    outbox.deliver_due(worker="w1")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.attempts == 1 and "451" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    assert outbox.deliver_due(worker="w1").handled == 0  # not before the backoff has passed
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        assert outbox.deliver_due(worker="w1").handled == 1
    assert len(smtp_sink.received) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_rejected_message_fails_permanently_and_can_be_retried_by_an_admin(world, smtp_sink):
    queue_notice(world.hank)
    smtp_sink.refuse.append("554 Message rejected")
    outbox.deliver_due(worker="w1")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "554" in delivery.last_error
    delivery_retry(delivery=delivery)
    outbox.deliver_due(worker="w1")
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(smtp_sink.received) == 1


def test_a_down_server_is_transient(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    queue_notice(world.hank)
    outbox.deliver_due(worker="w1")
    assert Delivery.objects.get().status == DeliveryStatus.QUEUED


def test_after_the_last_attempt_a_transient_failure_becomes_permanent(world, smtp_sink):
    queue_notice(world.hank)
    Delivery.objects.update(attempts=outbox.MAX_ATTEMPTS - 1)
    smtp_sink.refuse.append("421 Closing")
    outbox.deliver_due(worker="w1")
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


def test_a_claimed_row_is_not_claimed_again_until_its_lease_expires(world):
    queue_notice(world.hank)
    assert len(outbox.delivery_claim(worker="w1")) == 1
    assert outbox.delivery_claim(worker="w2") == []
    later = timezone.now() + outbox.LEASE + dt.timedelta(seconds=1)
    assert len(outbox.delivery_claim(worker="w2", now=later)) == 1
    # The first worker lost its lease: its late result must not overwrite the new owner's.
    assert outbox._finish(Delivery.objects.get().pk, "w1", status=DeliveryStatus.SENT) is False


def test_backoff_grows_and_is_capped():
    rng = random.Random(7)
    ceilings = [outbox.backoff(n, rng) for n in (1, 2, 3, 12)]
    assert ceilings[0] <= dt.timedelta(seconds=30) < ceilings[2] * 2
    assert ceilings[3] <= outbox.MAX_BACKOFF


def test_an_unknown_channel_fails_permanently(world):
    queue_notice(world.hank)
    Delivery.objects.update(channel="pigeon")
    outbox.deliver_due(worker="w1")
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


def test_without_smtp_configured_email_stays_in_the_outbox(world, settings, mailoutbox):
    settings.EMAIL_ENABLED = False
    queue_notice(world.hank)
    outbox.deliver_due(worker="w1")
    assert Delivery.objects.get().status == DeliveryStatus.KEPT
    assert mailoutbox == []


def test_an_unknown_mailbox_fails_permanently_without_retry(world, smtp_sink):
    smtp_sink.unknown_recipients.add("hank@example.com")
    queue_notice(world.hank)
    outbox.deliver_due(worker="w1")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "refused" in delivery.last_error.lower()


def test_a_message_whose_sending_never_finishes_runs_out_of_attempts(world, smtp_sink):
    queue_notice(world.hank)
    # Each claim whose worker died mid-send still counts as an attempt.
    for round_ in range(outbox.MAX_ATTEMPTS):
        later = timezone.now() + (outbox.LEASE + dt.timedelta(seconds=1)) * (round_ + 1)
        assert len(outbox.delivery_claim(worker=f"w{round_}", now=later)) == 1
    delivery = Delivery.objects.get()
    assert delivery.attempts == outbox.MAX_ATTEMPTS
    final = timezone.now() + (outbox.LEASE + dt.timedelta(seconds=1)) * (outbox.MAX_ATTEMPTS + 1)
    [pk] = outbox.delivery_claim(worker="last", now=final)
    assert outbox.delivery_send(pk=pk, worker="last") == DeliveryStatus.FAILED
    assert smtp_sink.received == []
    assert "never finished" in Delivery.objects.get().last_error


def test_a_queued_message_and_its_delivery_hold_exactly_what_they_were_given(world):
    from closeloop.notify.models import Channel, Message
    from closeloop.notify.services import Attachment

    later = timezone.now() + dt.timedelta(hours=3)
    message = message_queue(
        recipient=world.hank,
        template="notice",
        context={
            "recipient": world.hank,
            "subject": "O'Brien & co",
            "body": "Hi",
            "action_url": "",
        },
        channel=Channel.IN_APP,
        not_before=later,
        data={"asks": [3, 1], "note": "ü"},
        attachments=[Attachment("invite.ics", "BEGIN:VCALENDAR", "text/calendar")],
    )
    assert message.pk is not None and not message._state.adding
    stored = Message.objects.get(pk=message.pk)
    assert stored.recipient == world.hank and stored.template == "notice"
    assert stored.subject == "O'Brien & co" == message.subject
    assert stored.message_id == message.message_id and stored.body_html == message.body_html
    assert stored.data == {"asks": [3, 1], "note": "ü"} and stored.read_at is None
    assert stored.attachments == [
        {"filename": "invite.ics", "content_type": "text/calendar", "content": "BEGIN:VCALENDAR"}
    ]
    [delivery] = stored.deliveries.all()
    assert (delivery.channel, delivery.status) == (Channel.IN_APP, DeliveryStatus.QUEUED)
    assert delivery.next_attempt_at == later and delivery.attempts == 0
    assert delivery.lease_until is None and delivery.sent_at is None and delivery.leased_by == ""
    message.read_at = timezone.now()
    message.save(update_fields=["read_at"])  # the returned instance is a saved row
    assert Message.objects.get(pk=message.pk).read_at is not None
