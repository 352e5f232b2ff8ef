"""Editing an action item: the form says "(optional)" of no field (an empty one is refused),
the confirmation names only what changed ("Nothing changed." for a save that changes
nothing, which writes nothing), and a hand-over is told as one to both owners.

rita agrees an item for ivy on Mon 23 Nov, due Fri 27 Nov.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.touchbases.models import ActionItem
from closeloop.touchbases.services import action_item_add

FRIDAY = dt.date(2026, 11, 27)


@pytest.fixture
def item(world, current):
    return action_item_add(
        touchbase=current, by=world.rita, description="Share the salary benchmark",
        owner=world.ivy, due_on=FRIDAY,
    )  # fmt: skip


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _edit(client, item, **changes):
    data = {"description": item.description, "owner": item.owner_id, "due_on": "2026-11-27"}
    data.update(changes)
    url = reverse("touchbases:action-item-edit", args=[item.pk])
    return client.post(url, data, follow=True)


def test_the_edit_form_calls_no_field_optional(world, item, login):
    page = login(world.rita).get(reverse("touchbases:action-item", args=[item.pk]))
    form = page.content.decode().split("Edit it</summary>")[1].split("</form>")[0]
    assert "What needs doing" in form and "Due on" in form
    assert "(optional)" not in form


def test_an_empty_field_is_still_refused(world, item, login):
    response = _edit(login(world.rita), item, description="  ")
    assert "Say what needs doing." in _text(response)
    assert ActionItem.objects.get(pk=item.pk).description == "Share the salary benchmark"


def test_the_confirmation_names_only_what_changed(world, item, login):
    text = _text(_edit(login(world.rita), item, due_on="2026-12-02"))
    assert "Changed the due date to Wed 02 Dec." in text
    assert "Share the salary benchmark," not in text and "Ivy Interviewer," not in text
    text = _text(
        _edit(login(world.rita), item, description="Share the pay benchmark", due_on="2026-12-02")
    )
    assert "Changed what needs doing to “Share the pay benchmark”." in text


def test_a_save_that_changes_nothing_says_so_and_writes_nothing(world, item, login):
    ask = Ask.objects.get(kind="action_item", subject=item.subject, status=AskStatus.OPEN)
    messages_before = Message.objects.count()
    text = _text(_edit(login(world.rita), item, description=" Share the  salary benchmark"))
    assert "Nothing changed." in text and "Changed" not in text
    assert not Activity.objects.filter(kind="closeloop.touchbase.action_item_edited").exists()
    assert Message.objects.count() == messages_before
    assert Ask.objects.get(pk=ask.pk).status == AskStatus.OPEN


def test_a_hand_over_is_told_to_the_new_owner_as_one_and_to_the_previous_one(world, item, login):
    text = _text(_edit(login(world.rita), item, owner=world.hank.pk))
    assert "Changed the owner to Hank Manager." in text
    new = Message.objects.get(recipient=world.hank, data__action_item=item.pk)
    assert "Rita Recruiter handed you an action item (it was Ivy Interviewer's)" in new.body_text
    assert "noted an action item" not in new.body_text
    old = Message.objects.get(recipient=world.ivy, template="action-item-handed-over")
    assert old.subject == "No longer yours: Share the salary benchmark (Backend Engineer)"
    assert "Rita Recruiter handed it to Hank Manager" in old.body_text
    assert "no longer yours" in old.body_text


def test_whoever_hands_their_own_item_over_is_not_told_of_it(world, item, login):
    _edit(login(world.ivy), item, owner=world.hank.pk)
    assert not Message.objects.filter(template="action-item-handed-over").exists()
    new = Message.objects.get(recipient=world.hank, data__action_item=item.pk)
    assert "Ivy Interviewer handed you an action item (it was theirs)" in new.body_text
