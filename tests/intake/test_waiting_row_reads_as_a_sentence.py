"""The version page's "Waiting" row reads as a phrase for every reader: "Waiting for Hank
Manager (hiring manager)", "Waiting for you (hiring manager)", and, when someone covers the
signature, "Waiting for you, covering for Hank Manager (hiring manager, deactivated)": one
bracket, never "Waiting you" or brackets stacked one after the other."""

from __future__ import annotations

import re
from html import unescape

from django.urls import reverse

from closeloop.accounts.people import user_deactivate


def waiting_rows(client, version) -> list[str]:
    page = client.get(reverse("intake:version", args=[version.job_id, version.number])).text
    rows = re.findall(r'<span class="badge warn">Waiting</span>(.*?)</li>', page, re.S)
    return [" ".join(unescape(row).split()) for row in rows]


def test_the_side_itself_and_others_read_waiting_for(world, proposed, login):
    assert waiting_rows(login(world.rita), proposed) == ["for Hank Manager (hiring manager)"]
    assert waiting_rows(login(world.hank), proposed) == ["for you (hiring manager)"]


def test_a_cover_reads_as_one_phrase_with_one_bracket(world, proposed, login):
    world.hank.manager = world.olga
    world.hank.save(update_fields=["manager"])
    user_deactivate(user=world.hank, by=world.ada)
    covering = "covering for Hank Manager (hiring manager, deactivated)"
    assert waiting_rows(login(world.olga), proposed) == [f"for you, {covering}"]
    assert waiting_rows(login(world.rita), proposed) == [f"for Olga Outsider, {covering}"]
