"""The login page: email + password, safe `next`, demo logins only in the demo, lockout."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from closeloop.demo.seed import DEMO_PASSWORD

PASSWORD = "correct-horse-battery"  # every persona's password in tests/conftest.py

LOGIN = reverse("accounts:login")
QUEUE = reverse("pipeline:queue")


def post_login(client, email: str, password: str, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def logged_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def test_the_login_page_asks_for_email_and_password(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Email</label>' in html
    assert 'name="password"' in html
    assert "csrfmiddlewaretoken" in html
    assert reverse("accounts:password-reset") in html


def test_hank_logs_in_with_his_email_and_lands_on_his_queue(client, world):
    response = post_login(client, "hank@example.com", PASSWORD)
    assert response.status_code == 302
    assert response.url == QUEUE
    assert logged_in_as(client) == world.hank.pk


def test_the_email_is_not_case_sensitive(client, world):
    post_login(client, "Hank@Example.COM", PASSWORD)
    assert logged_in_as(client) == world.hank.pk


def test_a_wrong_password_shows_a_clear_message_and_logs_nobody_in(client, world):
    response = post_login(client, "hank@example.com", "not-his-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert logged_in_as(client) is None


def test_an_inactive_person_cannot_log_in(client, world):
    world.hank.is_active = False
    world.hank.save()
    post_login(client, "hank@example.com", PASSWORD)
    assert logged_in_as(client) is None


def test_a_deactivated_person_with_the_right_password_is_told_whom_to_ask(client, world):
    """The right password proves who they are: saying the account is off leaks nothing."""
    world.hank.is_active = False
    world.hank.save()
    html = post_login(client, "hank@example.com", PASSWORD).content.decode()
    assert "This account has been deactivated; ask your Closeloop admin (Ada Admin)." in html
    assert "do not match an account" not in html
    assert logged_in_as(client) is None


def test_a_deactivated_person_with_a_wrong_password_gets_the_usual_message(client, world):
    world.hank.is_active = False
    world.hank.save()
    html = post_login(client, "hank@example.com", "not-his-password").content.decode()
    assert "do not match an account" in html
    assert "deactivated" not in html


def test_a_safe_next_is_followed_after_login(client, world):
    response = post_login(client, "rita@example.com", PASSWORD, next="/jobs/")
    assert response.url == "/jobs/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)"]
)
def test_an_unsafe_next_is_ignored(client, world, target):
    response = post_login(client, "rita@example.com", PASSWORD, next=target)
    assert response.status_code == 302
    assert response.url == QUEUE


def test_a_logged_in_person_opening_login_goes_to_the_queue(client, world, login):
    login(world.rita)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response.url == QUEUE


def test_the_demo_logins_are_listed_when_running_the_demo(client, db, settings):
    settings.CLOSELOOP_DEMO = True
    html = client.get(LOGIN).content.decode()
    assert "Demo logins" in html
    assert "hank@example.com" in html
    assert DEMO_PASSWORD in html


def test_the_demo_logins_are_never_listed_otherwise(client, db, settings):
    settings.CLOSELOOP_DEMO = False
    html = client.get(LOGIN).content.decode()
    assert "Demo logins" not in html
    assert "hank@example.com" not in html
    assert DEMO_PASSWORD not in html


def test_opening_the_login_page_changes_nothing(client, db):
    client.get(LOGIN)
    assert AccessAttempt.objects.count() == 0


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, world):
    for _ in range(5):
        post_login(client, "hank@example.com", "guess")
    response = post_login(client, "hank@example.com", PASSWORD)
    assert response.status_code == 429
    assert logged_in_as(client) is None
    html = response.content.decode()
    assert "Too many failed attempts; try again in 15 minutes or reset your password" in html
    assert reverse("accounts:password-reset") in html
    assert PASSWORD not in html


def test_a_lockout_of_one_person_leaves_others_unaffected(client, world):
    for _ in range(6):
        post_login(client, "hank@example.com", "guess")
    response = post_login(client, "rita@example.com", PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == world.rita.pk


def test_changing_the_case_of_the_email_buys_no_extra_attempts(client, world):
    for variant in ("hank@example.com", "Hank@example.com", "HANK@example.com"):
        for _ in range(2):
            post_login(client, variant, "guess")
    response = post_login(client, "hank@example.com", PASSWORD)
    assert response.status_code == 429


def test_a_successful_login_clears_earlier_failures(client, world):
    for _ in range(4):
        post_login(client, "hank@example.com", "guess")
    post_login(client, "hank@example.com", PASSWORD)
    client.logout()
    for _ in range(4):
        post_login(client, "hank@example.com", "guess")
    response = post_login(client, "hank@example.com", PASSWORD)
    assert response.status_code == 302
