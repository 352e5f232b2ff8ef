"""Dropping an action item needs a reason, as a snooze does; the other side is told and the
next agenda lists it ("Dropped by Hank Manager: …") instead of "Nothing carried over"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.notify.models import Message
from closeloop.touchbases.models import ActionItemStatus
from closeloop.touchbases.selectors import agenda_for_page, touchbase_current
from closeloop.touchbases.services import action_item_add, action_item_drop, touchbases_advance

SATURDAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)  # past the meeting and its grace day


@pytest.fixture
def item(world, current):
    return action_item_add(
        touchbase=current,
        by=world.rita,
        description="Ask the team for referrals",
        owner=world.hank,
        due_on=dt.date(2026, 11, 25),
    )


def test_a_drop_without_a_reason_is_refused(world, item, login):
    with pytest.raises(ValidationError):
        action_item_drop(item=item, by=world.hank, reason="  ")
    page = reverse("touchbases:action-item-drop", args=[item.pk])
    response = login(world.hank).post(page, {"reason": ""}, follow=True)
    assert "Say why it is dropped" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


def test_the_other_side_is_told_and_the_next_agenda_says_why(world, series, item, clock, login):
    page = reverse("touchbases:action-item-drop", args=[item.pk])
    login(world.hank).post(page, {"reason": "The team is too small for referrals"})
    item.refresh_from_db()
    assert item.status == ActionItemStatus.CANCELLED
    told = Message.objects.get(template="action-item-dropped")
    assert told.recipient == world.rita
    assert "The team is too small for referrals" in told.body_text
    clock.move_to(SATURDAY)
    touchbases_advance()
    following = touchbase_current(series=series)
    assert following is not None and following.pk != item.touchbase_id

    def carried(reader):
        agenda = agenda_for_page(touchbase=following, viewer=reader)
        (section,) = [s for s in agenda["sections"] if s["key"] == "carried"]
        return [(line["text"], line["detail"]) for line in section["items"]]

    assert carried(world.rita) == [
        (
            "Ask the team for referrals",
            "Dropped by Hank Manager: The team is too small for referrals",
        )
    ]
    assert carried(world.hank)[0][1] == "Dropped by you: The team is too small for referrals"


@pytest.mark.parametrize(
    ("reason", "said"),
    [("Travel\x00", "Null characters are not allowed"), ("x" * 301, "at most 300 characters")],
)
def test_an_unusable_reason_is_refused_as_its_form_says(world, item, login, reason, said):
    """A reason the form refuses (a NUL byte, which PostgreSQL cannot store; too long) drops
    nothing and says why, instead of failing in the database."""
    page = reverse("touchbases:action-item-drop", args=[item.pk])
    response = login(world.hank).post(page, {"reason": reason}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The action item was not dropped." in body
    assert said in body
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN
