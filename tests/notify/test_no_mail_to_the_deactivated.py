"""Nothing reaches a deactivated person: a message queued for them after they were
deactivated is kept on the Outbox marked "not sent" with the reason, and one queued before
is not sent by the worker even when the deactivation's own withdrawal missed it. An invitee
(inactive until they join) still gets their invitation."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from notify_helpers import queue_notice

from closeloop.accounts.models import User
from closeloop.accounts.people import invitation_create, user_deactivate
from closeloop.notify import outbox
from closeloop.notify.models import Delivery, DeliveryStatus, Message


def test_a_message_for_someone_deactivated_is_kept_unsent_with_the_reason(world, login):
    hank = user_deactivate(user=world.hank, by=world.ada)
    message = queue_notice(hank)

    [delivery] = Delivery.objects.filter(message=message)
    assert delivery.status == DeliveryStatus.WITHDRAWN
    assert "Hank Manager is deactivated" in delivery.last_error
    assert outbox.deliver_due(worker="w1").handled == 0
    assert mail.outbox == []
    page = (
        login(world.ada).get(reverse("notify:message-detail", args=[message.pk])).content.decode()
    )
    assert "Not sent: recipient deactivated" in page and "is deactivated" in page


def test_the_worker_does_not_send_a_queued_message_to_someone_deactivated_since(world):
    message = queue_notice(world.hank)
    # Deactivated without the withdrawal (a delivery claimed as the deactivation committed).
    User.objects.filter(pk=world.hank.pk).update(is_active=False)

    assert outbox.deliver_due(worker="w1").handled == 1
    assert mail.outbox == []
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == DeliveryStatus.WITHDRAWN and delivery.sent_at is None
    assert "Hank Manager is deactivated" in delivery.last_error


def test_an_active_recipient_still_gets_theirs(world):
    queue_notice(world.ivy)
    outbox.deliver_due(worker="w1")
    assert [m.to for m in mail.outbox] == [["ivy@example.com"]]


def test_an_invitee_inactive_until_they_join_still_gets_their_invitation(world):
    invitation_create(
        by=world.ada,
        email="nina@example.com",
        full_name="Nina Newhire",
        roles={"is_interviewer": True},
    )
    nina = User.objects.get(email="nina@example.com")
    assert not nina.is_active
    message = Message.objects.get(recipient=nina, template="invitation")
    assert Delivery.objects.get(message=message).status == DeliveryStatus.QUEUED
    outbox.deliver_due(worker="w1")
    assert [m.to for m in mail.outbox] == [["nina@example.com"]]
    # And a notice to them before they join goes too: they are not deactivated.
    queue_notice(nina)
    outbox.deliver_due(worker="w1")
    assert len(mail.outbox) == 2
