"""An action item agreed for a Saturday is due at the end of its owner's Monday: its page
says Monday, and that Saturday was agreed, not "Due Saturday … (… · Mon 30 Nov 17:00)"."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.touchbases.services import action_item_add


def test_the_page_gives_the_working_day_it_became(world, current, login):
    item = action_item_add(
        touchbase=current,
        by=world.rita,
        description="Send the revised job ad",
        owner=world.hank,
        due_on=dt.date(2026, 11, 28),  # a Saturday
    )
    page = reverse("touchbases:action-item", args=[item.pk])
    text = login(world.rita).get(page).content.decode()
    assert "<dd>Monday 30 November 2026 " in text and "Saturday 28 November 2026" not in text
    assert "agreed for Saturday 28 November, a day Hank does not work" in text
    text = login(world.hank).get(page).content.decode()
    assert "agreed for Saturday 28 November, a day you do not work" in text
