"""Holds for worker steps whose rows have no next-run time of their own.

A step whose failing row cannot be pushed back by moving one of its own fields (an ended
interview waits to be completed: its end time is a fact, not a schedule) holds the row here
instead: its claim leaves out `sweep_held(step)`, and `sweep_hold_push` is its `push_back`
for `closeloop.lib.sweep.sweep`. A row that fails again waits twice as long, up to a cap, so
a row that can never be handled costs one log line every couple of hours, not every loop.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from closeloop.followups.models import SweepHold

FIRST_HOLD = dt.timedelta(minutes=10)
LONGEST_HOLD = dt.timedelta(hours=2)
# A hold whose time passed this long ago belongs to a row handled since: forget it.
FORGET_AFTER = dt.timedelta(days=1)


def sweep_hold_length(failures: int) -> dt.timedelta:
    """10 minutes after the first failure, doubling with each one after it, at most 2 h."""
    return min(LONGEST_HOLD, FIRST_HOLD * 2 ** max(0, failures - 1))


def sweep_held(step: str, *, now: dt.datetime) -> QuerySet[SweepHold, int]:
    """Ids of `step`'s rows still held at `now`, as a subquery for the step's claim."""
    return SweepHold.objects.filter(step=step, retry_at__gt=now).values_list("row_id", flat=True)


def sweep_hold_push(
    step: str, row_id: int, error: Exception, *, now: dt.datetime | None = None
) -> SweepHold:
    """Hold a row that just failed in `step`; a row held before waits longer this time."""
    now = now or timezone.now()
    last_error = f"{type(error).__name__}: {error}"[:500]
    with transaction.atomic():
        hold = SweepHold.objects.select_for_update().filter(step=step, row_id=row_id).first()
        if hold is None:
            try:
                with transaction.atomic():
                    hold = SweepHold.objects.create(
                        step=step,
                        row_id=row_id,
                        retry_at=now + sweep_hold_length(1),
                        failed_at=now,
                        last_error=last_error,
                    )
            except IntegrityError:
                # Another worker held it a moment ago: count this failure on its hold.
                hold = SweepHold.objects.select_for_update().get(step=step, row_id=row_id)
            else:
                _forget_old_holds(now)
                return hold
        hold.failures += 1
        hold.retry_at = now + sweep_hold_length(hold.failures)
        hold.failed_at, hold.last_error = now, last_error
        hold.save(update_fields=["failures", "retry_at", "failed_at", "last_error"])
    return hold


def _forget_old_holds(now: dt.datetime) -> None:
    SweepHold.objects.filter(retry_at__lt=now - FORGET_AFTER).delete()
