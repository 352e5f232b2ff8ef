"""Ada deactivates Hank (his asks go to Olga, his manager, who holds them for him), then
reactivates him: the asks go back to Hank, Ada's message says how many and from whom, Olga
and Hank are each told through the outbox, and Olga's withdrawn links say Hank holds them."""

from __future__ import annotations

import datetime as dt
from html import unescape

from django.test import Client
from django.urls import reverse

from closeloop.followups.links import token_hash
from closeloop.followups.models import ActionLink, Ask, AskStatus
from closeloop.notify.models import Message

DUE = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


def _asks_for_hank(world):
    asks = [
        Ask.objects.create(
            kind="review_submission",
            subject=f"submission:{n}",
            title=f"Review {name}",
            owner=world.hank,
            job=world.job,
            application=application,
            due_at=DUE,
        )
        for n, (name, application) in enumerate(
            [("Carla", world.interviewed), ("Sam", world.sourced)], start=1
        )
    ]
    world.hank.manager = world.olga
    world.hank.save(update_fields=["manager"])
    return asks


def _deactivate_and_reactivate(world, login):
    asks = _asks_for_hank(world)
    client = login(world.ada)
    client.post(reverse("people:deactivate", args=[world.hank.pk]))
    assert Ask.objects.filter(owner=world.olga, original_owner=world.hank).count() == 2
    # Olga's one-click link to the first ask, as her takeover email carries it.
    ActionLink.objects.create(
        token_hash=token_hash("olga-link"), group="olga-link", recipient=world.olga,
        ask=asks[0], application=world.interviewed, action="advance", expires_at=DUE,
    )  # fmt: skip
    response = client.post(reverse("people:reactivate", args=[world.hank.pk]), follow=True)
    return asks, unescape(response.content.decode())


def test_the_admin_hears_how_many_asks_went_back(world, clock, login):
    asks, page = _deactivate_and_reactivate(world, login)
    assert "Hank Manager is active again and can log in." in page
    assert "2 asks Olga Outsider held for them went back to Hank Manager" in page
    assert set(Ask.objects.filter(status=AskStatus.OPEN, owner=world.hank)) == set(asks)


def test_the_one_who_held_them_and_the_one_back_are_told(world, clock, login):
    _deactivate_and_reactivate(world, login)
    olga = Message.objects.get(template="asks-handed-back", recipient=world.olga)
    assert "2 asks you held for Hank Manager went back to them" in olga.subject
    assert "Review Carla" in olga.body_text and "Review Sam" in olga.body_text
    assert "nothing is owed from you" in olga.body_text
    hank = Message.objects.get(template="asks-handed-over", recipient=world.hank)
    assert "2 asks came back to you" in hank.subject
    assert "the asks Olga Outsider held for you while it was off are yours again" in hank.body_text
    assert "Review Carla" in hank.body_text


def test_the_withdrawn_link_names_who_holds_the_request_now(world, clock, login):
    _deactivate_and_reactivate(world, login)
    page = unescape(Client().get(reverse("followups:act", args=["olga-link"])).content.decode())
    assert "This request went back to Hank Manager, for whom you held it" in page
    assert "passed to someone else" not in page
