"""The housekeeping step deletes expired sessions and old form receipts, a batch at a time,
and leaves everything still in use."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from closeloop.accounts.models import Session
from closeloop.activity.models import FormReceipt
from closeloop.followups import worker
from closeloop.ops import housekeeping as module
from closeloop.ops.housekeeping import housekeeping


def _session(key: str, user, expires: dt.datetime) -> None:
    Session.objects.create(session_key=key, session_data="x", expire_date=expires, user=user)


def test_expired_sessions_and_old_receipts_go_the_rest_stays(world):
    now = timezone.now()
    _session("expired" + "0" * 25, world.hank, now - dt.timedelta(minutes=1))
    _session("live" + "0" * 28, world.hank, now + dt.timedelta(days=1))
    old = FormReceipt.objects.create(token="o" * 32, user=world.rita)
    FormReceipt.objects.filter(pk=old.pk).update(at=now - dt.timedelta(days=31))
    FormReceipt.objects.create(token="n" * 32, user=world.rita)
    swept = housekeeping(now=now, force=True)
    assert swept.handled == 2
    assert set(Session.objects.values_list("session_key", flat=True)) == {"live" + "0" * 28}
    assert set(FormReceipt.objects.values_list("token", flat=True)) == {"n" * 32}


def test_one_pass_deletes_at_most_a_batch_of_each(world, monkeypatch):
    monkeypatch.setattr(module, "BATCH", 3)
    past = timezone.now() - dt.timedelta(days=1)
    for index in range(5):
        _session(f"gone{index:028}", None, past)
    assert housekeeping(force=True).handled == 3
    assert housekeeping(force=True).handled == 2
    assert not Session.objects.exists()


def test_it_is_a_registered_worker_step():
    assert "housekeeping" in {name for name, _ in worker.STEPS}
