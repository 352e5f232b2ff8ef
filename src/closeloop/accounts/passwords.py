"""Password rules beyond Django's own (see AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from typing import Any

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
