"""The Outbox pages: each person reads their own messages; admins read all and retry failures."""

from __future__ import annotations

import pytest
from django.urls import reverse
from notify_helpers import queue_notice as notice

from closeloop.notify.models import Delivery, DeliveryStatus
from closeloop.notify.services import message_queue


@pytest.fixture
def mail(world):
    return {"hank": notice(world.hank, "For Hank"), "rita": notice(world.rita, "For Rita")}


def test_a_person_sees_only_their_own_messages(world, login, mail):
    page = login(world.hank).get(reverse("notify:outbox")).content.decode()
    assert "For Hank" in page and "For Rita" not in page


def test_an_admin_sees_everyones_and_can_filter_by_recipient(world, login, mail):
    client = login(world.ada)
    page = client.get(reverse("notify:outbox")).content.decode()
    assert "For Hank" in page and "For Rita" in page
    filtered = client.get(reverse("notify:outbox"), {"to": world.rita.pk}).content.decode()
    assert "For Rita" in filtered and "For Hank" not in filtered


def test_someone_elses_message_is_not_found(world, login, mail):
    client = login(world.hank)
    for name in ("notify:message-detail", "notify:message-html"):
        assert client.get(reverse(name, args=[mail["rita"].pk])).status_code == 404
        assert client.get(reverse(name, args=[999999])).status_code == 404


def test_the_message_page_shows_text_with_live_links_and_a_sandboxed_html_preview(
    world, login, mail
):
    client = login(world.hank)
    page = client.get(reverse("notify:message-detail", args=[mail["hank"].pk]))
    assert 'href="http://127.0.0.1:8000/applications/1/"' in page.content.decode()
    assert 'sandbox="' in page.content.decode()
    frame = client.get(reverse("notify:message-html", args=[mail["hank"].pk]))
    assert "sandbox" in frame["Content-Security-Policy"]
    assert "script-src" not in frame["Content-Security-Policy"]  # default-src 'none' applies
    assert frame["X-Frame-Options"] == "SAMEORIGIN"


def test_the_outbox_runs_the_same_queries_for_few_and_many_messages(
    world, login, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.ada)
    notice(world.hank, "one")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notify:outbox"))
    for n in range(20):
        notice(world.hank, f"more {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notify:outbox"))
    assert len(many) == len(few)


def test_failed_deliveries_are_for_admins_only(world, login, mail):
    Delivery.objects.update(status=DeliveryStatus.FAILED, last_error="554 rejected")
    assert login(world.rita).get(reverse("notify:failed-deliveries")).status_code == 404
    page = login(world.ada).get(reverse("notify:failed-deliveries")).content.decode()
    assert "554 rejected" in page and "For Hank" in page


def test_an_admin_retries_a_failed_delivery_by_post_only(world, login, mail):
    Delivery.objects.update(status=DeliveryStatus.FAILED)
    delivery = Delivery.objects.get(message=mail["hank"])
    client = login(world.ada)
    url = reverse("notify:delivery-retry", args=[delivery.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED


def test_a_non_admin_cannot_retry(world, login, mail):
    Delivery.objects.update(status=DeliveryStatus.FAILED)
    delivery = Delivery.objects.get(message=mail["hank"])
    response = login(world.hank).post(reverse("notify:delivery-retry", args=[delivery.pk]))
    assert response.status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_without_a_mail_server_the_outbox_says_the_email_was_kept_here(
    world, login, mail, settings
):
    from closeloop.notify import outbox

    settings.EMAIL_ENABLED = False
    outbox.deliver_due(worker="w1")
    delivery = Delivery.objects.get(message=mail["hank"], channel="email")
    assert delivery.status == DeliveryStatus.KEPT and delivery.sent_at is None
    client = login(world.hank)
    page = client.get(reverse("notify:outbox")).content.decode()
    assert "Email: Kept here; no mail server configured" in page
    assert "Email: Sent" not in page
    detail = client.get(reverse("notify:message-detail", args=[mail["hank"].pk])).content.decode()
    assert "Email: Kept here; no mail server configured" in detail


def test_with_a_mail_server_the_outbox_says_sent(world, login, mail, settings):
    from closeloop.notify import outbox

    settings.EMAIL_ENABLED = True
    outbox.deliver_due(worker="w1")
    page = login(world.hank).get(reverse("notify:outbox")).content.decode()
    assert "Email: Sent" in page
    assert "kept here" not in page


def test_a_messages_calendar_file_is_listed_and_downloads_for_who_may_read_it(world, login):
    """The cancellation says "the attached calendar file": the page offers it, as a download,
    to its recipient and to admins; not to anyone else, nor past the files it has."""
    from closeloop.notify.services import Attachment

    ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
    message = message_queue(
        recipient=world.hank,
        template="notice",
        context={"recipient": world.hank, "subject": "Cancelled", "body": "See the file."},
        attachments=[Attachment("interview.ics", ics, "text/calendar; method=CANCEL")],
    )
    page = reverse("notify:message-detail", args=[message.pk])
    file = reverse("notify:message-attachment", args=[message.pk, 0])
    for person in (world.hank, world.ada):
        client = login(person)
        assert f'href="{file}" download>interview.ics</a>' in client.get(page).content.decode()
        got = client.get(file)
        assert got["Content-Type"].startswith("text/calendar")
        assert got["Content-Disposition"] == 'attachment; filename="interview.ics"'
        assert got.content.decode() == ics
    assert login(world.rita).get(file).status_code == 404
    past = reverse("notify:message-attachment", args=[message.pk, 1])
    assert login(world.hank).get(past).status_code == 404
