"""Saved views of a job's list: a person saves the list's filters under a name, sees them
as links above the list, and deletes them; nobody sees or deletes another's."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.pipeline.models import SavedView
from closeloop.pipeline.saved_views import list_query_clean, saved_view_create


def list_page(client, job, **query):
    return client.get(reverse("jobs:job-detail", args=[job.pk]), {"view": "list", **query})


def save(client, job, name, query):
    return client.post(
        reverse("pipeline:saved-view-create", args=[job.pk]), {"name": name, "query": query}
    )


def test_rita_saves_the_filters_and_finds_the_view_linked_above_the_list(world, login):
    client = login(world.rita)
    response = save(
        client, world.job, "Referrals on me", "view=list&move=me&source=referral&page=3"
    )
    view = SavedView.objects.get(owner=world.rita)
    assert view.query == "view=list&move=me&source=referral"
    assert response.status_code == 302
    assert response["Location"].endswith(f"?{view.query}#pipeline")
    html = list_page(client, world.job).text
    assert re.search(
        r'<a href="[^"]+\?view=list&amp;move=me&amp;source=referral"[^>]*>Referrals on me</a>', html
    )


def test_the_save_form_carries_the_current_filters(world, login):
    html = list_page(login(world.rita), world.job, move="me", waiting="3", page="1").text
    assert 'name="query" value="view=list&amp;sort=waiting&amp;move=me&amp;waiting=3"' in html


def test_hank_does_not_see_ritas_views(world, login):
    saved_view_create(owner=world.rita, job=world.job, name="Mine", query="view=list&move=me")
    assert "Mine</a>" not in list_page(login(world.hank), world.job).text


def test_a_name_is_used_once_per_person_and_job_whatever_its_case(world, login):
    saved_view_create(owner=world.rita, job=world.job, name="Stale", query="view=list")
    response = save(login(world.rita), world.job, "STALE", "view=list&waiting=5")
    assert SavedView.objects.filter(owner=world.rita).count() == 1
    assert response.status_code == 302
    saved_view_create(owner=world.hank, job=world.job, name="Stale", query="view=list")


def test_an_empty_or_long_name_is_refused(world, login):
    client = login(world.rita)
    said = {}
    for name in ("", "   ", "x" * 61):
        response = save(client, world.job, name, "view=list")
        said[name] = client.get(response.headers["Location"]).content.decode()
    assert not SavedView.objects.exists()
    # The list comes back with its save form folded: the message says what was wrong.
    assert "The view was not saved. Give the view a name." in said[""]
    assert "Keep the name to 60 characters (it has 61)." in said["x" * 61]
    with pytest.raises(ValidationError):
        saved_view_create(owner=world.rita, job=world.job, name=" ", query="")


def test_only_the_lists_own_keys_are_kept(world):
    assert list_query_clean("?view=board&next=//evil.example&tag=4&tag=5&x=1&sort=name") == (
        "view=list&sort=name&tag=4"
    )
    assert list_query_clean("") == "view=list"


def test_rita_deletes_her_view(world, login):
    view = saved_view_create(owner=world.rita, job=world.job, name="Mine", query="view=list")
    response = login(world.rita).post(reverse("pipeline:saved-view-delete", args=[view.pk]))
    assert response.status_code == 302
    assert not SavedView.objects.exists()


def test_nobody_deletes_anothers_view(world, login):
    view = saved_view_create(owner=world.rita, job=world.job, name="Mine", query="view=list")
    for persona in (world.hank, world.ivy, world.olga, world.ada):
        response = login(persona).post(reverse("pipeline:saved-view-delete", args=[view.pk]))
        assert response.status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_an_outsider_cannot_save_a_view_of_a_job_they_do_not_see(world, login):
    assert save(login(world.olga), world.job, "Peek", "view=list").status_code == 404
    assert not SavedView.objects.exists()


def test_ivy_saves_her_own_view_of_the_job_she_interviews_for(world, login):
    save(login(world.ivy), world.job, "My panels", f"view=list&interviewer={world.ivy.pk}")
    assert SavedView.objects.get().owner == world.ivy
