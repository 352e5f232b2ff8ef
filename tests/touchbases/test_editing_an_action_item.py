"""An action item can be edited after it was agreed: what, who and when.

Its owner (or whoever holds it for them) and the job's recruiter and hiring manager may edit
it, while it is open. A field left out stays as it was; bad input is refused with a message
and changes nothing, the item and its ask alike. A new owner or date moves the ask (the new
owner's queue, the new due time) and a new owner hears of it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from closeloop.accounts.services import PROFILE_FIELDS, user_update_profile
from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.touchbases.models import ActionItem
from closeloop.touchbases.services import action_item_add, action_item_done, action_item_edit

FRIDAY = dt.date(2026, 11, 27)
NEXT_WEDNESDAY = dt.date(2026, 12, 2)


@pytest.fixture
def item(world, current):
    return action_item_add(
        touchbase=current, by=world.rita, description="Share the salary benchmark",
        owner=world.ivy, due_on=FRIDAY,
    )  # fmt: skip


def _open_ask(item) -> Ask:
    return Ask.objects.get(kind="action_item", subject=item.subject, status=AskStatus.OPEN)


def _state(item):
    item = ActionItem.objects.get(pk=item.pk)
    ask = _open_ask(item)
    return (item.description, item.owner_id, item.due_on, item.due_at, ask.pk, ask.title)


def test_editing_the_description_leaves_who_and_when_and_renames_its_ask(world, item):
    before = _open_ask(item)
    edited = action_item_edit(item=item, by=world.hank, description="Share the pay benchmark")
    assert edited.description == "Share the pay benchmark"
    assert (edited.owner_id, edited.due_on, edited.due_at) == (world.ivy.pk, FRIDAY, item.due_at)
    ask = _open_ask(item)
    assert ask.pk == before.pk and ask.due_at == before.due_at  # the same ask, its clock kept
    assert ask.title == "Share the pay benchmark (Backend Engineer)"


def test_a_new_owner_gets_its_ask_and_hears_of_it(world, item):
    edited = action_item_edit(item=item, by=world.rita, owner=world.hank)
    assert edited.owner_id == world.hank.pk
    assert (edited.description, edited.due_on) == ("Share the salary benchmark", FRIDAY)
    assert _open_ask(item).owner_id == world.hank.pk
    told = Message.objects.filter(recipient=world.hank, data__action_item=item.pk)
    assert told.exists()


def test_a_new_date_moves_its_due_time(world, item):
    edited = action_item_edit(item=item, by=world.ivy, due_on=NEXT_WEDNESDAY)
    assert edited.due_on == NEXT_WEDNESDAY and edited.due_at > item.due_at
    assert edited.due_at.date() == NEXT_WEDNESDAY
    ask = _open_ask(item)
    assert ask.due_at == edited.due_at and ask.owner_id == world.ivy.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "   "}, "description"),
        ({"description": "x" * 301}, "description"),
        ({"due_on": dt.date(2026, 11, 20)}, "due_on"),
        ({"owner": "olga"}, "owner"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, item, change, field):
    if change.get("owner") == "olga":
        change = {"owner": world.olga}
    before = _state(item)
    with pytest.raises(ValidationError) as refused:
        action_item_edit(item=item, by=world.rita, **change)
    assert field in refused.value.message_dict
    assert _state(item) == before


@pytest.mark.parametrize("persona", ["olga", "ada"])
def test_only_the_owner_and_the_two_sides_may_edit(world, item, persona):
    before = _state(item)
    with pytest.raises(PermissionDenied):
        action_item_edit(item=item, by=getattr(world, persona), description="Something else")
    assert _state(item) == before


def test_a_closed_item_is_not_edited(world, item):
    action_item_done(item=item, by=world.ivy)
    with pytest.raises(ValidationError):
        action_item_edit(item=item, by=world.rita, description="Something else")
    assert ActionItem.objects.get(pk=item.pk).description == "Share the salary benchmark"


def test_the_page_edits_one_field_and_leaves_the_others(world, item, login):
    client = login(world.ivy)
    page = client.get(reverse("touchbases:action-item", args=[item.pk])).content.decode()
    url = reverse("touchbases:action-item-edit", args=[item.pk])
    assert f'action="{url}"' in page
    response = client.post(url, {"due_on": "2026-12-02"})
    assert response.status_code == 302
    edited = ActionItem.objects.get(pk=item.pk)
    assert edited.due_on == NEXT_WEDNESDAY
    assert (edited.description, edited.owner_id) == ("Share the salary benchmark", world.ivy.pk)


def test_the_page_refuses_bad_input_with_a_message_and_changes_nothing(world, item, login):
    before = _state(item)
    url = reverse("touchbases:action-item-edit", args=[item.pk])
    response = login(world.rita).post(
        url, {"description": "Share it", "due_on": "2026-11-20"}, follow=True
    )
    text = response.content.decode()
    assert "The action item was not changed." in text
    assert "The due date is in the past." in text
    assert _state(item) == before


def test_someone_who_may_not_edit_gets_no_form(world, item, login):
    page = login(world.ada).get(reverse("touchbases:action-item", args=[item.pk])).content
    assert b"Edit it" not in page
    url = reverse("touchbases:action-item-edit", args=[item.pk])
    assert login(world.ada).post(url, {"description": "x"}).status_code == 403


def test_an_overdue_item_is_renamed_or_handed_over_from_its_page(world, item, login, time_machine):
    """Its page sends the date with every change: the date it already has is not checked
    again, so an item past its date can still be renamed or handed over."""
    time_machine.move_to(
        dt.datetime.combine(FRIDAY, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(days=3)
    )
    url = reverse("touchbases:action-item-edit", args=[item.pk])
    data = {"description": "Share the 2027 benchmark", "owner": str(world.hank.pk),
            "due_on": FRIDAY.isoformat()}  # fmt: skip
    assert login(world.rita).post(url, data).status_code == 302
    edited = ActionItem.objects.get(pk=item.pk)
    assert (edited.description, edited.owner_id, edited.due_on) == (
        "Share the 2027 benchmark", world.hank.pk, FRIDAY,
    )  # fmt: skip


def test_the_owners_new_working_hours_move_the_item_and_its_ask_to_the_end_of_that_day(world, item):
    ivy = world.ivy
    data = {name: getattr(ivy, name) for name in PROFILE_FIELDS}
    user_update_profile(user=ivy, by=ivy, data={**data, "work_end": dt.time(13, 0)})
    item.refresh_from_db()
    local = item.due_at.astimezone(ivy.zone)
    assert (local.date(), local.time()) == (FRIDAY, dt.time(13, 0))
    assert _open_ask(item).due_at == item.due_at
