"""PASSWORD_LOGIN=0: people sign in through the provider; the login form, password reset and
change say so and refuse; superusers keep the password form as the break-glass way in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from closeloop.accounts.mfa import mfa_enrolment_confirm, mfa_enrolment_start
from oidc_provider import sso_sign_in, totp_now

PASSWORD = "correct-horse-battery"
LOGIN = reverse("accounts:login")
QUEUE = reverse("pipeline:queue")


@pytest.fixture
def off(settings, sso):
    settings.PASSWORD_LOGIN = False
    return sso


def test_the_login_page_leads_with_the_provider(client, db, off):
    html = client.get(LOGIN).content.decode()
    assert "Sign in with Acme ID" in html
    assert "Password sign-in is switched off" in html
    assert "Break-glass sign-in for Closeloop superusers" in html
    assert reverse("accounts:password-reset") not in html


def test_a_password_is_refused_for_everyone_but_superusers(client, world, off):
    response = client.post(LOGIN, {"username": "rita@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert not client.session.get("_auth_user_id")
    # Refused exactly as a wrong password is, so the page confirms no password.
    wrong = client.post(LOGIN, {"username": "rita@example.com", "password": "not-hers-at-all"})

    def errors(page) -> str:
        return page.content.decode().split('role="alert"', 1)[1].split("</div>", 1)[0]

    assert errors(response) == errors(wrong)
    assert "do not match an account" in errors(response)
    # ada is a superuser: the break-glass account when the provider is down.
    response = client.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD})
    assert response.url == QUEUE
    assert int(client.session["_auth_user_id"]) == world.ada.pk


def test_password_reset_says_so_and_sends_nothing(client, world, off):
    page = client.get(reverse("accounts:password-reset"))
    assert b"Passwords are switched off" in page.content
    response = client.post(reverse("accounts:password-reset"), {"email": "rita@example.com"})
    assert b"no email was sent" in response.content
    assert mail.outbox == []
    confirm = client.get(reverse("accounts:password-reset-confirm", args=["MQ", "set-password"]))
    assert b"Passwords are switched off" in confirm.content


def test_password_change_says_so_and_changes_nothing(client, world, off):
    client.force_login(world.rita)
    url = reverse("accounts:password-change")
    assert b"Passwords are switched off" in client.get(url).content
    client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-one-9",
            "new_password2": "a-much-longer-one-9",
        },
    )
    world.rita.refresh_from_db()
    assert world.rita.check_password(PASSWORD)
    client.force_login(world.ada)
    assert b"Passwords are switched off" not in client.get(url).content


def test_sso_skips_closeloop_s_code_unless_required(client, world, sso, settings, clock):
    device = mfa_enrolment_start(user=world.hank)
    mfa_enrolment_confirm(user=world.hank, code=totp_now(device))
    sso.person("hank@example.com")
    assert sso_sign_in(client, sso, "hank@example.com").url == QUEUE  # the provider did MFA
    client.logout()
    settings.OIDC_REQUIRE_MFA = True
    response = sso_sign_in(client, sso, "hank@example.com", next_url="/jobs/")
    assert response.url == reverse("accounts:login-verify")
    assert not client.session.get("_auth_user_id")
    clock.shift(dt.timedelta(seconds=30))
    done = client.post(reverse("accounts:login-verify"), {"code": totp_now(device)})
    assert done.url == "/jobs/"
    assert int(client.session["_auth_user_id"]) == world.hank.pk
