"""`application_next_move_set`, the one door to whose move it is (owner and since together)."""

from __future__ import annotations

import datetime as dt

from pipeline_helpers import fresh

from closeloop.pipeline.services import application_next_move_set

T0 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=3)


def test_an_owner_is_written_with_the_moment_the_wait_starts(world):
    application_next_move_set(application=world.interviewed, owner=world.hank, at=T1)
    application = fresh(world.interviewed)
    assert (application.next_move_owner, application.next_move_since) == (world.hank, T1)


def test_nobody_owing_the_move_means_no_waiting_time(world):
    application_next_move_set(application=world.interviewed, owner=None, at=T1)
    application = fresh(world.interviewed)
    assert (application.next_move_owner, application.next_move_since) == (None, None)


def test_the_same_owner_keeps_the_wait_running_when_asked_to(world):
    application_next_move_set(application=world.interviewed, owner=world.ivy, at=T0)
    changed = application_next_move_set(
        application=world.interviewed, owner=world.ivy, at=T1, keep_since=True
    )
    application = fresh(world.interviewed)
    assert not changed
    assert (application.next_move_owner, application.next_move_since) == (world.ivy, T0)


def test_another_owner_restarts_the_wait_even_when_keeping_is_asked(world):
    application_next_move_set(application=world.interviewed, owner=world.ivy, at=T0)
    changed = application_next_move_set(
        application=world.interviewed, owner=world.rita, at=T1, keep_since=True
    )
    application = fresh(world.interviewed)
    assert changed
    assert (application.next_move_owner, application.next_move_since) == (world.rita, T1)


def test_without_saving_only_the_instance_changes(world):
    application_next_move_set(application=world.interviewed, owner=world.hank, at=T1, save=False)
    assert world.interviewed.next_move_owner == world.hank
    assert fresh(world.interviewed).next_move_owner != world.hank
