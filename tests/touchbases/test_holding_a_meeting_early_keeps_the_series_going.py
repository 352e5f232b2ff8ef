"""Marking the meeting held before it ends: the series goes on to the next one at once.

The fixtures' series meets on Thursdays 14:00 London; the next meeting is Thu 26 Nov. A
meeting may be marked held from 12 hours before it starts, so rita marks it held at 03:00
that morning: the next meeting (Thu 03 Dec) exists at once, the job page, the invitation's
link and the profile point to it, the items agreed carry over to it, and the one held is
listed under Recent.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.touchbases.models import Touchbase, TouchbaseSeries, TouchbaseStatus
from closeloop.touchbases.selectors import (
    action_items_carried,
    touchbase_current,
    touchbase_history,
)
from closeloop.touchbases.services import action_item_add, touchbase_hold, touchbases_advance

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
NEXT_THURSDAY = THURSDAY_14 + dt.timedelta(days=7)
EARLY = THURSDAY_14 - dt.timedelta(hours=11)


def _hold_early(world, current, clock):
    item = action_item_add(
        touchbase=current,
        by=world.rita,
        description="Send the revised job ad",
        owner=world.hank,
        due_on=dt.date(2026, 11, 30),
    )
    clock.move_to(EARLY)
    touchbase_hold(touchbase=current, by=world.rita)
    return item


def test_the_next_meeting_exists_at_once(world, series, current, clock):
    item = _hold_early(world, current, clock)
    following = touchbase_current(series=series)
    assert following is not None and following.scheduled_at == NEXT_THURSDAY
    assert TouchbaseSeries.objects.get(pk=series.pk).next_starts_at == NEXT_THURSDAY
    assert item in action_items_carried(touchbase=following)
    # The one held is history already, though it has not started.
    assert [row.pk for row in touchbase_history(series=series, exclude=following)] == [current.pk]


def test_the_pages_point_to_the_next_meeting(world, current, clock, login):
    _hold_early(world, current, clock)
    client = login(world.hank)
    response = client.get(reverse("touchbases:job-current", args=[world.job.pk]))
    following = touchbase_current(series=current.series)
    assert response.url == reverse("touchbases:touchbase-detail", args=[following.pk])
    text = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "Thu 03 Dec" in text and "Held" in text
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "next <time" in profile and "Thu 03 Dec 14:00" in profile
    assert "Thu 26 Nov 14:00" not in profile


def test_the_worker_later_neither_chases_nor_doubles_the_meeting(world, series, current, clock):
    _hold_early(world, current, clock)
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=2))
    touchbases_advance()
    rows = Touchbase.objects.filter(series=series).order_by("scheduled_at")
    assert [(row.scheduled_at, row.status) for row in rows] == [
        (THURSDAY_14, TouchbaseStatus.HELD),
        (NEXT_THURSDAY, TouchbaseStatus.PLANNED),
    ]
    assert not Ask.objects.filter(kind="hold_touchbase").exists()
