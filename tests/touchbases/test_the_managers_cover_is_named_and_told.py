"""Whoever covers for the hiring manager is named on the meeting page and told of the items
they hold.

hank is out of office with olga as his delegate. The meeting page names olga as covering
("Rita Recruiter and Hank Manager (Olga Outsider covering)"), its notes' help is true for
her, and she is among the people an action item may be for. An item agreed for hank while
he is away is olga's to hold: the notice goes to her, saying for whom, not to hank; the
drop form says her reminders stop, and a drop tells her. A skip says who skipped.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.notify.models import Message
from closeloop.touchbases.selectors import action_item_owner_choices
from closeloop.touchbases.services import action_item_add, action_item_drop, touchbase_skip


def _page(login, user, touchbase):
    return login(user).get(reverse("touchbases:touchbase-detail", args=[touchbase.pk]))


def test_the_page_names_the_cover(world, current, hank_away, login):
    text = _page(login, world.rita, current).content.decode()
    assert "Hank Manager (Olga Outsider covering) · 30 min" in text
    text = _page(login, world.olga, current).content.decode()
    assert "Hank Manager (you are covering) · 30 min" in text
    assert "Both of you can edit them" not in text
    assert "whoever covers for the hiring manager" in text


def test_the_page_names_no_cover_when_none(world, current, login):
    text = _page(login, world.rita, current).content.decode()
    assert "covering)" not in text


def test_the_cover_may_own_an_item(world, current, hank_away):
    assert world.olga in action_item_owner_choices(job=world.job)


def test_an_item_for_the_absent_manager_is_told_to_his_cover(world, current, hank_away):
    item = action_item_add(
        touchbase=current,
        by=world.rita,
        description="Send panel the rubric",
        owner=world.hank,
        due_on=dt.date(2026, 11, 30),
    )
    assert not Message.objects.filter(recipient=world.hank, template="action-item-assigned")
    (notice,) = Message.objects.filter(recipient=world.olga, template="action-item-assigned")
    assert "for Hank Manager" in notice.subject
    assert "noted an action item for Hank Manager" in notice.body_text
    assert "covering for Hank Manager" in notice.body_text
    assert "You hold it, covering for Hank Manager (out of office until" in notice.body_text
    assert "it is in your queue" in notice.body_text
    assert notice.data["action_item"] == item.pk


def test_the_drop_form_says_the_covers_reminders_stop(world, current, hank_away, login):
    item = action_item_add(
        touchbase=current,
        by=world.rita,
        description="Send panel the rubric",
        owner=world.hank,
        due_on=dt.date(2026, 11, 30),
    )
    page = login(world.rita).get(reverse("touchbases:action-item", args=[item.pk]))
    text = page.content.decode()
    assert "Olga Outsider’s reminders (covering for Hank Manager" in text
    assert "Hank Manager’s reminders stop" not in text
    action_item_drop(item=item, by=world.rita, reason="No panel after all")
    assert Message.objects.filter(recipient=world.olga, template="action-item-dropped").exists()


def test_a_skip_says_who_skipped(world, current, hank_away):
    Message.objects.all().delete()
    touchbase_skip(touchbase=current, by=world.olga, reason="Hank travelling")
    to_rita = Message.objects.get(recipient=world.rita, template="touchbase-invite")
    assert "skipped by Olga Outsider" in to_rita.body_text
    assert "skipped by Olga Outsider" in to_rita.body_html


def test_the_cover_adding_an_item_for_the_manager_is_told_it_is_theirs(
    world, current, hank_away, login
):
    client = login(world.olga)
    url = reverse("touchbases:action-item-add", args=[current.pk])
    data = {"description": "Send panel the rubric", "owner": world.hank.pk, "due_on": "2026-11-30"}
    page = client.post(url, data, follow=True).content.decode()
    assert "Action item added for Hank Manager; it is in your queue now" in page
    assert "covering for Hank Manager" in page
