"""The stage editor saved from a tab opened before someone else's save (`jobs:stage-edit`,
`jobs:stage-move`): refused with what was saved meanwhile, never undoing it
(closeloop.lib.seen)."""

from __future__ import annotations

from django.urls import reverse

from closeloop.jobs.models import MoveOwner
from closeloop.jobs.services import stage_update
from closeloop.lib.seen import SAVED_SINCE, SavedSince
from page_forms import changed, page_form


def stages_url(job) -> str:
    return reverse("jobs:job-stages", kwargs={"pk": job.pk})


def action(name: str, stage) -> str:
    return reverse(f"jobs:stage-{name}", kwargs={"pk": stage.pk})


def names(job) -> list[str]:
    return list(job.stages.order_by("position").values_list("name", flat=True))


def test_a_tab_opened_before_a_rename_does_not_undo_it(world, login):
    """Tab A renames Offer; tab B, opened before, changes only whose move it is: B is refused,
    the name stays, and B's row now holds the new name beside its own choice."""
    client = login(world.rita)
    offer = world.job.stages.get(name="Offer")
    url, prefix = action("edit", offer), f"stage-{offer.pk}-"
    tab_a = page_form(client.get(stages_url(world.job)).text, url)
    tab_b = page_form(client.get(stages_url(world.job)).text, url)
    assert client.post(url, changed(tab_a, **{f"{prefix}name": "Offer made"})).status_code == 302

    refused = client.post(url, changed(tab_b, **{f"{prefix}move_owner": MoveOwner.HIRING_MANAGER}))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Someone saved changes to the stage Offer made since you opened the page: name." in text
    assert "Saved since you opened the page:" in text
    assert text.count("Someone saved changes") == 1  # said once
    offer.refresh_from_db()
    assert (offer.name, offer.move_owner) == ("Offer made", MoveOwner.RECRUITER)
    again = page_form(text, url)
    assert again[f"{prefix}name"] == ["Offer made"]  # B left it: the value now
    assert again[f"{prefix}move_owner"] == [MoveOwner.HIRING_MANAGER]  # what B typed
    assert again[f"{prefix}seen"] != tab_b[f"{prefix}seen"]

    assert client.post(url, again).status_code == 302
    offer.refresh_from_db()
    assert (offer.name, offer.move_owner) == ("Offer made", MoveOwner.HIRING_MANAGER)


def test_a_tab_opened_before_a_reorder_does_not_move_the_stage_again(world, login):
    """Tab A moves Offer up (above Debrief); tab B, opened before, presses the same Up: B is
    refused rather than moving Offer above Interviewing, and the page shows the order now."""
    client = login(world.rita)
    offer = world.job.stages.get(name="Offer")
    url = action("move", offer)
    tab_a = page_form(client.get(stages_url(world.job)).text, url)
    tab_b = page_form(client.get(stages_url(world.job)).text, url)
    assert tab_a["direction"] == ["up"]  # the first form that posts there: Up
    assert client.post(url, tab_a).status_code == 302
    moved = names(world.job)
    assert moved.index("Offer") == moved.index("Debrief") - 1

    refused = client.post(url, tab_b)

    assert refused.status_code == 400
    text = refused.content.decode()
    assert (
        "Someone saved changes to the stages of this job since you opened the page: "
        "order of the stages. Nothing was moved" in text
    )
    assert "Saved since you opened the page:" in text
    assert names(world.job) == moved
    again = page_form(text, url)
    assert again["seen"] != tab_b["seen"]
    assert client.post(url, again).status_code == 302
    assert names(world.job).index("Offer") == moved.index("Offer") - 1


def test_the_service_refuses_with_its_code_and_changes_nothing(world):
    from closeloop.jobs.services import stage_edit_seen

    offer = world.job.stages.get(name="Offer")
    seen = stage_edit_seen(offer)
    stage_update(stage=offer, by=world.rita, name="Offer made", move_owner=MoveOwner.RECRUITER)
    try:
        stage_update(
            stage=offer, by=world.ada, name="Offer", move_owner=MoveOwner.RECRUITER, seen=seen
        )
    except SavedSince as error:
        assert error.code == SAVED_SINCE and error.changed == ("name",)
    else:
        raise AssertionError("The stale save went through.")
    offer.refresh_from_db()
    assert offer.name == "Offer made"
