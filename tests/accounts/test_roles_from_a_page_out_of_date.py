"""A person's roles saved from a tab opened before another admin's save (`people:roles`):
refused with what was saved meanwhile, never undoing it (closeloop.lib.seen)."""

from __future__ import annotations

from django.urls import reverse

from closeloop.accounts.people import user_roles_update
from closeloop.lib.seen import SAVED_SINCE, SavedSince
from page_forms import changed, page_form


def test_a_tab_opened_before_a_role_was_given_does_not_take_it_back(world, login):
    """Tab A makes Ivy a recruiter; tab B, opened before, ticks only "Sees every job": B is
    refused, Ivy stays a recruiter, and B's page now has Recruiter ticked beside its own
    tick."""
    client = login(world.ada)
    url = reverse("people:roles", args=[world.ivy.pk])
    tab_a = page_form(client.get(url).text)
    tab_b = page_form(client.get(url).text)
    assert "is_recruiter" not in tab_b
    assert client.post(url, changed(tab_a, is_recruiter="on")).status_code == 302

    refused = client.post(url, changed(tab_b, sees_all_jobs="on"))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert (
        "Someone saved changes to Ivy Interviewer&#x27;s roles since you opened the page:" in text
    )
    assert "Saved since you opened the page:" in text
    assert text.count("Someone saved changes") == 1  # said once
    world.ivy.refresh_from_db()
    assert (world.ivy.is_recruiter, world.ivy.sees_all_jobs) == (True, False)
    again = page_form(text)
    assert again["is_recruiter"] == ["on"]  # B left it: the value now
    assert again["sees_all_jobs"] == ["on"]  # what B ticked
    assert again["seen"] != tab_b["seen"]

    assert client.post(url, again).status_code == 302
    world.ivy.refresh_from_db()
    assert (world.ivy.is_recruiter, world.ivy.sees_all_jobs) == (True, True)


def test_the_service_refuses_with_its_code_and_changes_nothing(world):
    from closeloop.accounts.people import user_roles_seen

    seen = user_roles_seen(world.ivy)
    user_roles_update(
        user=world.ivy, by=world.ada, roles={"is_interviewer": True, "is_recruiter": True}
    )
    try:
        user_roles_update(user=world.ivy, by=world.ada, roles={"is_interviewer": True}, seen=seen)
    except SavedSince as error:
        assert error.code == SAVED_SINCE and error.changed == ("is_recruiter",)
    else:
        raise AssertionError("The stale save went through.")
    world.ivy.refresh_from_db()
    assert world.ivy.is_recruiter
