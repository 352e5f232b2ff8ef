"""Housekeeping, a worker step: what nobody needs any more is deleted, a batch at a time.

- Sessions past their expiry (Django never deletes them by itself): a signed-out browser's
  row holds nothing anyone may use, only the person's id and device label.
- Form receipts (`activity.FormReceipt`) older than RECEIPT_DAYS: a form is sent twice within
  seconds or minutes, never months apart.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from closeloop.accounts.models import Session
from closeloop.activity.models import FormReceipt
from closeloop.lib.sweep import Swept

if TYPE_CHECKING:
    from django.db.models import QuerySet

RECEIPT_DAYS = 30
BATCH = 1000
# A full pass at most this often per worker process: the deletes are cheap but not needed
# on every 2-second loop.
EVERY_SECONDS = 600.0
_last_run = [-float("inf")]


def _delete_batch(rows: QuerySet[Any]) -> int:
    """Delete the first BATCH of `rows` (a queryset), by primary key: bounded work per loop."""
    keys = list(rows.values_list("pk", flat=True)[:BATCH])
    if not keys:
        return 0
    deleted, _ = rows.model.objects.filter(pk__in=keys).delete()
    return deleted


def housekeeping(*, now: dt.datetime | None = None, force: bool = False) -> Swept:
    """Delete expired sessions and old form receipts, one batch of each."""
    if not force and time.monotonic() - _last_run[0] < EVERY_SECONDS:
        return Swept()
    now = now or timezone.now()
    handled = _delete_batch(Session.objects.filter(expire_date__lt=now))
    handled += _delete_batch(
        FormReceipt.objects.filter(at__lt=now - dt.timedelta(days=RECEIPT_DAYS))
    )
    if handled < 2 * BATCH:  # caught up: the next pass waits its turn
        _last_run[0] = time.monotonic()
    return Swept(handled=handled)
