"""The second step at sign-in: a person with an app is not signed in by the password alone;
a code (or a recovery code, once) finishes; wrong, expired and replayed codes are refused,
and wrong codes are limited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from closeloop.accounts import mfa
from closeloop.accounts.mfa import mfa_enrolment_confirm, mfa_enrolment_start, mfa_verify
from closeloop.accounts.models import Session
from closeloop.activity.models import Activity
from oidc_provider import totp_now

PASSWORD = "correct-horse-battery"
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:login-verify")
QUEUE = reverse("pipeline:queue")


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


@pytest.fixture
def hank_app(world, clock):
    """hank has turned on two-step sign-in; returns his device and recovery codes."""
    device = mfa_enrolment_start(user=world.hank)
    codes = mfa_enrolment_confirm(user=world.hank, code=totp_now(device))
    clock.shift(dt.timedelta(seconds=30))  # the enrolment's code is used: the next step
    device.refresh_from_db()
    return device, codes


def password_step(client, next_url: str | None = None):
    data = {"username": "hank@example.com", "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_the_password_alone_does_not_sign_in(client, world, hank_app):
    response = password_step(client)
    assert response.url == VERIFY
    assert signed_in_as(client) is None
    assert client.get(QUEUE).url.startswith(LOGIN)  # not signed in until the code
    # No session row belongs to hank yet.
    assert not Session.objects.filter(user=world.hank).exists()
    page = client.get(VERIFY)
    assert page.status_code == 200 and b"hank@example.com" in page.content


def test_the_code_finishes_the_sign_in_and_keeps_next(client, world, hank_app):
    device, _ = hank_app
    password_step(client, next_url="/jobs/")
    before = client.session.session_key
    response = client.post(VERIFY, {"code": totp_now(device)})
    assert response.url == "/jobs/"
    assert signed_in_as(client) == world.hank.pk
    assert client.session.session_key != before  # a new session key once signed in
    assert Session.objects.get(session_key=client.session.session_key).user_id == world.hank.pk
    assert client.get(QUEUE).status_code == 200


def test_a_code_cannot_be_replayed(client, world, hank_app):
    device, _ = hank_app
    code = totp_now(device)
    password_step(client)
    assert client.post(VERIFY, {"code": code}).url == QUEUE
    other = type(client)()
    password_step(other)
    response = other.post(VERIFY, {"code": code})  # the same code, the same 30 seconds
    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    assert signed_in_as(other) is None


def test_an_expired_code_is_refused(client, world, hank_app, clock):
    device, _ = hank_app
    old = totp_now(device)
    clock.shift(dt.timedelta(seconds=95))  # three steps later, past the 1-step tolerance
    password_step(client)
    response = client.post(VERIFY, {"code": old})
    assert "does not match" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_recovery_code_works_once(client, world, hank_app, clock):
    _, codes = hank_app
    password_step(client)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.url == QUEUE
    assert "recovery code" in said(response)
    used = Activity.objects.get(kind="closeloop.user.mfa_recovery_code_used")
    assert used.actor == world.hank and used.data["left"] == 9
    client.logout()
    clock.shift(dt.timedelta(seconds=5))
    password_step(client)
    response = client.post(VERIFY, {"code": codes[0]})
    assert "used already" in response.content.decode()
    assert signed_in_as(client) is None


def test_wrong_codes_back_off_then_start_over_and_count_for_the_limiter(
    client, world, hank_app, clock
):
    device, _ = hank_app
    password_step(client)
    first = client.post(VERIFY, {"code": "000001"})
    assert "does not match" in first.content.decode()
    # Straight after, even the right code waits: the device backs off.
    waiting = client.post(VERIFY, {"code": totp_now(device)})
    assert "wait 1 second" in waiting.content.decode()
    assert signed_in_as(client) is None
    for _ in range(3):
        clock.shift(dt.timedelta(seconds=20))
        client.post(VERIFY, {"code": "000001"})
    assert AccessAttempt.objects.get(username="hank@example.com").failures_since_start == 5
    response = client.get(VERIFY)
    assert response.url == LOGIN  # five wrong codes: the pending sign-in is gone
    assert signed_in_as(client) is None
    # …and the login limiter locks hank's address out: the right password is not enough.
    clock.shift(dt.timedelta(seconds=60))
    locked = password_step(client)
    assert locked.status_code == 429


def test_the_second_step_expires_and_needs_the_first(client, world, hank_app, clock):
    device, _ = hank_app
    assert client.get(VERIFY).url == LOGIN
    assert client.post(VERIFY, {"code": totp_now(device)}).url == LOGIN
    password_step(client)
    clock.shift(dt.timedelta(minutes=6))
    response = client.post(VERIFY, {"code": totp_now(device)})
    assert response.url == LOGIN
    assert signed_in_as(client) is None


def test_cancel_drops_the_pending_sign_in(client, world, hank_app):
    device, _ = hank_app
    password_step(client)
    assert client.post(VERIFY, {"cancel": "1"}).url == LOGIN
    assert client.post(VERIFY, {"code": totp_now(device)}).url == LOGIN


def test_a_person_deactivated_meanwhile_is_not_signed_in(client, world, hank_app):
    device, _ = hank_app
    password_step(client)
    type(world.hank).objects.filter(pk=world.hank.pk).update(is_active=False)
    assert client.post(VERIFY, {"code": totp_now(device)}).url == LOGIN
    assert signed_in_as(client) is None


def test_people_without_an_app_sign_in_with_the_password_alone(client, world):
    response = client.post(LOGIN, {"username": "rita@example.com", "password": PASSWORD})
    assert response.url == QUEUE
    assert signed_in_as(client) == world.rita.pk


def test_the_admin_s_own_login_form_is_not_a_way_around_the_code(client, world, hank_app):
    world.hank.is_staff = True
    world.hank.save()
    response = client.post("/admin/login/", {"username": "hank@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == LOGIN
    assert signed_in_as(client) is None
    following = client.get("/admin/", follow=True)
    assert following.redirect_chain[-1][0] == f"{LOGIN}?next=%2Fadmin%2F"
    evil = client.get("/admin/login/", {"next": "https://evil.example/"})
    assert evil.url == LOGIN


@pytest.mark.parametrize(
    "value", ["", " ", "²²²²²²", "1" * 5000, "\x00", "12345", "-1", "1e999", "<script>"]
)
def test_hostile_codes_at_the_second_step_are_clear_refusals(client, world, hank_app, value):
    password_step(client)
    response = client.post(VERIFY, {"code": value})
    assert response.status_code == 200
    assert signed_in_as(client) is None


def test_someone_who_lost_phone_and_codes_gets_one_from_the_command_line(client, world, hank_app):
    out = io.StringIO()
    call_command("addstatictoken", "Hank@Example.com", stdout=out)  # README: lost phone
    code = out.getvalue().strip()
    password_step(client)
    assert client.post(VERIFY, {"code": code}).url == QUEUE
    assert signed_in_as(client) == world.hank.pk


def test_behind_the_proxy_wrong_codes_lock_out_only_their_own_address(
    client, world, hank_app, settings, clock
):
    """The second step counts for the limiter with the browser's own address
    (accounts.http.client_address), as the password does."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    device, _ = hank_app
    attacker, home = "203.0.113.5", "198.51.100.7"
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "hank@example.com", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=attacker,
        )
        clock.shift(dt.timedelta(seconds=20))
        client.post(VERIFY, {"code": "000001"}, HTTP_X_FORWARDED_FOR=attacker)
    locked = client.post(
        LOGIN, {"username": "hank@example.com", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=attacker
    )
    assert locked.status_code == 429
    hank = type(client)()
    clock.shift(dt.timedelta(seconds=40))
    step = hank.post(
        LOGIN, {"username": "hank@example.com", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=home
    )
    assert step.url == VERIFY
    assert hank.post(VERIFY, {"code": totp_now(device)}, HTTP_X_FORWARDED_FOR=home).url == QUEUE


def test_the_wait_after_wrong_codes_is_capped(world, hank_app, clock):
    """Someone with hank's password and many addresses cannot make his code wait for days."""
    device, _ = hank_app
    for _ in range(12):  # each wrong code once the wait is over: 1, 2, 4 … 2048 s
        device.refresh_from_db()
        allowed, data = device.verify_is_allowed()
        if not allowed:
            clock.move_to(data["locked_until"] + dt.timedelta(seconds=1))
        mfa_verify(user=world.hank, code="000001")
    device.refresh_from_db()
    assert device.throttling_failure_count < 12  # it started afresh on the way
    clock.shift(mfa.THROTTLE_FORGET_AFTER + dt.timedelta(seconds=1))
    assert mfa_verify(user=world.hank, code=totp_now(device)).ok


def test_people_signed_in_without_admin_access_are_refused_not_sent_round(client, world):
    client.force_login(world.rita)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403  # not a loop between the two login pages
    client.force_login(world.ada)
    assert client.get("/admin/login/", {"next": "/admin/accounts/user/"}).url == (
        "/admin/accounts/user/"
    )
    assert client.get("/admin/login/", {"next": "https://evil.example/"}).url == "/admin/"


def test_next_never_leaves_the_site_through_the_second_step(client, world, hank_app):
    device, _ = hank_app
    password_step(client, next_url="https://evil.example/steal")
    assert client.post(VERIFY, {"code": totp_now(device)}).url == QUEUE
