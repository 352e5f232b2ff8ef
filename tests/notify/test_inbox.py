"""The Inbox: my messages with their read state, an unread count on every page, filters, and
marking read or unread; nobody else's reading changes mine."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from closeloop.notify.models import Message
from closeloop.notify.services import message_queue
from page_forms import page_form

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


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ({"show": "bogus"}, "“bogus” is not a choice of Show; showing every message."),
        (
            {"q": "y" * 101},
            f"“{'y' * 40}…” is longer than 100 characters, more than a subject search holds; "
            "showing every subject.",
        ),
        ({"q": "a\x00b"}, "holds characters no subject has; showing every subject."),
    ],
)
def test_a_filter_the_inbox_cannot_use_is_named_in_a_notice(world, login, mail, asked, said):
    page = login(world.hank).get(INBOX, asked).content.decode()
    assert said in page
    assert "Review Carla Candidate" in page


def test_one_unread_message_is_marked_as_this_one(world, login, mail):
    page = login(world.hank).get(INBOX, {"show": "unread", "q": "carla"}).content.decode()
    assert "Mark this one read</button>" in page
    assert "Mark these 1" not in page


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
    # A hostile id marks nothing.
    for data in ({"up_to": "²"}, {"up_to": "99999999999999999999"}, {"up_to": mail["rita"].pk}):
        client.post(reverse("notify:inbox-read-all"), data)
        assert unread(late)


def test_mark_all_read_without_up_to_marks_every_message_arrived_by_now(
    world, login, settings, time_machine
):
    """A post without the page's `up_to` (a script, a form from before the field) marks
    every unread message that has reached the user by now, within the search `q`: none of
    another's, none still held for working hours."""
    settings.QUIET_HOURS = True
    time_machine.move_to(SATURDAY_NIGHT - dt.timedelta(days=2), tick=False)  # a Thursday
    review, debrief = notice(world.hank, "Review Carla"), notice(world.hank, "Technical debrief")
    ritas = notice(world.rita, "Technical debrief")
    time_machine.move_to(SATURDAY_NIGHT, tick=False)
    held = notice(world.hank, "Review Dana, queued on Saturday")
    client = login(world.hank)
    for data in ({"q": "Technical"}, {"up_to": ""}):
        response = client.post(reverse("notify:inbox-read-all"), data, follow=True)
        assert "Marked 1 message read." in response.content.decode()
    assert not unread(debrief) and not unread(review)
    assert unread(held) and unread(ritas)
    time_machine.move_to(MONDAY_9, tick=False)
    response = client.post(reverse("notify:inbox-read-all"), {}, follow=True)
    assert "Marked 1 message read." in response.content.decode()
    assert not unread(held) and unread(ritas)


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


def read_all_form(html: str) -> dict[str, list[str]]:
    return page_form(html, reverse("notify:inbox-read-all"))


def test_mark_these_read_marks_only_what_the_filter_lists_and_comes_back_to_it(world, login):
    """hank filters his inbox by "mentoring": five messages, four unread. The button counts
    those four and marks them, not his other unread messages, nor one that arrives
    meanwhile, and he comes back to the same filtered list."""
    mentoring = [notice(world.hank, f"Mentoring session {n}") for n in range(5)]
    Message.objects.filter(pk=mentoring[0].pk).update(read_at=timezone.now())
    others = [notice(world.hank, f"Review candidate {n}") for n in range(5)]
    client = login(world.hank)
    page = client.get(INBOX, {"q": "mentoring"}).content.decode()
    assert "Mark these 4 read</button>" in page and "every page" not in page
    form = read_all_form(page)
    late = notice(world.hank, "Mentoring session, arrived while the page was open")
    response = client.post(reverse("notify:inbox-read-all"), form)
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?q=mentoring"
    followed = client.get(response["Location"]).content.decode()
    assert "Marked 4 messages read." in followed
    assert not any(unread(message) for message in mentoring)
    assert all(unread(message) for message in others)
    assert unread(late)
    # Unread only, filtered by subject: the same four would be marked, and the list kept.
    page = client.get(INBOX, {"show": "unread", "q": "review"}).content.decode()
    assert "Mark these 5 read</button>" in page
    response = client.post(reverse("notify:inbox-read-all"), read_all_form(page))
    assert response["Location"] == f"{INBOX}?show=unread&q=review"
    assert not any(unread(message) for message in others) and unread(late)


