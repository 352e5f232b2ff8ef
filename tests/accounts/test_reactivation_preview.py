"""Reactivating asks first, as deactivating does: GET /people/<pk>/reactivate/ shows what will
come back (each holder and how many asks they hold for the person, who is told), or that the
person is away now so whoever holds them keeps them, or that nothing comes back; it changes
nothing. The POST does it. Invitees and people already active are refused on the page."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from closeloop.accounts.models import Invitation, User
from closeloop.followups.models import Ask
from closeloop.notify.models import Message

DUE = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


def held_ask(holder, person, n):
    return Ask.objects.create(
        kind="review_submission", subject=f"submission:{n}", title=f"Review {n}",
        owner=holder, original_owner=person, due_at=DUE,
    )  # fmt: skip


def preview(client, person):
    response = client.get(reverse("people:reactivate", args=[person.pk]))
    return response, unescape(response.content.decode())


@pytest.fixture
def hank_gone(world):
    User.objects.filter(pk=world.hank.pk).update(is_active=False)
    world.hank.refresh_from_db()
    return world.hank


def test_the_page_names_each_holder_how_many_come_back_and_who_is_told(
    world, clock, login, hank_gone
):
    held_ask(world.olga, hank_gone, 1)
    held_ask(world.olga, hank_gone, 2)
    held_ask(world.rita, hank_gone, 3)
    User.objects.filter(pk=world.rita.pk).update(notify_channel="in_app")
    response, page = preview(login(world.ada), hank_gone)
    assert response.status_code == 200
    assert "Reactivate Hank Manager?" in page
    assert "2 asks Olga Outsider holds for them come back to Hank Manager" in page
    assert "1 ask Rita Recruiter holds for them comes back to Hank Manager" in page
    assert "Hank Manager is told by email, in one message listing the 3 asks" in page
    assert "Olga Outsider by email" in page
    assert "Rita Recruiter in their Closeloop Inbox" in page
    assert '<form method="post">' in page


def test_the_page_changes_nothing(world, clock, login, hank_gone):
    ask = held_ask(world.olga, hank_gone, 1)
    preview(login(world.ada), hank_gone)
    assert not User.objects.get(pk=hank_gone.pk).is_active
    ask.refresh_from_db()
    assert ask.owner_id == world.olga.pk and ask.original_owner_id == hank_gone.pk
    assert not Message.objects.filter(recipient__in=[world.olga, hank_gone]).exists()


def test_nothing_held_says_nothing_comes_back(world, clock, login, hank_gone):
    _response, page = preview(login(world.ada), hank_gone)
    assert "No asks are held for Hank Manager: nothing comes back, and nobody is told." in page


def test_away_now_the_holders_keep_them(world, clock, login, hank_gone):
    ask = held_ask(world.olga, hank_gone, 1)
    User.objects.filter(pk=hank_gone.pk).update(
        out_of_office_from=DUE - dt.timedelta(days=5), out_of_office_until=DUE
    )
    _response, page = preview(login(world.ada), hank_gone)
    assert "Hank Manager is out of office until" in page
    assert "the 1 ask held for them stays with Olga Outsider" in page
    assert "comes back" not in page
    # And so does the reactivation itself.
    login(world.ada).post(reverse("people:reactivate", args=[hank_gone.pk]))
    ask.refresh_from_db()
    assert ask.owner_id == world.olga.pk


def test_the_post_still_reactivates_and_hands_back(world, clock, login, hank_gone):
    ask = held_ask(world.olga, hank_gone, 1)
    client = login(world.ada)
    response = client.post(reverse("people:reactivate", args=[hank_gone.pk]), follow=True)
    page = unescape(response.content.decode())
    assert "Hank Manager is active again and can log in." in page
    assert "1 ask Olga Outsider held for them went back to Hank Manager" in page
    assert User.objects.get(pk=hank_gone.pk).is_active
    ask.refresh_from_db()
    assert ask.owner_id == hank_gone.pk


def test_the_list_links_to_the_page(world, clock, login, hank_gone):
    page = login(world.ada).get(reverse("people:list")).content.decode()
    url = reverse("people:reactivate", args=[hank_gone.pk])
    assert f'href="{url}"' in page
    assert f'action="{url}"' not in page


def test_an_active_person_and_an_invitee_are_refused_on_the_page(world, clock, login):
    client = login(world.ada)
    _response, page = preview(client, world.hank)
    assert "Hank Manager is active already." in page
    assert '<form method="post">' not in page
    invited = User.objects.create_user("ina@example.com", None, full_name="Ina", is_active=False)
    Invitation.objects.create(
        email=invited.email, full_name="Ina", user=invited, is_interviewer=True,
        token_hash="0" * 64, expires_at=DUE,
    )  # fmt: skip
    _response, page = preview(client, invited)
    assert "Ina has not accepted their invitation yet" in page
    assert '<form method="post">' not in page
    response = client.post(reverse("people:reactivate", args=[invited.pk]), follow=True)
    assert "Ina has not accepted their invitation yet" in unescape(response.content.decode())
    assert not User.objects.get(pk=invited.pk).is_active


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_non_admins_get_404(world, clock, login, persona):
    gone = User.objects.create_user("gone@example.com", "x", full_name="Gone", is_active=False)
    client = login(getattr(world, persona))
    assert client.get(reverse("people:reactivate", args=[gone.pk])).status_code == 404
    assert client.post(reverse("people:reactivate", args=[gone.pk])).status_code == 404
    assert not User.objects.get(pk=gone.pk).is_active
