"""A row the touch-base steps cannot handle is pushed back and logged; the others still go."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from closeloop.followups.models import Ask
from closeloop.lib.sweep import Swept
from closeloop.touchbases import services, weekly
from closeloop.touchbases.models import TouchbaseSeries, WeeklyUpdateSchedule
from poison import Poison, sweep_errors

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # the clock fixture's moment
THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
# A held row waits 10 minutes after its first failure.
LATER = dt.timedelta(minutes=11)


@pytest.fixture
def two_cadences(world, cadence):
    """Both jobs agree a Thursday 14:00 London touch-base; neither has its series yet."""
    other = world.other_job
    other.touchbase_weekday, other.touchbase_time = 3, dt.time(14, 0)
    other.touchbase_time_zone = "Europe/London"
    other.save()
    return cadence, other


def test_a_job_whose_series_raises_is_held_while_the_other_jobs_sync(
    two_cadences, clock, monkeypatch, caplog
):
    bad, good = two_cadences
    poison = Poison(monkeypatch, services, "series_sync", lambda **row: row["job"].pk == bad.pk)
    with caplog.at_level(logging.ERROR):
        swept = services.series_sync_due()
    assert list(TouchbaseSeries.objects.values_list("job", flat=True)) == [good.pk]
    [line] = sweep_errors(caplog)
    assert "series_sync_due" in line.getMessage() and f"job {bad.pk}" in line.getMessage()
    assert swept == Swept(handled=1, failed=1)
    assert services.series_sync_due() == Swept()  # held: the next loop does not spin
    assert poison.calls == 1
    poison.cure()
    clock.move_to(MONDAY_10 + LATER)
    assert services.series_sync_due() == Swept(handled=1)
    assert TouchbaseSeries.objects.filter(job=bad, active=True).exists()


def test_a_series_that_raises_waits_while_the_other_series_advance(
    two_cadences, clock, monkeypatch, caplog
):
    for job in two_cadences:
        services.series_sync(job=job, notify=False)
    bad, good = TouchbaseSeries.objects.order_by("job_id")
    poison = Poison(monkeypatch, services, "_advance_one", lambda **row: row["pk"] == bad.pk)
    now = THURSDAY_14 + dt.timedelta(hours=1)
    clock.move_to(now)
    with caplog.at_level(logging.ERROR):
        swept = services.touchbases_advance()
    assert list(Ask.objects.filter(kind="hold_touchbase").values_list("job", flat=True)) == [
        good.job_id
    ]
    bad.refresh_from_db()
    assert bad.next_due_at == THURSDAY_14 + dt.timedelta(minutes=30)  # still names the meeting
    [line] = sweep_errors(caplog)
    assert "touchbases_advance" in line.getMessage()
    assert f"touch-base series {bad.pk}" in line.getMessage()
    assert swept == Swept(handled=1, failed=1)
    assert services.touchbases_advance() == Swept()
    assert poison.calls == 1
    poison.cure()
    clock.move_to(now + LATER)
    assert services.touchbases_advance() == Swept(handled=1)
    assert Ask.objects.filter(kind="hold_touchbase").count() == 2


def test_a_weekly_update_that_raises_waits_while_the_others_go_out(
    world, clock, monkeypatch, caplog
):
    weekly.weekly_update_schedules_ensure()
    bad = WeeklyUpdateSchedule.objects.get(person=world.hank)
    slot = bad.next_run_at  # Monday 30 Nov 08:00 in hank's zone, as for the others here
    others = WeeklyUpdateSchedule.objects.filter(next_run_at=slot).exclude(pk=bad.pk).count()
    assert others >= 1
    poison = Poison(
        monkeypatch, weekly, "weekly_update_send_one", lambda **row: row["pk"] == bad.pk
    )
    clock.move_to(slot)
    with caplog.at_level(logging.ERROR):
        swept = weekly.weekly_updates_send()
    assert WeeklyUpdateSchedule.objects.filter(last_run_at=slot).count() == others
    bad.refresh_from_db()
    assert bad.last_run_at is None
    assert bad.next_run_at == slot  # still the person's slot, for the retry to recognise
    [line] = sweep_errors(caplog)
    assert "weekly_updates_send" in line.getMessage()
    assert f"weekly update schedule {bad.pk}" in line.getMessage()
    assert swept == Swept(handled=others, failed=1)
    assert weekly.weekly_updates_send() == Swept()
    assert poison.calls == 1
    poison.cure()
    clock.move_to(slot + LATER)
    assert weekly.weekly_updates_send() == Swept(handled=1)
    bad.refresh_from_db()
    assert bad.last_run_at == slot + LATER
    assert bad.next_run_at == slot + dt.timedelta(days=7)
