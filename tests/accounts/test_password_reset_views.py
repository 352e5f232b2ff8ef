"""Password reset by email: links on SITE_URL, no account enumeration, works end to end."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.notify.models import Message
from closeloop.notify.outbox import deliver_due
from closeloop.notify.selectors import message_body_for

PASSWORD = "correct-horse-battery"  # every persona's password in tests/conftest.py
NEW_PASSWORD = "a-brand-new-passphrase-42"
RESET = reverse("accounts:password-reset")
SENT = reverse("accounts:password-reset-sent")
SITE = "https://closeloop.example.com"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]


def mailed() -> list:
    """What reached the mail server: the reset email is queued in the outbox by the request
    and sent by the worker's delivery step, run here."""
    deliver_due(worker="test")
    return mail.outbox


def reset_link(message) -> str:
    match = re.search(rf"{re.escape(SITE)}/accounts/password/reset/\S+/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def test_the_reset_page_asks_for_an_email(client, db):
    response = client.get(RESET)
    assert response.status_code == 200
    assert '<label for="id_email">Email</label>' in response.content.decode()


def test_hank_gets_an_email_with_a_link_on_the_site_url(client, world):
    response = client.post(RESET, {"email": "hank@example.com"}, HTTP_HOST="evil.example")
    assert response.status_code == 302
    assert response.url == SENT
    assert len(mailed()) == 1
    message = mailed()[0]
    assert message.to == ["hank@example.com"]
    assert message.subject == "Reset your Closeloop password"
    link = reset_link(message)
    assert "evil.example" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "evil.example" not in html


def test_an_unknown_email_shows_the_same_sent_page_and_sends_nothing(client, world):
    known = client.post(RESET, {"email": "hank@example.com"}, follow=True)
    assert len(mailed()) == 1
    mail.outbox.clear()
    unknown = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [(SENT, 302)]
    assert unknown.content == known.content
    assert mailed() == []


def test_an_inactive_account_gets_no_email(client, world):
    world.hank.is_active = False
    world.hank.save()
    client.post(RESET, {"email": "hank@example.com"})
    assert mailed() == []


def test_a_malformed_email_shows_a_clear_message(client, world):
    response = client.post(RESET, {"email": "not an email"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mailed() == []


def test_a_reset_works_end_to_end(client, world):
    client.post(RESET, {"email": "hank@example.com"})
    path = reset_link(mailed()[0]).removeprefix(SITE)
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    assert "set-password" in set_password_url
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done.url == reverse("accounts:password-reset-complete")
    assert "new password is saved" in client.get(done.url).content.decode()
    world.hank.refresh_from_db()
    assert world.hank.check_password(NEW_PASSWORD)
    assert not world.hank.check_password(PASSWORD)
    activity = Activity.objects.get(kind="closeloop.user.password_changed")
    assert activity.actor == world.hank
    assert activity.data == {"user": world.hank.pk, "by_reset": True}
    assert NEW_PASSWORD not in activity.summary


def test_a_used_link_no_longer_works(client, world):
    client.post(RESET, {"email": "hank@example.com"})
    path = reset_link(mailed()[0]).removeprefix(SITE)
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(path, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_a_guessed_token_shows_that_the_link_does_not_work(client, world):
    response = client.get("/accounts/password/reset/MQ/abc-0123456789abcdef/", follow=True)
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_a_weak_new_password_is_refused_and_the_old_one_stays(client, world):
    client.post(RESET, {"email": "hank@example.com"})
    path = reset_link(mailed()[0]).removeprefix(SITE)
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    world.hank.refresh_from_db()
    assert world.hank.check_password(PASSWORD)


def test_a_reset_lifts_a_lockout(client, world):
    login = reverse("accounts:login")
    for _ in range(6):
        client.post(login, {"username": "hank@example.com", "password": "guess"})
    client.post(RESET, {"email": "hank@example.com"})
    path = reset_link(mailed()[0]).removeprefix(SITE)
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post(login, {"username": "hank@example.com", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(world.hank.pk)


def test_asking_again_at_once_sends_no_second_email_but_the_same_page(client, world):
    first = client.post(RESET, {"email": "hank@example.com"})
    second = client.post(RESET, {"email": "hank@example.com"})
    assert first.url == second.url == SENT
    assert len(mailed()) == 1
    assert Activity.objects.filter(kind="closeloop.user.password_reset_requested").count() == 1


def test_a_new_email_can_be_asked_for_after_a_few_minutes(client, world):
    import datetime as dt

    import time_machine

    start = dt.datetime(2030, 1, 7, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post(RESET, {"email": "hank@example.com"})
        assert len(mailed()) == 1
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        client.post(RESET, {"email": "hank@example.com"})
        assert len(mailed()) == 2


def test_a_failing_mail_server_still_shows_the_sent_page_and_the_outbox_retries(
    client, world, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens here
    settings.EMAIL_TIMEOUT = 2
    response = client.post(RESET, {"email": "hank@example.com"})
    assert response.status_code == 302
    assert response.url == SENT
    deliver_due(worker="test")  # the relay refuses: the delivery waits for a retry
    delivery = Message.objects.get(template="password-reset").deliveries.get()
    assert delivery.status != "sent" and delivery.attempts == 1


def test_the_request_does_not_wait_for_the_mail_server(client, world, settings):
    """The reset is queued, not sent in the request: a known and an unknown address answer
    alike, whatever the mail server does (no timing tells which addresses have accounts)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    client.post(RESET, {"email": "hank@example.com"})
    message = Message.objects.get(template="password-reset", recipient=world.hank)
    assert message.deliveries.get().status == "queued"
    assert mail.outbox == []


def test_only_its_recipient_reads_a_reset_email_in_the_outbox(client, world, login):
    client.post(RESET, {"email": "hank@example.com"})
    message = Message.objects.get(template="password-reset")
    as_read = message_body_for(message=message, user=world.hank)[0]
    link = reset_link(type("Mail", (), {"body": as_read})())
    # The outbox keeps the link's token sealed: the stored body alone resets nothing.
    assert link not in message.body_text and "/sealed." in message.body_text
    admin = login(world.ada)
    for name in ("notify:message-detail", "notify:message-html"):
        html = admin.get(reverse(name, args=[message.pk])).content.decode()
        assert link not in html and "/accounts/password/reset/" not in html
    assert (
        "only Hank Manager may use"
        in admin.get(reverse("notify:message-detail", args=[message.pk])).content.decode()
    )
    own = login(world.hank).get(reverse("notify:message-detail", args=[message.pk]))
    assert link in own.content.decode()


def test_a_link_still_works_after_its_person_signs_in(client, world):
    """Asked for while signed out, read on the Outbox page after signing in: the sign-in
    alone must not spend the link (only using it, a new password, or its age do)."""
    client.post(RESET, {"email": "ivy@example.com"})
    path = reset_link(mailed()[0]).removeprefix(SITE)
    signed_in = client.post(
        reverse("accounts:login"), {"username": "ivy@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    world.ivy.refresh_from_db()
    assert world.ivy.check_password(NEW_PASSWORD)
    assert "This link no longer works" in client.get(path, follow=True).content.decode()


def test_a_link_expires_and_dies_with_a_changed_password(client, world, settings):
    import datetime as dt

    import time_machine

    start = dt.datetime(2030, 1, 7, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post(RESET, {"email": "ivy@example.com"})
        path = reset_link(mailed()[0]).removeprefix(SITE)
    later = start + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later, tick=False):
        assert "This link no longer works" in client.get(path, follow=True).content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        world.ivy.set_password(NEW_PASSWORD)
        world.ivy.save()
        assert "This link no longer works" in client.get(path, follow=True).content.decode()


def test_a_deactivated_person_cannot_use_a_link_sent_before(client, world):
    client.post(RESET, {"email": "ivy@example.com"})
    path = reset_link(mailed()[0]).removeprefix(SITE)
    world.ivy.is_active = False
    world.ivy.save()
    assert "This link no longer works" in client.get(path, follow=True).content.decode()
    world.ivy.refresh_from_db()
    assert world.ivy.check_password(PASSWORD)


@pytest.mark.parametrize("email", ["ivy@example.com", "nobody@example.com"])
def test_asking_again_too_soon_says_when_a_new_link_can_be_asked_for(client, world, email):
    """Never silently nothing, and alike whether or not the address has an account."""
    import datetime as dt

    import time_machine

    start = dt.datetime(2030, 1, 7, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        first = client.post(RESET, {"email": email}, follow=True).content.decode()
        assert "no new link" not in first
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        again = client.post(RESET, {"email": email.upper()}, follow=True).content.decode()
    assert "no new link is sent" in again
    assert "ask again in 2 minutes" in again
    assert Message.objects.filter(template="password-reset").count() == (
        1 if email.startswith("ivy") else 0
    )
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        later = client.post(RESET, {"email": email}, follow=True).content.decode()
    assert "no new link" not in later
