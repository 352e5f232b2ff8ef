"""The issue's "done when", end to end: ada, an admin who must use two-step sign-in, sets up
her app from the secret on the page, invites a new hiring manager, who signs in through the
local OpenID provider (authorize, code, token exchange, id_token checked with the provider's
JWKS, userinfo, session); ada herself then needs her TOTP code to sign in."""

from __future__ import annotations

import base64
import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from closeloop.accounts.models import Invitation, Session, User
from fuzz_routes import forms_of
from oidc_provider import sso_sign_in

PASSWORD = "correct-horse-battery"
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:login-verify")
ENROL = reverse("accounts:mfa-enrol")
QUEUE = reverse("pipeline:queue")
PEOPLE = reverse("people:invite")


def app_code(secret: str) -> str:
    """What ada's phone shows: RFC 6238 from the secret she typed in."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_ada_enrols_invites_nina_who_signs_in_through_sso_and_ada_needs_her_code(
    world, sso, settings, clock
):
    settings.MFA_REQUIRED_FOR_ADMINS = True
    ada = Client()

    # 1. ada signs in with her password and is sent to set up two-step sign-in first.
    assert ada.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD}).url == QUEUE
    assert ada.get(PEOPLE).url == ENROL
    ada.post(reverse("accounts:mfa-start"))
    page = ada.get(ENROL).content.decode()
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    codes_page = ada.post(ENROL, {"code": app_code(secret)}).content.decode()
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", codes_page)) == 10
    assert ada.get(PEOPLE).status_code == 200

    # 2. ada invites Nina as a hiring manager from the people page.
    invite_page = ada.get(reverse("people:invite")).content.decode()
    form = next(f for f in forms_of(invite_page) if "email" in f.names)
    data = {name: values for name, values in form.fields.items()}
    data.update(email="Nina.New@example.com", full_name="Nina New", is_hiring_manager="on")
    ada.post(reverse("people:invite"), data)
    invitation = Invitation.objects.get(email__iexact="nina.new@example.com")
    assert invitation.accepted_at is None and not invitation.user.is_active

    # 3. Nina signs in through the provider: the invitation is accepted, her roles are on.
    sso.person("nina.new@example.com", "Nina New")
    nina = Client()
    response = sso_sign_in(nina, sso, "nina.new@example.com")
    assert response.url == QUEUE
    assert sso.requests[-4:] == ["GET /authorize", "POST /token", "GET /jwks", "GET /userinfo"]
    person = User.objects.get(email__iexact="nina.new@example.com")
    assert person.is_active and person.is_hiring_manager and not person.is_admin
    assert not person.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert int(nina.session["_auth_user_id"]) == person.pk
    assert Session.objects.get(session_key=nina.session.session_key).user_id == person.pk
    assert nina.get(QUEUE).status_code == 200
    assert nina.get(reverse("accounts:profile")).status_code == 200  # no enrolment asked

    # 4. ada signs in again: her password is not enough, her app's code is.
    ada.post(reverse("accounts:logout"))
    clock.shift(dt.timedelta(seconds=30))
    assert ada.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD}).url == VERIFY
    assert ada.get(PEOPLE).url.startswith(LOGIN)  # not signed in yet
    code = app_code(secret)
    assert ada.post(VERIFY, {"code": code}).url == QUEUE
    assert ada.get(PEOPLE).status_code == 200
    # The same code again, from another browser that has her password: refused.
    thief = Client()
    thief.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD})
    assert "does not match" in thief.post(VERIFY, {"code": code}).content.decode()
    assert not thief.session.get("_auth_user_id")
