"""Turning two-step sign-in on from the profile: a QR code and the secret, confirmed with a
first code; ten recovery codes shown once; new codes and removal need the password or a code."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from closeloop.accounts.mfa import mfa_device, mfa_pending_device, mfa_verify
from closeloop.activity.models import Activity
from oidc_provider import totp_now

PASSWORD = "correct-horse-battery"
MFA = reverse("accounts:mfa")
START = reverse("accounts:mfa-start")
ENROL = reverse("accounts:mfa-enrol")


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def enrol(client, user) -> list[str]:
    """Start, scan and confirm; returns the recovery codes shown."""
    client.post(START)
    response = client.post(ENROL, {"code": totp_now(mfa_pending_device(user))})
    assert response.status_code == 200, response
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


def test_the_profile_links_to_two_step_sign_in(client, world):
    client.force_login(world.rita)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert MFA in html and "Two-step sign-in" in html


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_code(client, world, clock):
    client.force_login(world.rita)
    assert b"Set up an authenticator app" in client.get(MFA).content
    assert client.get(START).status_code == 405  # state never changes on GET
    response = client.post(START)
    assert response.url == ENROL
    device = mfa_pending_device(world.rita)
    page = client.get(ENROL)
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert '<svg width="' in html and "<script" not in html.split("<main", 1)[-1]
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert len(secret.replace(" ", "")) == 32  # 20 random bytes in base32
    assert not TOTPDevice.objects.filter(user=world.rita, confirmed=True).exists()

    wrong = client.post(ENROL, {"code": "000000" if totp_now(device) != "000000" else "111111"})
    assert "does not match" in wrong.content.decode()
    assert mfa_device(world.rita) is None

    clock.shift(dt.timedelta(seconds=2))  # the device's back-off after a wrong code
    codes = client.post(ENROL, {"code": totp_now(device)})
    assert "no-store" in codes["Cache-Control"]
    found = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes.content.decode())
    assert len(set(found)) == 10
    assert mfa_device(world.rita) == device
    assert Activity.objects.filter(kind="closeloop.user.mfa_enabled", actor=world.rita).exists()
    # Shown once: the page after lists how many are left, never the codes.
    after = client.get(MFA).content.decode()
    assert "<strong>10</strong> unused recovery codes" in after
    assert not any(code in after for code in found)
    assert client.get(ENROL).url == MFA


def test_a_second_app_cannot_replace_the_first_without_removing_it(client, world, clock):
    client.force_login(world.rita)
    enrol(client, world.rita)
    response = client.post(START)
    assert response.url == MFA
    assert "Remove the current app first" in said(response)
    assert TOTPDevice.objects.filter(user=world.rita).count() == 1


def test_new_recovery_codes_need_the_password_and_retire_the_old_ones(client, world, clock):
    client.force_login(world.rita)
    old = enrol(client, world.rita)
    refused = client.post(reverse("accounts:mfa-codes"), {"proof": "wrong password"})
    assert "neither your password" in said(refused)
    assert StaticToken.objects.filter(token__in=old).count() == 10

    response = client.post(reverse("accounts:mfa-codes"), {"proof": PASSWORD})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not mfa_verify(user=world.rita, code=old[0]).ok
    clock.shift(dt.timedelta(seconds=2))
    assert mfa_verify(user=world.rita, code=new[0]).ok


def test_removing_the_app_needs_a_current_code_or_the_password(client, world, clock):
    client.force_login(world.rita)
    enrol(client, world.rita)
    device = mfa_device(world.rita)
    refused = client.post(reverse("accounts:mfa-remove"), {"proof": "123"})
    assert "neither your password" in said(refused)
    assert mfa_device(world.rita) is not None

    clock.shift(dt.timedelta(seconds=31))  # a fresh step: the enrolment's code is used
    response = client.post(reverse("accounts:mfa-remove"), {"proof": totp_now(device)})
    assert "is off" in said(response)
    assert not TOTPDevice.objects.filter(user=world.rita).exists()
    assert not StaticToken.objects.filter(device__user=world.rita).exists()
    assert Activity.objects.filter(kind="closeloop.user.mfa_removed").exists()


def test_hostile_codes_are_refused_clearly(client, world, clock):
    client.force_login(world.rita)
    client.post(START)
    for value in ["", "²²²²²²", "1" * 5000, "\x00", "12345", "abcdefgh"]:
        response = client.post(ENROL, {"code": value})
        assert response.status_code == 200
    assert mfa_device(world.rita) is None


def test_hostile_proofs_change_nothing(client, world, clock):
    client.force_login(world.rita)
    enrol(client, world.rita)
    for value in ["", "²", "\x00", "9" * 5000, "' OR 1=1 --"]:
        for route in ("accounts:mfa-codes", "accounts:mfa-remove"):
            response = client.post(reverse(route), {"proof": value})
            assert response.status_code == 302 and response.url == MFA
    assert mfa_device(world.rita) is not None
    assert StaticToken.objects.filter(device__user=world.rita).count() == 10


def test_turning_it_on_signs_out_the_other_browsers(client, world, clock):
    elsewhere = type(client)()
    elsewhere.force_login(world.rita)
    client.force_login(world.rita)
    enrol(client, world.rita)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert elsewhere.get(reverse("accounts:profile")).status_code == 302


def test_a_stolen_session_cannot_guess_the_password_through_the_proof(client, world, clock):
    """Each wrong proof counts as a failed login; after the limit even the right password
    is refused, and the app stays on."""
    client.force_login(world.rita)
    enrol(client, world.rita)
    for _ in range(5):
        client.post(reverse("accounts:mfa-remove"), {"proof": "guess-" + "x" * 8})
    locked = client.post(reverse("accounts:mfa-remove"), {"proof": PASSWORD})
    assert "Too many failed attempts" in said(locked)
    assert mfa_device(world.rita) is not None
