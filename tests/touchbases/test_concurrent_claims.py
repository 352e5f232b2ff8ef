"""Two workers claim touch-base rows at once and nothing is done twice (SKIP LOCKED).

These tests commit (each thread has its own connection), so they live apart from the
touch-base modules whose tests share one world rolled back at the end of the module
(tests/conftest.py builds the world per test in a module with any committing test).
They need PostgreSQL; on SQLite they are skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from closeloop.followups.models import Ask
from closeloop.followups.services import ask_open
from closeloop.jobs.services import job_create
from closeloop.notify.models import Message
from closeloop.touchbases.models import Touchbase, WeeklyUpdateSchedule
from closeloop.touchbases.services import series_sync, touchbases_advance
from closeloop.touchbases.weekly import weekly_update_schedules_ensure, weekly_updates_send

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
CADENCE = {
    "touchbase_weekday": 3,
    "touchbase_time": dt.time(14, 0),
    "touchbase_minutes": 30,
    "touchbase_time_zone": "Europe/London",
}


@pytest.mark.django_db(transaction=True)
def test_two_workers_advance_each_series_once_on_postgresql(world, cadence, clock):
    """Two threads with their own connections: one hold reminder and one next meeting each."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrent claims need PostgreSQL (SKIP LOCKED); run with DATABASE_URL=postgres://…"
        )
    jobs = [world.job] + [
        job_create(by=world.rita, data={**CADENCE, "title": f"Job {i}", "status": "open",
                                        "recruiter": world.rita, "hiring_manager": world.hank})
        for i in range(10)
    ]  # fmt: skip
    for job in jobs:
        series_sync(job=job, notify=False)
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=1))
    barrier = threading.Barrier(2)
    done: list[int] = []

    def work() -> None:
        try:
            barrier.wait()
            done.append(sum(touchbases_advance(limit=3).handled for _ in range(10)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(done) == len(jobs)
    assert Ask.objects.filter(kind="hold_touchbase").count() == len(jobs)
    assert Touchbase.objects.count() == 2 * len(jobs)


@pytest.mark.django_db(transaction=True)
def test_a_person_being_saved_elsewhere_does_not_make_the_worker_pass_over_their_series(
    world, cadence, clock
):
    """The claim locks the series row alone: while another transaction updates the hiring
    manager's row (a sign-in stamping last_login, a profile save), his series still advances.
    Locking the joined people too, SKIP LOCKED passed it over as if another worker had it."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; run with DATABASE_URL=postgres://…")
    from django.contrib.auth import get_user_model

    series_sync(job=cadence, notify=False)
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=1))
    locked, release = threading.Event(), threading.Event()

    def save_hank() -> None:
        try:
            with transaction.atomic():  # an UPDATE of his row in progress: FOR NO KEY UPDATE
                get_user_model().objects.select_for_update(no_key=True).get(pk=world.hank.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    saving = threading.Thread(target=save_hank)
    saving.start()
    try:
        assert locked.wait(timeout=30)
        assert touchbases_advance().handled == 1
    finally:
        release.set()
        saving.join(timeout=30)
    assert Touchbase.objects.filter(job=cadence).count() == 2
    assert Ask.objects.filter(kind="hold_touchbase").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_twice_on_postgresql(world, submitted, clock):
    """Two threads with their own connections race over the same due rows."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrent claims need PostgreSQL (SKIP LOCKED); run with DATABASE_URL=postgres://…"
        )
    from django.contrib.auth import get_user_model

    User = get_user_model()
    people = [
        User.objects.create_user(
            f"hm{i}@example.com", "x", full_name=f"HM {i}", is_hiring_manager=True
        )
        for i in range(30)
    ]
    for person in people:  # each has something waiting on them, so each gets an email
        ask_open(kind="action_item", subject=f"action:t{person.pk}", title="Do it", owner=person)
    weekly_update_schedules_ensure()
    WeeklyUpdateSchedule.objects.update(next_run_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    due_by = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(50):  # until no row is due; a row locked by the other is skipped
                weekly_updates_send(limit=10)
                if not WeeklyUpdateSchedule.objects.filter(next_run_at__lte=due_by).exists():
                    break
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sent = list(
        Message.objects.filter(template="weekly-update").values_list("recipient", flat=True)
    )
    assert len(sent) == len(set(sent))  # nobody twice
    assert {p.pk for p in people} | {world.hank.pk, world.rita.pk} <= set(sent)  # everyone once
    assert not WeeklyUpdateSchedule.objects.filter(next_run_at__lte=due_by).exists()
