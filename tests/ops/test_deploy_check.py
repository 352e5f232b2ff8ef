"""The documented production setup passes `closeloop check --deploy`, and serves HTTPS only:
plain HTTP redirected (the probes excepted) and HSTS sent."""

from __future__ import annotations

import os
import subprocess
import sys

from django.test import Client, override_settings

PRODUCTION = {
    "SITE_URL": "https://closeloop.example.com",
    "ALLOWED_HOSTS": "closeloop.example.com",
    "BEHIND_HTTPS_PROXY": "1",
    "EMAIL_URL": "smtp://mail.example.com:25",
}


CHECK = [sys.executable, "-m", "closeloop.cli", "check"]
# The checks `closeloop migrate` runs too: the models against the database in use.
DATABASE_CHECKS = ["--database", "default"]


def test_check_deploy_is_clean_for_the_documented_setup(tmp_path):
    # The production environment, not the test run's (which allows async-unsafe calls).
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env = {**kept, **PRODUCTION, "CLOSELOOP_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [*CHECK, "--deploy", *DATABASE_CHECKS, "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


HTTPS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ALLOWED_HOSTS": ["closeloop.example.com"],
}


@override_settings(**HTTPS)
def test_plain_http_is_redirected_but_the_probes_are_not(db):
    client = Client(HTTP_HOST="closeloop.example.com")
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://closeloop.example.com/accounts/login/"
    assert client.get("/healthz").status_code == 200


@override_settings(**HTTPS)
def test_https_answers_carry_hsts(db):
    client = Client(HTTP_HOST="closeloop.example.com", HTTP_X_FORWARDED_PROTO="https")
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"
