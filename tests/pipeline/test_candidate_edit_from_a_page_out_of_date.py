"""A candidate's details saved from a tab opened before someone else's save
(`pipeline:candidate-edit`): refused with what was saved meanwhile, never undoing it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from closeloop.pipeline.services import candidate_edit_seen, candidate_update
from page_forms import changed, page_form


def url(candidate) -> str:
    return reverse("pipeline:candidate-edit", args=[candidate.pk])


def test_a_stale_tab_does_not_bring_an_old_phone_number_back(world, login):
    """Rita saves a new phone number; Ada, whose page was opened before, changes the title:
    refused, the number stays, and her page now holds it beside the title she typed."""
    carla = world.interviewed.candidate
    rita = login(world.rita)
    ada = Client()
    ada.force_login(world.ada)
    adas_page = page_form(ada.get(url(carla)).text)
    ritas_page = page_form(rita.get(url(carla)).text)
    assert rita.post(url(carla), changed(ritas_page, phone="+49 30 1234567")).status_code == 302

    refused = ada.post(url(carla), changed(adas_page, current_title="Staff Engineer"))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Someone saved changes to this candidate since you opened the page: phone." in text
    assert "+49 30 1234567" in text
    assert text.count("Someone saved changes") == 1  # said once
    carla.refresh_from_db()
    assert (carla.phone, carla.current_title) == ("+49 30 1234567", "")
    again = page_form(text)
    assert again["phone"] == ["+49 30 1234567"]
    assert again["current_title"] == ["Staff Engineer"]

    assert ada.post(url(carla), again).status_code == 302
    carla.refresh_from_db()
    assert (carla.phone, carla.current_title) == ("+49 30 1234567", "Staff Engineer")


def test_only_the_details_a_save_writes_are_checked(world):
    carla = world.interviewed.candidate
    seen = candidate_edit_seen(carla)
    candidate_update(candidate=carla, by=world.rita, data={"phone": "1"})
    candidate_update(candidate=carla, by=world.rita, data={"phone": "2"})  # no fingerprint
    # The location was not saved since: a save of it alone from the old page goes through.
    candidate_update(candidate=carla, by=world.rita, data={"location": "Porto"}, seen=seen)
    carla.refresh_from_db()
    assert (carla.phone, carla.location) == ("2", "Porto")