def test_mark_these_read_on_a_paged_filter_marks_every_page_of_it(world, login):
    """60 unread messages match the filter, 50 a page: the button says it marks all 60, on
    every page, and from page 2 leads back to page 2."""
    Message.objects.bulk_create(
        Message(recipient=world.hank, template="notice", subject=f"Weekly update {i}",
                body_text="x", message_id=f"<w{i}@test>")
        for i in range(60)
    )  # fmt: skip
    other = notice(world.hank, "Review Carla Candidate")
    client = login(world.hank)
    page = client.get(INBOX, {"q": "weekly", "page": "2"}).content.decode()
    assert "Mark these 60 read, on every page</button>" in page
    response = client.post(reverse("notify:inbox-read-all"), read_all_form(page))
    assert response["Location"] == f"{INBOX}?q=weekly&page=2"
    assert not Message.objects.filter(subject__startswith="Weekly", read_at__isnull=True).exists()
    assert unread(other)
    # Nothing left to mark under that filter: no button.
    page = client.get(INBOX, {"q": "weekly"}).content.decode()
    assert reverse("notify:inbox-read-all") not in page


def test_a_filtered_mark_read_sent_by_hand_marks_only_the_filter(world, login):
    """What the form sends, without the page: the filter it names limits what is marked."""
    mentoring = notice(world.hank, "Mentoring session")
    other = notice(world.hank, "Review Carla Candidate")
    client = login(world.hank)
    data = {"up_to": other.pk, "q": "Mentoring", "show": "unread"}
    response = client.post(reverse("notify:inbox-read-all"), data, follow=True)
    assert "Marked 1 message read." in response.content.decode()
    assert not unread(mentoring) and unread(other)
    assert response.redirect_chain == [(f"{INBOX}?show=unread&q=Mentoring", 302)]


# --- a message held for working hours reaches the Inbox when they begin ----------------------

SATURDAY_NIGHT = dt.datetime(2026, 11, 28, 22, 0, tzinfo=dt.UTC)
MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)  # hank works 09:00-17:00 UTC


def test_a_message_held_for_working_hours_reaches_the_inbox_when_they_begin(
    world, login, settings, time_machine
):
    """Queued on Saturday night, a reminder goes at 09:00 on Monday: until then the Inbox
    neither lists nor counts it (the Outbox says when it goes); then it is the newest, above
    a password reset that went at once on Sunday."""
    settings.QUIET_HOURS = True
    time_machine.move_to(SATURDAY_NIGHT, tick=False)
    held = notice(world.hank, "Review Carla Candidate")
    time_machine.move_to(SATURDAY_NIGHT + dt.timedelta(hours=12), tick=False)
    reset = message_queue(
        recipient=world.hank,
        template="notice",
        context={"recipient": world.hank, "subject": "Your password reset", "body": "Hi."},
        at_once=True,
    )
    client = login(world.hank)
    page = client.get(INBOX).content.decode()
    assert "Your password reset" in page and "Review Carla Candidate" not in page
    assert header_count(page) == "1"
    outbox = client.get(reverse("notify:outbox")).content.decode()
    assert "Review Carla Candidate" in outbox and "Queued until" in outbox

    time_machine.move_to(MONDAY_9, tick=False)
    page = client.get(INBOX).content.decode()
    assert header_count(page) == "2"
    assert page.index("Review Carla Candidate") < page.index("Your password reset")
    assert unread(held) and unread(reset)


def test_mark_all_read_leaves_a_held_message_that_arrived_after_the_page_unread(
    world, login, settings, time_machine
):
    settings.QUIET_HOURS = True
    time_machine.move_to(SATURDAY_NIGHT, tick=False)
    held = notice(world.hank, "Queued on Saturday")
    time_machine.move_to(MONDAY_9 - dt.timedelta(minutes=1), tick=False)
    early = message_queue(
        recipient=world.hank,
        template="notice",
        context={"recipient": world.hank, "subject": "Sent at once", "body": "Hi."},
        at_once=True,
    )
    client = login(world.hank)
    form = read_all_form(client.get(INBOX).content.decode())
    assert form["up_to"] == [str(early.pk)]  # newer than the Saturday message's id
    time_machine.move_to(MONDAY_9, tick=False)
    response = client.post(reverse("notify:inbox-read-all"), form, follow=True)
    assert "Marked 1 message read." in response.content.decode()
    assert not unread(early) and unread(held)
    assert header_count(response.content.decode()) == "1"
