"""Notes, held and skipped: who may, and what bad input gets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.activity.models import Activity
from closeloop.touchbases.models import TouchbaseStatus
from closeloop.touchbases.services import (
    NOTES_MAX,
    touchbase_hold,
    touchbase_notes_save,
    touchbase_skip,
)

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)


def test_both_sides_edit_the_notes(world, current):
    touchbase_notes_save(touchbase=current, by=world.hank, notes="  Wants more SRE profiles \r\n")
    current.refresh_from_db()
    assert current.notes == "Wants more SRE profiles"
    assert current.notes_updated_at is not None


@pytest.mark.parametrize("persona", ["ivy", "olga"])
def test_others_cannot_edit_the_notes(world, current, persona):
    with pytest.raises(PermissionDenied):
        touchbase_notes_save(touchbase=current, by=getattr(world, persona), notes="x")


def test_notes_have_a_limit(world, current):
    with pytest.raises(ValidationError):
        touchbase_notes_save(touchbase=current, by=world.rita, notes="x" * (NOTES_MAX + 1))


def test_a_meeting_far_in_the_future_cannot_be_marked_held(world, current):
    with pytest.raises(ValidationError):
        touchbase_hold(touchbase=current, by=world.rita)  # Monday; the meeting is Thursday


def test_held_records_who_when_and_the_agenda(world, current, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=25))
    held = touchbase_hold(touchbase=current, by=world.hank)
    assert held.status == TouchbaseStatus.HELD and held.held_by == world.hank
    assert held.agenda["sections"] and held.agenda["generated_at"].startswith("2026-11-26T14:25")
    assert Activity.objects.filter(kind="closeloop.touchbase.held").exists()
    with pytest.raises(ValidationError):
        touchbase_hold(touchbase=current, by=world.rita)
    with pytest.raises(ValidationError):
        touchbase_skip(touchbase=current, by=world.rita, reason="late")


def test_skipping_needs_a_reason(world, current):
    with pytest.raises(ValidationError):
        touchbase_skip(touchbase=current, by=world.rita, reason="   ")
    skipped = touchbase_skip(touchbase=current, by=world.rita, reason="Hank on leave")
    assert skipped.status == TouchbaseStatus.SKIPPED and skipped.skip_reason == "Hank on leave"
