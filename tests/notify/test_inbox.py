"""The Inbox: my messages with their read state, an unread count on every page, filters, and
marking read or unread; nobody else's reading changes mine."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from closeloop.notify.models import Message
from closeloop.notify.services import message_queue

INBOX = reverse("notify:inbox")


def notice(user, subject):
    return message_queue(
        recipient=user,
        template="notice",
        context={"recipient": user, "subject": subject, "body": "Carla waits."},
    )


@pytest.fixture
def mail(world):
    return {
        "review": notice(world.hank, "Review Carla Candidate"),
        "debrief": notice(world.hank, "Decide after the Technical debrief"),
        "rita": notice(world.rita, "For Rita"),
    }


def header_count(html: str) -> str:
    """The unread count beside "Inbox" in the header ("" when there is none)."""
    found = re.search(r'>Inbox <span class="badge nav-count"[^>]*>([^<]+)</span>', html)
    return found.group(1) if found else ""


def unread(message) -> bool:
    message.refresh_from_db()
    return message.read_at is None


def test_the_header_counts_my_unread_messages_on_every_page(world, login, mail):
    client = login(world.hank)
    for page in (reverse("pipeline:queue"), reverse("jobs:job-list"), INBOX):
        assert header_count(client.get(page).content.decode()) == "2"
    client.get(reverse("notify:message-detail", args=[mail["review"].pk]))
    assert not unread(mail["review"])
    assert header_count(client.get(reverse("pipeline:queue")).content.decode()) == "1"


def test_the_inbox_lists_only_my_messages_even_for_an_admin(world, login, mail):
    notice(world.ada, "For Ada")
    page = login(world.ada).get(INBOX).content.decode()
    assert "For Ada" in page and "For Rita" not in page and "Review Carla" not in page


def test_an_admin_reading_hanks_message_on_the_outbox_leaves_it_unread_for_him(world, login, mail):
    client = login(world.ada)
    assert client.get(reverse("notify:message-detail", args=[mail["review"].pk])).status_code == 200
    assert unread(mail["review"])
    # Nor can she mark it for him: 403, and nothing changes.
    response = client.post(reverse("notify:message-read", args=[mail["review"].pk]), {"read": "1"})
    assert response.status_code == 403
    assert unread(mail["review"])
    # Rita cannot even find it.
    response = login(world.rita).post(reverse("notify:message-read", args=[mail["review"].pk]))
    assert response.status_code == 404


def test_unread_only_and_a_subject_filter_are_kept_in_the_url(world, login, mail):
    client = login(world.hank)
    client.get(reverse("notify:message-detail", args=[mail["review"].pk]))
    page = client.get(INBOX, {"show": "unread"}).content.decode()
    assert "Decide after the Technical debrief" in page and "Review Carla" not in page
    page = client.get(INBOX, {"q": "carla"}).content.decode()
    assert "Review Carla Candidate" in page and "Technical debrief" not in page
    # A value the filter cannot read is no filter, never an error.
    for hostile in ({"show": "everything"}, {"q": "\x00"}, {"q": "x" * 500}, {"page": "²"}):
        response = client.get(INBOX, hostile)
        assert response.status_code == 200
        assert "Review Carla Candidate" in response.content.decode()


def test_mark_all_read_leaves_a_message_that_arrived_after_the_page_unread(world, login, mail):
    client = login(world.hank)
    page = client.get(INBOX).content.decode()
    up_to = re.search(r'name="up_to" value="(\d+)"', page).group(1)
    late = notice(world.hank, "Arrived while the page was open")
    response = client.post(reverse("notify:inbox-read-all"), {"up_to": up_to}, follow=True)
    assert "Marked 2 messages read." in response.content.decode()
    assert not unread(mail["review"]) and not unread(mail["debrief"])
    assert unread(late)
    assert unread(mail["rita"])  # someone else's inbox is untouched
    # A hostile or missing id marks nothing.
    for data in ({"up_to": "²"}, {"up_to": "99999999999999999999"}, {}):
        client.post(reverse("notify:inbox-read-all"), data)
        assert unread(late)


def test_mark_unread_brings_a_message_back_into_the_count(world, login, mail):
    client = login(world.hank)
    detail = client.get(reverse("notify:message-detail", args=[mail["review"].pk])).content.decode()
    assert "Mark unread" in detail
    response = client.post(reverse("notify:message-read", args=[mail["review"].pk]), {"read": "0"})
    assert response.status_code == 302 and response["Location"] == INBOX
    assert unread(mail["review"])
    page = client.get(INBOX).content.decode()
    assert header_count(page) == "2"
    assert re.search(r'class="inbox-item unread">\s*<a [^>]*><span class="visually-hidden">'
                     r"Unread: </span>Review Carla Candidate", page)  # fmt: skip


def test_more_than_99_unread_reads_99_plus(world, login):
    Message.objects.bulk_create(
        Message(recipient=world.hank, template="notice", subject=f"n{i}", body_text="x",
                message_id=f"<n{i}@test>")
        for i in range(100)
    )  # fmt: skip
    assert header_count(login(world.hank).get(INBOX).content.decode()) == "99+"


def test_in_app_only_reminders_reach_the_inbox_and_no_mailbox(world, login, clock, mailoutbox):
    """hank chose "in the app only": the engine's reminder is delivered to his Inbox, counted
    in the header, and never mailed."""
    from closeloop.accounts.models import User
    from closeloop.followups.business_time import add_business_days, calendar_for
    from closeloop.followups.engine import asks_advance, notices_compose
    from closeloop.followups.services import ask_open
    from closeloop.notify.models import Delivery, DeliveryStatus
    from closeloop.notify.outbox import deliver_due

    User.objects.filter(pk=world.hank.pk).update(notify_channel="in_app")
    world.hank.refresh_from_db()
    ask = ask_open(
        kind="review_submission",
        subject="test:inbox",
        title="Review Carla Candidate",
        owner=world.hank,
        job=world.job,
        application=world.interviewed,
    )
    clock.move_to(add_business_days(calendar_for(world.hank), ask.due_at, 1))
    asks_advance()
    notices_compose()
    deliver_due(worker="test")
    message = Message.objects.filter(recipient=world.hank).latest("pk")
    assert Delivery.objects.get(message=message).status == DeliveryStatus.SENT
    # Others on the ladder (an escalation contact) may get an email; hank gets none.
    assert all(world.hank.email not in sent.to for sent in mailoutbox)
    client = login(world.hank)
    page = client.get(INBOX).content.decode()
    assert message.subject in page
    assert header_count(page) == "1"


def test_my_message_leads_back_to_the_list_it_was_opened_from(world, login, mail):
    client = login(world.hank)
    crumbs = 'aria-label="Breadcrumb"><a href="{}">'
    outbox = client.get(reverse("notify:outbox")).content.decode()
    opened = reverse("notify:message-detail", args=[mail["review"].pk]) + "?from=outbox"
    assert f'href="{opened}"' in outbox
    assert crumbs.format(reverse("notify:outbox")) in client.get(opened).content.decode()
    detail = client.get(reverse("notify:message-detail", args=[mail["review"].pk]))
    assert crumbs.format(INBOX) in detail.content.decode()
