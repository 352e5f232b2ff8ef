"""The profile lists where the person is signed in and signs out the other browsers; a
changed or reset password signs out every other session."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from closeloop.accounts.models import Session
from closeloop.accounts.sessions import device_label

PASSWORD = "correct-horse-battery"  # every persona's password in tests/conftest.py
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _signed_in(person, user_agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post(
        reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def test_the_profile_lists_each_browser_and_marks_this_one(world):
    laptop = _signed_in(world.hank, FIREFOX)
    _signed_in(world.hank, IPHONE)
    html = laptop.get(reverse("accounts:profile")).content.decode()
    listed = html[html.index('id="sessions"') :]
    assert 'Firefox on Linux <span class="badge good">This browser</span>' in listed
    assert "Safari on iOS" in listed and listed.index("Firefox") < listed.index("Safari on iOS")
    assert "Sign out everywhere else" in listed


def test_sign_out_everywhere_else_keeps_only_this_browser(world):
    laptop = _signed_in(world.hank, FIREFOX)
    phone = _signed_in(world.hank, IPHONE)
    other = _signed_in(world.rita, FIREFOX)
    response = laptop.post(reverse("accounts:sessions-end-others"), follow=True)
    assert "Signed out 1 other session." in response.content.decode()
    assert phone.get(reverse("accounts:profile")).status_code == 302  # to the login page
    assert laptop.get(reverse("accounts:profile")).status_code == 200
    assert other.get(reverse("accounts:profile")).status_code == 200  # rita is untouched
    assert Session.objects.filter(user=world.hank).count() == 1


def test_a_changed_password_signs_out_the_other_browsers(world):
    laptop = _signed_in(world.hank, FIREFOX)
    phone = _signed_in(world.hank, IPHONE)
    new = "a-brand-new-passphrase-42"
    laptop.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert laptop.get(reverse("accounts:profile")).status_code == 200
    assert phone.get(reverse("accounts:profile")).status_code == 302
    assert Session.objects.filter(user=world.hank).count() == 1


def test_ending_others_is_post_only(world):
    laptop = _signed_in(world.hank, FIREFOX)
    assert laptop.get(reverse("accounts:sessions-end-others")).status_code == 405


def test_device_labels():
    assert device_label(FIREFOX) == "Firefox on Linux"
    assert device_label(IPHONE) == "Safari on iOS"
    assert device_label("") == "Unknown device"
    assert device_label("curl/8.0") == "Unknown device"
