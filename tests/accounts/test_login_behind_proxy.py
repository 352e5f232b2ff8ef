"""Behind the TLS proxy the login limiter counts each browser's own address: five bad
attempts from one place lock out that person from that place only, and an address the
browser claims in X-Forwarded-For is never believed."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from closeloop.accounts.http import client_address

PASSWORD = "correct-horse-battery"  # every persona's password in tests/conftest.py
LOGIN = reverse("accounts:login")
ATTACKER, HANK_AT_HOME = "203.0.113.5", "198.51.100.7"
BEHIND_PROXY = override_settings(TRUSTED_PROXIES=["127.0.0.1", "::1"])


def _login(client, password: str, forwarded: str):
    # nginx's $proxy_add_x_forwarded_for: what the browser sent, then the address it saw.
    return client.post(
        LOGIN,
        {"username": "hank@example.com", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@BEHIND_PROXY
def test_an_attacker_locks_out_only_their_own_address(client, world):
    for _ in range(6):
        _login(client, "guess", ATTACKER)
    assert _login(client, PASSWORD, ATTACKER).status_code == 429
    assert _login(client, PASSWORD, HANK_AT_HOME).status_code == 302


@BEHIND_PROXY
def test_a_claimed_address_buys_no_extra_attempts(client, world):
    for index in range(6):
        _login(client, "guess", f"10.0.0.{index}, {ATTACKER}")  # a new lie each time
    assert _login(client, PASSWORD, f"10.9.9.9, {ATTACKER}").status_code == 429


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        (["127.0.0.1"], "127.0.0.1", f"1.2.3.4, {ATTACKER}", ATTACKER),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["127.0.0.1"], "192.0.2.9", ATTACKER, "192.0.2.9"),  # not from our proxy
        ([], "127.0.0.1", ATTACKER, "127.0.0.1"),  # not behind a proxy at all
    ],
)
def test_the_client_address(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
