"""Create forms that act once however often they are sent.

A create form carries a one-time token (`{% form_receipt %}` renders it as a hidden field).
`submit_once` runs the creation in one transaction with a `FormReceipt` row for that token:
the second send of the same form, even while the first is still running, waits for it and
then finds the receipt, so nothing is created (or mailed) twice. A send without a token (an
old page, a script) is simply created, as before.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db import IntegrityError, transaction

from closeloop.activity.models import FormReceipt

if TYPE_CHECKING:
    from django.http import HttpRequest

    from closeloop.accounts.models import User

T = TypeVar("T")
FIELD = "receipt"
TOKEN_LENGTH = 32


@dataclass(frozen=True)
class SentBefore:
    """This form was sent already: `url` shows what it did ("" when unknown)."""

    url: str


def receipt_token_new() -> str:
    return secrets.token_urlsafe(24)


def _token(request: HttpRequest) -> str:
    token = str(request.POST.get(FIELD, ""))
    return token if 16 <= len(token) <= TOKEN_LENGTH * 2 else ""


def _sent_before(token: str, user: User) -> SentBefore:
    receipt = FormReceipt.objects.filter(token=token, user=user).first()
    return SentBefore(receipt.result_url if receipt is not None else "")


def submit_once(
    request: HttpRequest, user: User, create: Callable[[], T | None], url_of: Callable[[T], str]
) -> T | SentBefore | None:
    """`create()` once per form token, or SentBefore for a form sent already.

    `create` may raise (a refused form: nothing is kept, the token can be sent again) or
    return None for "not created" (likewise)."""
    token = _token(request)
    if not token:
        return create()
    if FormReceipt.objects.filter(token=token).exists():
        return _sent_before(token, user)
    with transaction.atomic():
        try:
            with transaction.atomic():  # waits here for a first send still in flight
                receipt = FormReceipt.objects.create(token=token, user=user)
        except IntegrityError:
            return _sent_before(token, user)
        made = create()
        if made is None:
            transaction.set_rollback(True)
            return None
        receipt.result_url = url_of(made)[:500]
        receipt.save(update_fields=["result_url"])
        return made
