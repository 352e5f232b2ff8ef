"""`closeloop demo` seeds as it serves: with quiet hours off, so what seeding queued goes out at
once on a Saturday too (the served demo switches them off for the same reason)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from closeloop.notify.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.slow

SATURDAY_NOON = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_messages_queued_while_seeding_wait_for_nobodys_working_day(settings, monkeypatch):
    monkeypatch.delenv("CLOSELOOP_QUIET_HOURS", raising=False)
    settings.QUIET_HOURS = True  # a real installation's default; the command turns it off
    with time_machine.travel(SATURDAY_NOON, tick=False):
        call_command("demo", "--no-serve", stdout=None)
        queued = Delivery.objects.filter(status=DeliveryStatus.QUEUED)
        assert queued.exists()
        assert not queued.filter(next_attempt_at__gt=timezone.now()).exists()
