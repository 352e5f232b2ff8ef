"""Create forms that act once however often they are sent.

A create form carries a one-time token (`{% form_receipt %}` renders it as a hidden field).
`submit_once` runs the creation in one transaction with a `FormReceipt` row for that token:
the second send of the same form, even while the first is still running, waits for it and
then finds the receipt, so nothing is created (or mailed) twice. The same fields sent to the
same address by the same person within two minutes, under a new token, count as the same
form too: pages with candidate data are not cached, so Back rebuilds the form with a new
token while the browser fills in what was typed. A send without a token (an old page, a
script) is simply created, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from closeloop.activity.models import FormReceipt

if TYPE_CHECKING:
    from django.http import HttpRequest

    from closeloop.accounts.models import User

T = TypeVar("T")
FIELD = "receipt"
TOKEN_LENGTH = 32
# The same fields sent to the same address by the same person this soon after are the same
# form sent again (Back, then Send: the page was rebuilt with a new token).
RESENT_WITHIN = dt.timedelta(minutes=2)


@dataclass(frozen=True)
class SentBefore:
    """This form was sent already: `url` shows what it did ("" when unknown)."""

    url: str


def receipt_token_new() -> str:
    return secrets.token_urlsafe(24)


def _token(request: HttpRequest) -> str:
    token = str(request.POST.get(FIELD, ""))
    return token if 16 <= len(token) <= TOKEN_LENGTH * 2 else ""


def _fingerprint(request: HttpRequest) -> str:
    fields = sorted(
        (name, request.POST.getlist(name))
        for name in request.POST
        if name not in (FIELD, "csrfmiddlewaretoken")
    )
    payload = json.dumps([request.path, fields], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _resent(fingerprint: str, user: User) -> SentBefore | None:
    receipt = (
        FormReceipt.objects.filter(
            user=user, fingerprint=fingerprint, at__gte=timezone.now() - RESENT_WITHIN
        )
        .order_by("-at")
        .first()
    )
    return SentBefore(receipt.result_url) if receipt is not None else None


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
    fingerprint = _fingerprint(request)
    resent = _resent(fingerprint, user)
    if resent is not None:
        return resent
    with transaction.atomic():
        try:
            with transaction.atomic():  # waits here for a first send still in flight
                receipt = FormReceipt.objects.create(
                    token=token, user=user, fingerprint=fingerprint
                )
        except IntegrityError:
            return _sent_before(token, user)
        made = create()
        if made is None:
            transaction.set_rollback(True)
            return None
        receipt.result_url = url_of(made)[:500]
        receipt.save(update_fields=["result_url"])
        return made
