"""`Epoch` reads a moment as POSIX seconds in SQL, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from closeloop.followups.models import Ask
from closeloop.lib.sqltime import Epoch
from insights.conftest import ask_row


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 3, 29, 0, 59, 59, 250000, tzinfo=dt.UTC),  # an hour before a clock change
        dt.datetime(1999, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ],
)
def test_a_moment_reads_as_its_posix_seconds(world, moment):
    ask = Ask.objects.bulk_create([ask_row(world.hank, opened_at=moment)])[0]

    found = Ask.objects.filter(pk=ask.pk).annotate(at=Epoch("opened_at"), gone=Epoch("closed_at"))

    at, gone = found.values_list("at", "gone").get()
    assert at == pytest.approx(moment.timestamp(), abs=0.001)
    assert gone is None
