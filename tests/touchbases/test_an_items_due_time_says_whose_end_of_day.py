"""An action item's page says whose end of the working day it is due at, in their zone.

hank works in Berlin; rita reads in London. An item agreed for Saturday 28 Nov is due at the
end of hank's Monday, 17:00 Berlin: rita's page says so, with her own clock beside it, and
not a bare "16:00" that reads as her end of day; hank's page reads his own clock.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from closeloop.touchbases.services import action_item_add


@pytest.fixture
def item(world, current):
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    return action_item_add(
        touchbase=current,
        by=world.rita,
        description="Send the revised job ad",
        owner=world.hank,
        due_on=dt.date(2026, 11, 28),  # a Saturday
    )


def _due_line(client, item) -> str:
    text = client.get(reverse("touchbases:action-item", args=[item.pk])).content.decode()
    line = re.search(r"<dt>Due</dt><dd>(.*?)</dd>", text, re.S).group(1)
    words = re.sub(r"<[^>]+>", "", line).strip()
    assert " ;" not in words and "  " not in words
    return words


def test_another_reader_is_told_whose_end_of_day_and_in_which_zone(world, item, login):
    line = _due_line(login(world.rita), item)
    assert line == (
        "Monday 30 November 2026 (the end of Hank's working day · Mon 30 Nov 17:00 "
        "(Europe/Berlin), your time Mon 30 Nov 16:00; agreed for Saturday 28 November, "
        "a day Hank does not work)"
    )


def test_the_owner_reads_their_own_clock(world, item, login):
    line = _due_line(login(world.hank), item)
    assert line == (
        "Monday 30 November 2026 (the end of your working day · Mon 30 Nov 17:00; "
        "agreed for Saturday 28 November, a day you do not work)"
    )
