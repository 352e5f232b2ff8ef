"""A message still queued for its recipient's working hours: opening it from the Outbox
leaves it unread until it arrives, its page offers no "Mark unread" (nor can it be marked
read: it is neither until it arrives), and an admin reading someone else's hold on the Outbox is
told which zone its time is in."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from closeloop.notify.models import Message
from closeloop.notify.services import message_queue


def _queued(user, *, hours: int) -> Message:
    return message_queue(
        recipient=user,
        template="notice",
        context={"recipient": user, "subject": "Review Carla Candidate", "body": "Carla waits."},
        not_before=timezone.now() + dt.timedelta(hours=hours),
    )


def test_opening_a_queued_message_leaves_it_unread_until_it_arrives(world, login, clock):
    message = _queued(world.hank, hours=3)
    detail = reverse("notify:message-detail", args=[message.pk])
    client = login(world.hank)
    assert client.get(detail + "?from=outbox").status_code == 200
    message.refresh_from_db()
    assert message.read_at is None
    # Once it has arrived, opening it reads it.
    clock.move_to(message.arrives_at + dt.timedelta(minutes=1))
    client.get(detail)
    message.refresh_from_db()
    assert message.read_at is not None


def test_a_queued_message_offers_no_mark_unread_and_cannot_be_marked(world, login, clock):
    message = _queued(world.hank, hours=3)
    detail = reverse("notify:message-detail", args=[message.pk])
    client = login(world.hank)
    page = client.get(detail + "?from=outbox").content.decode()
    assert "Mark unread" not in page
    assert "<dt>Arrives</dt><dd>in your Inbox " in page
    # A mark posted anyway (a page kept open) changes nothing and says why.
    read = reverse("notify:message-read", args=[message.pk])
    response = client.post(read, {"read": "1"}, follow=True)
    assert "has not arrived yet" in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is None
    # Arrived, it is read when opened and may be marked unread again.
    clock.move_to(message.arrives_at + dt.timedelta(minutes=1))
    page = client.get(detail).content.decode()
    assert "Mark unread" in page and "<dt>Arrives</dt>" not in page


def test_an_admin_reads_whose_zone_someone_elses_hold_is_in(world, login):
    world.ada.time_zone = "America/New_York"
    world.ada.save()
    his = _queued(world.hank, hours=3)
    _queued(world.ada, hours=3)
    page = login(world.ada).get(reverse("notify:outbox")).content.decode()
    hanks, adas = (
        row for row in page.split("<tr>") if "Review Carla Candidate" in row and "<td>" in row
    )
    hanks, adas = (hanks, adas) if "Hank" in hanks else (adas, hanks)
    assert "(America/New_York)</time>" in hanks
    assert "(America/New_York)" not in adas
    detail = login(world.ada).get(reverse("notify:message-detail", args=[his.pk]))
    assert "(America/New_York)" in detail.content.decode()
