"""The service-level settings saved from a tab opened before another admin's save
(`followups:service-levels`): refused with what was saved meanwhile, never undoing it
(closeloop.lib.seen)."""

from __future__ import annotations

from django.urls import reverse

from closeloop.followups.models import ServiceLevel
from closeloop.followups.services import service_levels_update
from closeloop.lib.seen import SAVED_SINCE, SavedSince
from page_forms import changed, page_form

PAGE = reverse("followups:service-levels")


def amount(kind: str) -> float | None:
    level = ServiceLevel.objects.filter(kind=kind).first()
    return level.amount if level else None


def test_a_tab_opened_before_a_change_does_not_undo_it(world, login):
    """Tab A sets reviews to 1 business day; tab B, opened before, changes only the news
    cadence: B is refused, reviews stay at 1, and B's page now holds 1 beside its own 5."""
    client = login(world.ada)
    tab_a = page_form(client.get(PAGE).text)
    tab_b = page_form(client.get(PAGE).text)
    assert client.post(PAGE, changed(tab_a, **{"review_submission-amount": "1"})).status_code == 302

    refused = client.post(PAGE, changed(tab_b, **{"update_candidate-amount": "5"}))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Someone saved changes to the service levels since you opened the page:" in text
    assert "Saved since you opened the page:" in text
    assert "please correct what is marked below" not in text
    assert text.count("Someone saved changes") == 1  # said once
    assert amount("review_submission") == 1
    assert amount("update_candidate") is None  # not saved
    again = page_form(text)
    assert again["review_submission-amount"] == ["1"]  # B left it: the value now
    assert again["update_candidate-amount"] == ["5"]  # what B typed
    assert again["seen"] != tab_b["seen"]

    assert client.post(PAGE, again).status_code == 302
    assert (amount("review_submission"), amount("update_candidate")) == (1, 5)


def test_a_tab_opened_before_a_kind_was_turned_off_does_not_turn_it_on(world, login):
    client = login(world.ada)
    tab_a = page_form(client.get(PAGE).text)
    tab_b = page_form(client.get(PAGE).text)
    off = {name: values for name, values in tab_a.items() if name != "action_item-enabled"}
    assert client.post(PAGE, off).status_code == 302

    refused = client.post(PAGE, changed(tab_b, **{"review_submission-amount": "3"}))

    assert refused.status_code == 400
    assert ServiceLevel.objects.get(kind="action_item").enabled is False
    assert amount("review_submission") is None
    assert "action_item-enabled" not in page_form(refused.content.decode())  # off, as now


def test_the_service_refuses_with_its_code_and_changes_nothing(world):
    from closeloop.followups.policies import service_levels_in_force
    from closeloop.followups.services import service_levels_seen

    seen = service_levels_seen(service_levels_in_force())
    service_levels_update(by=world.ada, levels={"review_submission": (1, True)})
    try:
        service_levels_update(by=world.ada, levels={"review_submission": (2, True)}, seen=seen)
    except SavedSince as error:
        assert error.code == SAVED_SINCE and error.changed == ("review_submission-amount",)
    else:
        raise AssertionError("The stale save went through.")
    assert amount("review_submission") == 1
    # Kinds the save does not change are not checked.
    service_levels_update(by=world.ada, levels={"update_candidate": (5, True)}, seen=seen)
    assert amount("update_candidate") == 5
