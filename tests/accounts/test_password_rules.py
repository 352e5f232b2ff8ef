"""A new password is refused when it is the person's own name or address, the product's name,
or only spaces; a real passphrase is taken."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

PASSWORD = "correct-horse-battery"  # every persona's password in tests/conftest.py


@pytest.mark.parametrize(
    "weak",
    [
        "Hank Manager",  # his own full name
        "hankmanager1",  # his name, run together
        "hank@example.com",  # his address
        "closeloop",
        "Closeloop2026",
        "close loop 12",
        "hiring-password",
        " " * 12,
        "\t" * 10,
    ],
)
def test_a_guessable_password_is_refused(world, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=world.hank)


@pytest.mark.parametrize("good", ["a-brand-new-passphrase-42", "tulip orbit canyon 7"])
def test_a_real_passphrase_is_taken(world, good):
    validate_password(good, user=world.hank)


def test_the_change_form_says_why_and_keeps_the_old_password(world, login):
    client = login(world.hank)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": " " * 12, "new_password2": " " * 12},
    )
    assert response.status_code == 200  # Django's own view shows the form again with 200
    assert "A password needs more than spaces." in response.content.decode()
    world.hank.refresh_from_db()
    assert world.hank.check_password(PASSWORD)
