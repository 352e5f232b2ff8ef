"""The worker brings every series in line with the agreed cadence, whoever changed it."""

from __future__ import annotations

import datetime as dt

from closeloop.jobs.models import JobStatus
from closeloop.notify.models import Message
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.services import series_sync_due


def _invites() -> int:
    return Message.objects.filter(template="touchbase-invite").count()


def test_an_agreed_cadence_gets_its_series_on_the_next_loop(world, cadence):
    assert series_sync_due().handled == 1
    assert TouchbaseSeries.objects.get(job=world.job).active
    assert _invites() == 2
    assert series_sync_due().handled == 0  # in line now: nothing more to do, nothing re-sent
    assert _invites() == 2


def test_a_changed_time_minutes_zone_or_team_is_synced(world, series):
    job = world.job
    for change in (
        {"touchbase_time": dt.time(9, 30)},
        {"touchbase_minutes": 45},
        {"touchbase_time_zone": "Europe/Berlin"},
        {"hiring_manager": world.olga},
    ):
        for name, value in change.items():
            setattr(job, name, value)
        job.save()
        assert series_sync_due().handled == 1, change
        assert series_sync_due().handled == 0, change
    series.refresh_from_db()
    assert series.sequence == 4 and series.hiring_manager == world.olga


def test_a_closed_job_ends_its_series(world, series):
    world.job.status = JobStatus.FILLED
    world.job.save()
    assert series_sync_due().handled == 1
    series.refresh_from_db()
    assert not series.active
    assert series_sync_due().handled == 0


def test_jobs_without_a_cadence_are_left_alone(world):
    assert series_sync_due().handled == 0
    assert not TouchbaseSeries.objects.exists()
