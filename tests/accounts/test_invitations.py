"""Invitations: ada invites a person by email; the link in the outbox lets them choose a
password (the project's rules) and signs them in with the roles she chose. The link works
once, expires, is stored only as a hash, and dies when withdrawn or sent again."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from closeloop.accounts.models import Invitation, User
from closeloop.accounts.people import invitation_token_hash
from closeloop.accounts.selectors import invitation_pending_for
from closeloop.activity.models import Activity
from closeloop.notify.models import Delivery, Message
from closeloop.notify.selectors import inbox_unread_count, message_body_for, message_body_hidden

INVITE = reverse("people:invite")
GOOD_PASSWORD = "tidal-orchard-57-lantern"
LINK = re.compile(r"https?://[^\s\"'<>]+(/welcome/[^/\s\"'<>]+/)")


def invite(client, **fields):
    data = {
        "email": "nina@example.com",
        "full_name": "Nina Newhire",
        "is_hiring_manager": "on",
        "is_interviewer": "on",
        "time_zone": "Europe/London",
        **fields,
    }
    return client.post(INVITE, data)


def link_in(message: Message) -> str:
    """The path of the invitation link, read from the email as its recipient reads it."""
    text, _html = message_body_for(message=message, user=message.recipient)
    found = LINK.search(text)
    assert found, text
    return found.group(1)


def pending(email: str, token: str = "a-token-of-our-own", **fields) -> Invitation:
    """An invitation made with plain ORM calls, with a token the test knows."""
    user = User.objects.create_user(email, None, full_name="Pat Pending", is_active=False)
    values = {
        "email": email,
        "full_name": "Pat Pending",
        "user": user,
        "is_recruiter": True,
        "token_hash": invitation_token_hash(token),
        "expires_at": dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC),
        **fields,
    }
    return Invitation.objects.create(**values)


def test_an_invited_person_chooses_a_password_and_is_signed_in_with_their_roles(
    world, clock, login
):
    client = login(world.ada)
    response = invite(client, manager=str(world.hank.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    nina = User.objects.get(email="nina@example.com")
    assert not nina.is_active and not nina.has_usable_password()
    assert nina.manager == world.hank and nina.time_zone == "Europe/London"

    # The email went through the outbox, private to Nina.
    message = Message.objects.get(recipient=nina, template="invitation")
    assert Delivery.objects.filter(message=message).exists()
    assert message_body_hidden(message=message, user=world.ada)
    assert "/welcome/" not in message_body_for(message=message, user=world.ada)[0]
    path = link_in(message)
    token = path.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(user=nina)
    assert invitation.token_hash == invitation_token_hash(token)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert token not in message.body_text + message.body_html  # stored sealed
    assert invitation.invited_by == world.ada

    # Nina opens the link in her own browser.
    browser = Client()
    page = browser.get(path)
    assert page.status_code == 200
    assert "Choose a password" in page.content.decode()
    weak = browser.post(path, {"new_password1": "Nina Newhire", "new_password2": "Nina Newhire"})
    assert weak.status_code == 400
    nina.refresh_from_db()
    assert not nina.is_active  # nothing changed
    done = browser.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("pipeline:queue")
    assert int(browser.session["_auth_user_id"]) == nina.pk
    nina.refresh_from_db()
    assert nina.is_active and nina.check_password(GOOD_PASSWORD)
    assert (nina.is_hiring_manager, nina.is_interviewer) == (True, True)
    assert (nina.is_admin, nina.is_recruiter) == (False, False)
    assert browser.get(reverse("pipeline:queue")).status_code == 200
    assert Activity.objects.filter(kind="closeloop.user.joined", data__user=nina.pk).exists()

    # The link worked once.
    again = Client().get(path)
    assert again.status_code == 410
    assert "accepted already" in again.content.decode()


def test_an_expired_link_is_refused_clearly(world, clock):
    invitation = pending("pat@example.com", token="expiring-token")
    clock.move_to(invitation.expires_at + dt.timedelta(minutes=1))
    client = Client()
    path = reverse("people:invitation-accept", args=["expiring-token"])
    response = client.get(path)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    posted = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert posted.status_code == 410
    invitation.user.refresh_from_db()
    assert not invitation.user.is_active


def test_the_link_expires_after_the_configured_days(world, clock, login, settings):
    settings.INVITATION_DAYS = 2
    invite(login(world.ada))
    invitation = Invitation.objects.get(email="nina@example.com")
    assert invitation.expires_at == dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    path = link_in(Message.objects.get(template="invitation"))
    clock.move_to(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    assert Client().get(path).status_code == 410


def test_a_withdrawn_invitation_is_refused_and_the_address_can_be_invited_again(
    world, clock, login
):
    invitation = pending("pat@example.com", token="withdrawn-token")
    client = login(world.ada)
    response = client.post(reverse("people:invitation-withdraw", args=[invitation.pk]))
    assert response.status_code == 302
    refused = Client().get(reverse("people:invitation-accept", args=["withdrawn-token"]))
    assert refused.status_code == 410
    assert "withdrawn" in refused.content.decode()
    assert invitation_pending_for("pat@example.com") is None
    listed = client.get(reverse("people:list")).content.decode()
    assert "/people/invite/?email=pat%40example.com&amp;full_name=Pat%20Pending" in listed
    form = client.get(INVITE, {"email": "pat@example.com", "full_name": "Pat Pending"})
    assert 'value="pat@example.com"' in form.content.decode()
    # Invited again: the same account, a new invitation.
    assert invite(client, email="pat@example.com").status_code == 302
    assert invitation_pending_for("PAT@example.com").user_id == invitation.user_id


def test_sending_again_kills_the_old_link_and_the_new_one_works(world, clock, login):
    invitation = pending("pat@example.com", token="first-token")
    clock.move_to(dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC))  # a day before it expires
    client = login(world.ada)
    assert (
        client.post(reverse("people:invitation-send-again", args=[invitation.pk])).status_code
        == 302
    )
    old = Client().get(reverse("people:invitation-accept", args=["first-token"]))
    assert old.status_code == 410
    assert "newer invitation replaced it" in old.content.decode()
    invitation.refresh_from_db()
    assert invitation.expires_at == dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)
    message = Message.objects.get(recipient=invitation.user, template="invitation")
    path = link_in(message)
    browser = Client()
    done = browser.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302
    invitation.user.refresh_from_db()
    assert invitation.user.is_active and invitation.user.is_recruiter


@pytest.mark.parametrize(
    ("email", "says"),
    [
        ("hank@example.com", "already has an account: change their roles"),
        ("pat@example.com", "already invited"),
    ],
)
def test_an_address_with_an_account_or_a_pending_invitation_is_refused(
    world, clock, login, email, says
):
    pending("pat@example.com")
    before = (User.objects.count(), Invitation.objects.count(), Message.objects.count())
    response = invite(login(world.ada), email=email)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert (User.objects.count(), Invitation.objects.count(), Message.objects.count()) == before


def test_a_deactivated_address_is_told_to_reactivate(world, clock, login):
    User.objects.filter(pk=world.olga.pk).update(is_active=False)
    response = invite(login(world.ada), email="olga@example.com")
    assert response.status_code == 400
    assert "reactivate it" in response.content.decode()


def test_an_invitation_needs_a_role(world, clock, login):
    response = invite(login(world.ada), is_hiring_manager="", is_interviewer="")
    assert response.status_code == 400
    assert "Choose at least one role" in response.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_only_admins_invite_send_again_or_withdraw(world, clock, login, persona):
    invitation = pending("pat@example.com", token="kept-token")
    client = login(getattr(world, persona))
    assert invite(client).status_code == 404
    assert client.get(INVITE).status_code == 404
    assert (
        client.post(reverse("people:invitation-withdraw", args=[invitation.pk])).status_code == 404
    )
    send_again = reverse("people:invitation-send-again", args=[invitation.pk])
    assert client.post(send_again).status_code == 404
    assert not User.objects.filter(email="nina@example.com").exists()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert invitation.token_hash == invitation_token_hash("kept-token")


def test_invitation_pending_for_finds_the_open_invitation_by_address(world, clock):
    invitation = pending("pat@example.com")
    assert invitation_pending_for(" Pat@Example.com ") == invitation
    assert invitation_pending_for("someone@example.com") is None
    clock.move_to(invitation.expires_at)
    assert invitation_pending_for("pat@example.com") is None


def test_a_hostile_token_is_a_clear_refusal(world, clock):
    for token in ["x" * 300, "%00", "sealed.abc"]:
        response = Client().get(f"/welcome/{token}/")
        assert response.status_code == 410  # no such invitation, said as for a used one


def test_with_passwords_off_the_link_sends_the_invitee_to_single_sign_on(world, clock, settings):
    settings.PASSWORD_LOGIN = False
    invitation = pending("pat@example.com", token="sso-token")
    path = reverse("people:invitation-accept", args=["sso-token"])
    page = Client().get(path)
    assert page.status_code == 200
    assert "single sign-on" in page.content.decode()
    assert 'name="new_password1"' not in page.content.decode()
    posted = Client().post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert posted.status_code == 400
    invitation.user.refresh_from_db()
    assert not invitation.user.is_active and not invitation.user.has_usable_password()


def test_a_refused_invitation_post_logs_no_usable_token(world, clock):
    """A weak password answers 400, which Django logs with the path, while the link still
    works: the token must not be in that line."""
    pending("lee@example.com", token="tok-" + "L" * 40)
    handler = logging.getLogger("django.request").parent.handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        weak = Client().post(
            "/welcome/tok-" + "L" * 40 + "/", {"new_password1": "x", "new_password2": "x"}
        )
    finally:
        handler.setStream(previous)
    assert weak.status_code == 400
    logged = stream.getvalue()
    assert "/welcome/[redacted]/" in logged and "L" * 40 not in logged


def test_the_deactivate_page_of_someone_not_yet_joined_points_to_the_invitation(
    world, clock, login
):
    pat = pending("pat@example.com").user
    page = login(world.ada).get(reverse("people:deactivate", args=[pat.pk]))
    assert "has not joined yet: withdraw their invitation instead" in page.content.decode()


def test_a_new_persons_inbox_starts_with_the_invitation_they_used_read(world, clock, login):
    client = login(world.ada)
    assert invite(client).status_code == 302
    nina = User.objects.get(email="nina@example.com")
    invitation = Invitation.objects.get(user=nina)
    client.post(reverse("people:invitation-send-again", args=[invitation.pk]))  # a second email
    path = link_in(Message.objects.filter(recipient=nina, template="invitation").latest("pk"))
    browser = Client()
    browser.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert inbox_unread_count(user=nina) == 0
    assert not Message.objects.filter(recipient=nina, read_at__isnull=True).exists()
    assert "Unread: " not in browser.get(reverse("notify:inbox")).content.decode()


def test_an_invitation_goes_at_once_even_on_a_sunday_night(world, clock, login, settings):
    settings.QUIET_HOURS = True  # a real installation's default: the admin is waiting on it
    clock.move_to(dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC))
    assert invite(login(world.ada)).status_code == 302
    delivery = Delivery.objects.get(message__template="invitation")
    assert delivery.next_attempt_at == dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC)
