"""The job form saved from a tab opened before someone else's save (`jobs:job-edit`): refused
with what was saved meanwhile, never undoing it (closeloop.lib.seen)."""

from __future__ import annotations

from django.urls import reverse

from closeloop.jobs.services import job_update
from closeloop.lib.seen import SAVED_SINCE, SavedSince
from page_forms import changed, page_form


def edit_url(job) -> str:
    return reverse("jobs:job-edit", kwargs={"pk": job.pk})


def test_a_tab_opened_before_a_rename_does_not_undo_it(world, login):
    """Tab A renames the job; tab B, opened before, changes only the headcount: B is refused,
    the title stays, and B's page now holds the new title beside its own headcount."""
    client = login(world.rita)
    url = edit_url(world.job)
    tab_a = page_form(client.get(url).text)
    tab_b = page_form(client.get(url).text)
    assert client.post(url, changed(tab_a, title="Senior Backend Engineer")).status_code == 302

    refused = client.post(url, changed(tab_b, headcount="3"))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Someone saved changes to this job since you opened the page: title." in text
    assert "Nothing was saved; here is the page as it is now, with what you typed kept." in text
    assert "Saved since you opened the page:" in text
    assert text.count("Someone saved changes") == 1  # said once
    world.job.refresh_from_db()
    assert (world.job.title, world.job.headcount) == ("Senior Backend Engineer", 1)
    again = page_form(text)
    assert again["title"] == ["Senior Backend Engineer"]  # B left it: the value now
    assert again["headcount"] == ["3"]  # what B typed
    assert again["seen"] != tab_b["seen"]

    assert client.post(url, again).status_code == 302
    world.job.refresh_from_db()
    assert (world.job.title, world.job.headcount) == ("Senior Backend Engineer", 3)


def test_a_tab_opened_before_a_new_hiring_manager_does_not_bring_the_old_one_back(world, login):
    client = login(world.rita)
    url = edit_url(world.job)
    tab_a = page_form(client.get(url).text)
    tab_b = page_form(client.get(url).text)
    assert client.post(url, changed(tab_a, hiring_manager=str(world.olga.pk))).status_code == 302

    refused = client.post(url, changed(tab_b, location="Lisbon"))

    assert refused.status_code == 400
    assert "since you opened the page: hiring manager." in refused.content.decode()
    world.job.refresh_from_db()
    assert world.job.hiring_manager == world.olga
    assert world.job.location == ""
    assert page_form(refused.content.decode())["hiring_manager"] == [str(world.olga.pk)]


def test_a_value_both_tabs_changed_keeps_what_was_typed_and_shows_the_saved_one(world, login):
    client = login(world.rita)
    url = edit_url(world.job)
    tab_a = page_form(client.get(url).text)
    tab_b = page_form(client.get(url).text)
    assert client.post(url, changed(tab_a, title="Staff Engineer")).status_code == 302

    refused = client.post(url, changed(tab_b, title="Platform Engineer"))

    text = refused.content.decode()
    assert page_form(text)["title"] == ["Platform Engineer"]
    assert "Staff Engineer" in text and "You changed this too" in text
    world.job.refresh_from_db()
    assert world.job.title == "Staff Engineer"


def test_a_save_from_an_up_to_date_page_and_a_post_without_a_fingerprint_go_through(world, login):
    client = login(world.rita)
    url = edit_url(world.job)
    fields = page_form(client.get(url).text)
    assert client.post(url, changed(fields, team="Data")).status_code == 302
    scripted = {name: values for name, values in fields.items() if name != "seen"}
    assert client.post(url, changed(scripted, team="Core")).status_code == 302
    world.job.refresh_from_db()
    assert world.job.team == "Core"


def test_a_fingerprint_that_is_no_fingerprint_is_refused_without_an_error(world, login):
    client = login(world.rita)
    url = edit_url(world.job)
    fields = page_form(client.get(url).text)
    for hostile in ["x" * 5000, "title:\x00", "' OR 1=1 --", "title:AAAAAAAA"]:
        refused = client.post(url, changed(fields, seen=hostile, team="Data"))
        assert refused.status_code == 400
        world.job.refresh_from_db()
        assert world.job.team == "Platform"


def test_the_service_refuses_with_its_code_and_changes_nothing(world):
    from closeloop.jobs.services import job_edit_seen

    seen = job_edit_seen(world.job)
    job_update(job=world.job, by=world.rita, data={"title": "Renamed"})
    try:
        job_update(job=world.job, by=world.ada, data={"title": "Backend Engineer"}, seen=seen)
    except SavedSince as error:
        assert error.code == SAVED_SINCE and error.changed == ("title",)
    else:
        raise AssertionError("The stale save went through.")
    world.job.refresh_from_db()
    assert world.job.title == "Renamed"
    # Values the save does not write are not checked: a save of the team alone goes through.
    job_update(job=world.job, by=world.ada, data={"team": "Data"}, seen=seen)
