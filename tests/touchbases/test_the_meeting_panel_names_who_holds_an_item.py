"""While hank is away with olga covering, the meeting page's "Action items from this meeting"
names whoever holds each item, as the agenda does: "Olga Outsider, covering for Hank
Manager (…)", read as "you" by each one it names; the holders are read in one query."""

from __future__ import annotations

import datetime as dt
import html

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.touchbases.services import action_item_add

AWAY_FROM = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
BACK_ON = dt.datetime(2026, 12, 11, 0, 0, tzinfo=dt.UTC)  # a Friday
DURING = dt.datetime(2026, 11, 26, 14, 10, tzinfo=dt.UTC)  # the series' first meeting
WHY = "(out of office until Fri 11 Dec)"


def _away(world) -> None:
    world.hank.out_of_office_from, world.hank.out_of_office_until = AWAY_FROM, BACK_ON
    world.hank.delegate = world.olga
    world.hank.save()


def _add(world, touchbase, text: str, owner) -> None:
    action_item_add(
        touchbase=touchbase, by=world.rita, description=text, owner=owner,
        due_on=dt.date(2026, 11, 30),
    )  # fmt: skip


def _panel(client, touchbase) -> str:
    page = client.get(reverse("touchbases:touchbase-detail", args=[touchbase.pk]))
    body = " ".join(html.unescape(page.content.decode()).split())
    return body.split("Action items from this meeting", 1)[1].split("</section>", 1)[0]


def test_an_item_the_delegate_holds_names_her_covering_for_its_owner(world, current, clock, login):
    clock.move_to(DURING)
    _away(world)
    _add(world, current, "Share the salary bands", world.hank)
    _add(world, current, "Send the referral list", world.rita)

    ritas, hanks = _panel(login(world.rita), current), _panel(login(world.hank), current)

    assert f"Olga Outsider, covering for Hank Manager {WHY} · due" in ritas
    assert "You · due" in ritas
    assert f"Olga Outsider, covering for you {WHY} · due" in hanks
    assert "Rita Recruiter · due" in hanks


def test_the_page_reads_the_holders_in_one_query_however_many_items(world, current, clock, login):
    clock.move_to(DURING)
    _away(world)
    _add(world, current, "Share the salary bands", world.hank)
    client = login(world.rita)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert "covering for" in _panel(client, current)
        return len(queries)

    before = count()
    for text in ("Book the offsite", "Draft the ad", "Call the agency"):
        _add(world, current, text, world.hank)
    assert count() == before
