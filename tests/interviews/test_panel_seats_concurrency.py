"""Two panels of one candidate changing at once keep the seat right: the seat sync locks the
application first, so the one dropping a person waits for the one adding them elsewhere and
then sees the new panel row. PostgreSQL only (SQLite serialises every writer, so there the
race cannot happen and the test would prove nothing)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from closeloop.interviews.models import Interview, PanelSeat

pytestmark = pytest.mark.slow


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises writers, so the two changes cannot race there "
            "(CI runs this with DATABASE_URL=postgres://…)."
        )


def _interview(application, *panel) -> Interview:
    start = timezone.now() + dt.timedelta(days=2)
    interview = Interview.objects.create(
        application=application,
        round_name="Panel",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    interview.interviewers.add(*panel)
    return interview


@pytest.mark.parametrize("attempt", range(3))
def test_a_seat_dropped_while_another_panel_adds_it_stays(postgresql, world, attempt):
    carla, olga = world.interviewed, world.olga
    first = _interview(carla, olga)
    second = _interview(carla)
    added = threading.Event()
    done: list[str] = []

    def add() -> None:
        try:
            with transaction.atomic():
                second.interviewers.add(olga)
                added.set()
                time.sleep(0.5)  # uncommitted while the other drops her from the first
            done.append("added")
        except Exception as error:  # a deadlock or a server error: the test fails on it
            done.append(f"error: {error!r}")
        finally:
            connection.close()

    def drop() -> None:
        try:
            added.wait(timeout=10)
            first.interviewers.remove(olga)
            done.append("dropped")
        except Exception as error:
            done.append(f"error: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=add), threading.Thread(target=drop)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(done) == ["added", "dropped"], done
    assert PanelSeat.objects.filter(user=olga, application=carla).exists()
