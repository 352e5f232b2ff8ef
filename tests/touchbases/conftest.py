"""Touch-base fixtures: the clock on Monday 23 Nov 2026 10:00 UTC and a job with a cadence.

"Backend Engineer" (rita recruits, hank hires) agrees a weekly touch-base on Thursdays at
14:00 London time (= 14:00 UTC in November), 30 minutes.
"""

from __future__ import annotations

import datetime as dt

import pytest

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(clock, world):
    return world


@pytest.fixture
def cadence(world):
    """The job's agreed cadence, set directly (the intake writes these fields)."""
    job = world.job
    job.touchbase_weekday = 3
    job.touchbase_time = dt.time(14, 0)
    job.touchbase_minutes = 30
    job.touchbase_time_zone = "Europe/London"
    job.save()
    return job


@pytest.fixture
def series(cadence, world):
    from closeloop.touchbases.services import series_sync

    return series_sync(job=cadence, by=world.rita)


@pytest.fixture
def current(series):
    from closeloop.touchbases.selectors import touchbase_current

    return touchbase_current(series=series)


@pytest.fixture
def submitted(world):
    """rita submits Carla to hank (opens hank's review_submission ask)."""
    from closeloop.pipeline.services import application_submit

    return application_submit(
        application=world.interviewed,
        by=world.rita,
        pitch="Ran Postgres on-call for 3 years.",
        must_haves_met=["Python", "PostgreSQL"],
    )


@pytest.fixture
def run_worker():
    """One round of every worker step, as `closeloop worker` runs them."""
    from closeloop.followups.worker import Worker

    return lambda: Worker(idle_seconds=0).run_once()


@pytest.fixture
def hank_away(world):
    """hank out of office from Fri 20 Nov until Fri 11 Dec, olga his delegate."""
    world.hank.out_of_office_from = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
    world.hank.out_of_office_until = dt.datetime(2026, 12, 11, 0, 0, tzinfo=dt.UTC)
    world.hank.delegate = world.olga
    world.hank.save()
    return world.hank
