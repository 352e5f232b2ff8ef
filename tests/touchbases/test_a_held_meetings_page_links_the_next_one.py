"""A meeting's page lists the next one among its other meetings.

The fixtures' series meets on Thursdays 14:00 London. rita marks Thu 26 Nov held at 03:00
that morning: the next meeting (Thu 03 Dec) is made at once, and the held meeting's page
links it under "Other meetings", marked as the next one, as well as the past ones.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.touchbases.selectors import touchbase_current, touchbase_history
from closeloop.touchbases.services import touchbase_hold

EARLY = dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC)


def test_the_held_meetings_history_lists_the_next_meeting(world, series, current, clock):
    clock.move_to(EARLY)
    touchbase_hold(touchbase=current, by=world.rita)
    following = touchbase_current(series=series)
    assert following is not None and following.pk != current.pk
    assert [row.pk for row in touchbase_history(series=series, exclude=current)] == [following.pk]


def test_the_held_meetings_page_links_the_next_one(world, series, current, clock, login):
    clock.move_to(EARLY)
    touchbase_hold(touchbase=current, by=world.rita)
    following = touchbase_current(series=series)
    page = login(world.rita).get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    others = page.content.decode().split('id="history-heading"')[1]
    link = reverse("touchbases:touchbase-detail", args=[following.pk])
    assert f'href="{link}"' in others
    assert "Next" in others.split(link)[1].split("</li>")[0]
