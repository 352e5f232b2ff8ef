"""Whoever covers for the hiring manager takes their part in the touch-base.

While hank is out of office with olga as his delegate, the agenda says items wait "for you,
covering for Hank Manager": olga, off the job's team otherwise, opens the meeting and may
write notes, add and drop action items, mark it held or skip it. So may whoever holds
hank's asks on the job (a successor after he left). Once he is back, olga is an outsider
again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.followups.services import ask_open
from closeloop.touchbases.models import TouchbaseStatus
from closeloop.touchbases.selectors import touchbase_can_edit, touchbase_can_view
from closeloop.touchbases.services import touchbase_hold, touchbase_notes_save

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)


def test_the_delegate_runs_the_meeting_while_the_manager_is_away(
    world, current, hank_away, clock, login
):
    assert touchbase_can_view(user=world.olga, job=world.job)
    assert touchbase_can_edit(user=world.olga, job=world.job)
    touchbase_notes_save(touchbase=current, by=world.olga, notes="Olga for Hank")
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=20))
    page = login(world.olga).get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mark held" in text and "Add action item" in text
    held = touchbase_hold(touchbase=current, by=world.olga)
    assert held.status == TouchbaseStatus.HELD


def test_the_delegate_is_an_outsider_once_the_manager_is_back(world, current, hank_away, clock):
    clock.move_to(hank_away.out_of_office_until + dt.timedelta(hours=1))
    assert not touchbase_can_edit(user=world.olga, job=world.job)
    with pytest.raises(PermissionDenied):
        touchbase_notes_save(touchbase=current, by=world.olga, notes="x")


def test_whoever_holds_the_managers_asks_on_the_job_runs_it(world, current):
    assert not touchbase_can_edit(user=world.ivy, job=world.job)
    ask = ask_open(
        kind="action_item", subject="test:1", title="Send the ad", owner=world.ivy, job=world.job
    )
    Ask.objects.filter(pk=ask.pk).update(original_owner=world.hank)
    assert touchbase_can_view(user=world.ivy, job=world.job)
    assert touchbase_can_edit(user=world.ivy, job=world.job)
