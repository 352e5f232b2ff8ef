"""Password rules beyond Django's own (see AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError

# Words anyone guessing a password here tries first.
PRODUCT_WORDS = ("closeloop", "close loop", "recruiting", "recruiter", "hiring", "password")


class PasswordSubstanceValidator:
    """Refuse a password that is only spaces, or little more than a word of this product:
    what is left without spaces and those words must be `min_length` characters long."""

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        rest = password.lower()
        for word in PRODUCT_WORDS:
            rest = rest.replace(word, "")
        rest = "".join(rest.split())
        if not "".join(password.split()):
            raise ValidationError("A password needs more than spaces.", code="password_blank")
        if len(rest) < self.min_length:
            raise ValidationError(
                "This password is too easy to guess here: besides spaces and words like "
                f"“closeloop” or “hiring” it needs at least {self.min_length} characters.",
                code="password_product_word",
            )

    def get_help_text(self) -> str:
        return f"Besides spaces and words like “closeloop”, at least {self.min_length} characters."


class ResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token without the last sign-in in its hash: a person who asked for a
    link signed out and then signs in (the Outbox page, where the demo's emails are read,
    needs it) keeps a working link. Still dead once used or the password changes (the hash
    holds the password's hash), once the account is deactivated, or after
    PASSWORD_RESET_TIMEOUT (the token's own timestamp)."""

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        email = getattr(user, user.get_email_field_name(), "") or ""
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{email}"


reset_token_generator = ResetTokenGenerator()
