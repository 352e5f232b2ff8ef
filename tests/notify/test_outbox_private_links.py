"""On the Outbox, links only a message's recipient may use (one-click answers, which act as
them) are inert for anyone else who reads the message: an admin clicking Hank's "Advance"
button must not act as Hank. The recipient sees the message as it was sent."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from closeloop.notify.models import Message

TOKEN = "tok_" + "A1b2" * 8


def _nudge(world) -> tuple[Message, str]:
    link = f"{settings.SITE_URL}{reverse('followups:act', kwargs={'token': TOKEN})}"
    message = Message.objects.create(
        recipient=world.hank,
        template="notice",
        subject="Review Sam Sourced",
        body_text=f"Sam waits for you.\nAdvance: {link}\nOpen: {settings.SITE_URL}/jobs/1/\n",
        body_html=f'<p>Sam waits.</p><a href="{link}">Advance</a> <a href="/jobs/1/">Open</a>',
        message_id=Message.new_message_id(),
    )
    return message, link


def _pages(client, message: Message) -> str:
    detail = client.get(reverse("notify:message-detail", args=[message.pk])).content.decode()
    html = client.get(reverse("notify:message-html", args=[message.pk])).content.decode()
    return detail + html


def test_an_admin_sees_the_message_with_its_one_click_links_inert(world, login):
    message, link = _nudge(world)
    seen = _pages(login(world.ada), message)
    assert TOKEN not in seen and link not in seen
    assert "Sam waits" in seen and "#only-for-the-recipient" in seen
    assert "/jobs/1/" in seen  # ordinary links stay


def test_the_recipient_sees_the_message_as_sent(world, login):
    message, link = _nudge(world)
    assert link in _pages(login(world.hank), message)


def test_the_django_admin_does_not_show_message_bodies(world, login):
    message, _ = _nudge(world)
    page = login(world.ada).get(reverse("admin:notify_message_change", args=[message.pk]))
    assert page.status_code == 200
    assert TOKEN not in page.content.decode()
