"""The worker's delivery step: claim queued deliveries with a lease, send, mark the result.

Claiming is safe with several workers: on PostgreSQL the claim reads candidates with
`SELECT … FOR UPDATE SKIP LOCKED`; on SQLite (one writer at a time) each row is claimed with
a conditional UPDATE that only succeeds while the row is still unclaimed. A worker that dies
mid-send leaves its lease to expire, and the row returns to the queue: delivery is
at-least-once, and a duplicate carries the same Message-ID.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from closeloop.lib.sweep import Swept, sweep
from closeloop.notify import transports
from closeloop.notify.models import Delivery, DeliveryStatus
from closeloop.notify.services import deliver_again, not_sent_deactivated, recipient_deactivated

log = logging.getLogger("closeloop.outbox")

# CLOSELOOP_DELIVERY_LEASE_SECONDS (default 120): how long a claim protects one send.
LEASE = dt.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
MAX_ATTEMPTS = 8
BASE_BACKOFF = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=2)


def backoff(attempts: int, rng: random.Random | None = None) -> dt.timedelta:
    """Exponential backoff with full jitter: up to 30 s, 60 s, 120 s … capped at 2 h."""
    ceiling = min(MAX_BACKOFF, BASE_BACKOFF * (2 ** max(0, attempts - 1)))
    return ceiling * (rng or random).uniform(0.5, 1.0)


def _claimable(now: dt.datetime) -> Q:
    return Q(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)


def deliveries_lease_expired_return(*, now: dt.datetime, limit: int = 50) -> int:
    """Return the deliveries whose lease expired (their worker died mid-send) to the queue,
    for their recipient's working hours (`deliver_again`); how many were returned.

    They were due when claimed, and a worker that stopped may even have handed the message
    over already; still they are not sent again at once whatever the hour. A worker that
    died at 16:59 and is restarted at 02:00 would otherwise land the message at 02:00, which
    the first attempt was held to avoid; and if the first attempt did arrive, the duplicate
    (same Message-ID) is no more welcome at night. A retry after a busy server waits the same
    way. Messages that went at once (`at_once`, `needed_by` a meeting) go again at once, as
    `deliver_again` says for them. Inside working hours nothing changes: due now, claimed
    in the same pass. Conditional on the lease read, so one worker returns each row."""
    expired = list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING, lease_until__lt=now)
        .select_related("message__recipient")
        .order_by("lease_until", "pk")[:limit]
    )
    returned = 0
    for delivery in expired:
        lease_until = delivery.lease_until
        if lease_until is None:  # (the filter's; for the type checker)
            continue
        returned += Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.SENDING, lease_until=lease_until
        ).update(
            status=DeliveryStatus.QUEUED,
            next_attempt_at=deliver_again(delivery.message, now),
            lease_until=None,
            leased_by="",
            last_error=f"Its worker stopped mid-send (lease expired {lease_until:%Y-%m-%d %H:%M} "
            "UTC): queued again.",
        )
    return returned


def delivery_claim(*, worker: str, limit: int = 50, now: dt.datetime | None = None) -> list[int]:
    """Lease up to `limit` due deliveries to this worker; returns their ids. Expired leases
    go back to the queue first (`deliveries_lease_expired_return`)."""
    now = now or timezone.now()
    deliveries_lease_expired_return(now=now, limit=limit)
    # Counting the attempt at the claim, not after the send, means a message that kills the
    # worker every time it is sent still runs out of attempts instead of looping forever.
    lease = {
        "status": DeliveryStatus.SENDING,
        "lease_until": now + LEASE,
        "leased_by": worker,
        "attempts": F("attempts") + 1,
    }
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(_claimable(now))
                .order_by("next_attempt_at")
                .values_list("pk", flat=True)[:limit]
            )
            Delivery.objects.filter(pk__in=ids).update(**lease)
        return ids
    candidates = list(
        Delivery.objects.filter(_claimable(now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    claimed = []
    for pk in candidates:
        # Conditional on the row still queued and due: only one worker can win each row.
        won = Delivery.objects.filter(_claimable(now), pk=pk).update(**lease)
        if won:
            claimed.append(pk)
    return claimed


def _finish(pk: int, worker: str, **fields: object) -> bool:
    """Record the outcome, but only while we still hold the lease."""
    return bool(
        Delivery.objects.filter(pk=pk, leased_by=worker, status=DeliveryStatus.SENDING).update(
            lease_until=None, **fields
        )
    )


def _renew(pk: int, worker: str) -> bool:
    """Extend our lease just before sending; False when another worker has taken the row.

    A batch is claimed at once but sent one by one: without renewing, a slow SMTP server
    lets the lease of the batch's last rows run out while earlier rows are still being sent,
    another worker takes them over, and both send the same message.
    """
    return bool(
        Delivery.objects.filter(pk=pk, leased_by=worker, status=DeliveryStatus.SENDING).update(
            lease_until=timezone.now() + LEASE
        )
    )


def delivery_send(
    *, pk: int, worker: str, now: dt.datetime | None = None, mailer: transports.Mailer | None = None
) -> str:
    """Send one claimed delivery and record sent / retry / failed; returns the new status.

    Returns "lost" without sending when our lease ran out and another worker took the row.
    `mailer` is the batch's mail session (deliver_due); without one the email opens its own.
    """
    if not _renew(pk, worker):
        log.warning("delivery %s: lease lost to another worker; not sending", pk)
        return "lost"
    delivery = Delivery.objects.select_related("message", "message__recipient").get(pk=pk)
    attempts = delivery.attempts  # this attempt included (counted at the claim)
    if attempts > MAX_ATTEMPTS:
        _finish(
            pk,
            worker,
            status=DeliveryStatus.FAILED,
            last_error=f"Gave up after {attempts - 1} attempts that never finished.",
        )
        return DeliveryStatus.FAILED
    recipient = delivery.message.recipient
    if recipient_deactivated(recipient):
        # Deactivated after it was queued, and the deactivation's withdrawal missed it (it
        # was claimed as the deactivation committed): it stays unsent all the same.
        _finish(
            pk,
            worker,
            status=DeliveryStatus.WITHDRAWN,
            attempts=attempts,
            last_error=not_sent_deactivated(recipient),
        )
        return DeliveryStatus.WITHDRAWN
    try:
        outcome = transports.send(delivery, mailer)
    except transports.TransientError as error:
        if attempts >= MAX_ATTEMPTS:
            _finish(
                pk, worker, status=DeliveryStatus.FAILED, attempts=attempts, last_error=str(error)
            )
            return DeliveryStatus.FAILED
        # After the backoff, and inside the recipient's working hours like the first attempt:
        # a server busy at 16:59 must not make the message land at 17:00.
        retry_at = deliver_again(delivery.message, (now or timezone.now()) + backoff(attempts))
        _finish(
            pk,
            worker,
            status=DeliveryStatus.QUEUED,
            attempts=attempts,
            next_attempt_at=retry_at,
            last_error=str(error),
        )
        return DeliveryStatus.QUEUED
    except Exception as error:
        log.warning("delivery %s failed permanently: %s", pk, type(error).__name__)
        _finish(
            pk,
            worker,
            status=DeliveryStatus.FAILED,
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}",
        )
        return DeliveryStatus.FAILED
    _finish(
        pk,
        worker,
        status=outcome,
        attempts=attempts,
        sent_at=timezone.now() if outcome == DeliveryStatus.SENT else None,
        last_error="",
    )
    return outcome


def deliver_due(*, worker: str, limit: int = 50) -> Swept:
    """Worker step: claim a batch and send each; handled = deliveries claimed and settled.

    A delivery whose send raises outside the transport (its row or message cannot be read,
    say) goes back to the queue with the backoff, so the rest of the batch still goes out.
    The batch's emails share one SMTP session, opened at the first and closed at the end;
    a send that fails closes it, and the next delivery opens a fresh one.
    """
    mailer = transports.Mailer()

    def send(pk: int) -> int:
        delivery_send(pk=pk, worker=worker, mailer=mailer)
        return 1  # settled: sent, queued for a retry, failed, or lost to another worker

    try:
        return sweep(
            "deliver_due",
            delivery_claim(worker=worker, limit=limit),
            send,
            push_back=lambda pk, error: delivery_push_back(pk=pk, worker=worker, error=error),
            row_id=lambda pk: f"delivery {pk}",
        )
    finally:
        mailer.close()


def delivery_push_back(*, pk: int, worker: str, error: Exception) -> bool:
    """Return a claimed delivery that raised to the queue after the backoff, inside its
    recipient's working hours (or give up once it has had its attempts); False when our
    lease is gone."""
    delivery = (
        Delivery.objects.filter(pk=pk, leased_by=worker, status=DeliveryStatus.SENDING)
        .select_related("message__recipient")
        .first()
    )
    if delivery is None:
        return False
    last_error = f"{type(error).__name__}: {error}"
    if delivery.attempts >= MAX_ATTEMPTS:
        return _finish(pk, worker, status=DeliveryStatus.FAILED, last_error=last_error)
    retry_at = deliver_again(delivery.message, timezone.now() + backoff(delivery.attempts))
    return _finish(
        pk, worker, status=DeliveryStatus.QUEUED, next_attempt_at=retry_at, last_error=last_error
    )
