"""One-click answers come from a registry: the app that owns an ask kind registers its
buttons and their handlers; the engine checks the link, shows the confirmation page, spends
the link and calls the handler. A kind nobody registered gets no buttons, and an old link of
such a kind acts on nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from closeloop.followups.models import ActionLink, Ask
from closeloop.followups.one_click import _REGISTRY as REGISTRY
from closeloop.followups.one_click import (
    SNOOZE,
    OneClick,
    OneClickAction,
    one_click_for,
    one_click_links,
    one_click_register,
)
from closeloop.lib.sealed import unseal_text

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


class NoteForm(forms.Form):
    note = forms.CharField(max_length=100)


@pytest.fixture
def performed():
    """A kind of ask registered the way a feature app would, with one 'Confirm' button."""
    done: list[tuple[int, dict]] = []
    one_click_register(
        OneClick(
            kind="confirm_thing",
            actions=(
                OneClickAction(
                    "confirm", "Confirm it", NoteForm, lambda li, data: done.append((li.pk, data))
                ),
                SNOOZE,
            ),
            may_act=lambda recipient, ask: recipient.pk == ask.owner_id,
        )
    )
    yield done
    REGISTRY.pop("confirm_thing")


def _ask(world, kind: str) -> Ask:
    return Ask.objects.create(
        kind=kind,
        subject=f"{kind}:1",
        title="Confirm the thing",
        owner=world.hank,
        job=world.job,
        application=world.sourced,
        due_at=NOW + dt.timedelta(days=2),
    )


def _path(url: str, recipient) -> str:
    """The link's path as its email to `recipient` carries it: the token opened from its seal."""
    return unseal_text(url, audience=recipient.pk, unusable="dead").split("127.0.0.1:8000", 1)[1]


def test_the_pipeline_registers_the_review_buttons():
    review = one_click_for("review_submission")
    assert [action.action for action in review.actions] == ["advance", "pass", "question", "snooze"]


def test_a_registered_kind_gets_its_buttons_and_the_engine_calls_its_handler(
    client, world, clock, performed
):
    ask = _ask(world, "confirm_thing")
    issued = one_click_links(ask=ask, recipient=world.hank, now=NOW)
    assert [link.label for link in issued] == ["Confirm it", "Snooze 1 business day"]
    confirm = _path(issued[0].url, world.hank)

    page = client.get(confirm)
    assert page.status_code == 200 and b"Confirm it: Confirm the thing?" in page.content
    assert performed == []

    done = client.post(confirm, {"note": "all good"})
    assert done.status_code == 200 and b"Done, thank you" in done.content
    link = ActionLink.objects.get(action="confirm")
    assert performed == [(link.pk, {"note": "all good"})]
    assert link.used_at is not None
    assert ActionLink.objects.get(action="snooze").revoked_at is not None

    again = client.post(confirm, {"note": "twice"})
    assert again.status_code == 410 and b"You chose <strong>Confirm it</strong>" in again.content
    assert len(performed) == 1


def test_someone_the_owning_app_refuses_gets_no_buttons(world, clock, performed):
    ask = _ask(world, "confirm_thing")
    assert one_click_links(ask=ask, recipient=world.rita, now=NOW) == []


def test_a_kind_without_one_click_answers_gets_no_buttons(world, clock):
    assert one_click_links(ask=_ask(world, "plain_thing"), recipient=world.hank, now=NOW) == []


def test_a_link_whose_kind_is_no_longer_registered_acts_on_nothing(client, world, clock, performed):
    issued = one_click_links(ask=_ask(world, "confirm_thing"), recipient=world.hank, now=NOW)
    REGISTRY.pop("confirm_thing")
    response = client.post(_path(issued[0].url, world.hank), {"note": "late"})
    assert response.status_code == 410 and b"This link cannot be used" in response.content
    assert performed == []
    assert ActionLink.objects.filter(used_at__isnull=False).count() == 0
    REGISTRY["confirm_thing"] = one_click_for("review_submission")  # the fixture pops it


def test_the_pages_word_the_title_for_whoever_reads_them(client, world, clock, performed, login):
    """Rita asked Hank for the thing; his link, opened while she is signed in, speaks of
    "your thing" to her, and of Rita's to Hank."""
    ask = _ask(world, "confirm_thing")
    Ask.objects.filter(pk=ask.pk).update(title="Confirm Rita's thing", requested_by=world.rita)
    issued = one_click_links(ask=Ask.objects.get(pk=ask.pk), recipient=world.hank, now=NOW)
    confirm = _path(issued[0].url, world.hank)

    assert "Confirm it: Confirm Rita&#x27;s thing?" in client.get(confirm).content.decode()
    rita_reads = login(world.rita).get(confirm).content.decode()
    assert "Confirm it: Confirm your thing?" in rita_reads
    done = client.post(confirm, {"note": "all good"}).content.decode()
    assert "Confirm it: Confirm your thing." in done
