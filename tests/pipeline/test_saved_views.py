"""Saved views of a job's list: a person saves the list's filters under a name, sees them
as links above the list, and deletes them; nobody sees or deletes another's."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
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


def test_a_value_the_list_would_refuse_is_left_out_and_the_confirmation_says_so(world, login):
    """The list shows every stage for "stage=999" (and says so): a view saved with it keeps
    what the list uses, as the list reads it, and says what it left out."""
    client = login(world.rita)
    query = "view=list&status=closed&bogus=1&stage=999"
    assert (
        "No stage “999” on this job"
        in list_page(client, world.job, status="closed", stage="999").text
    )
    response = save(client, world.job, "Closed", query)
    view = SavedView.objects.get(owner=world.rita)
    assert view.query == "view=list&status=closed"
    assert response["Location"].endswith("?view=list&status=closed#pipeline")
    said = client.get(response["Location"]).text
    assert (
        "Saved the view “Closed”; it is linked above the list. "
        "Left out what the list cannot use: stage “999”.</"
    ) in said
    assert "No stage “999”" not in said  # the list it lands on uses the saved view


def test_every_filter_is_checked_as_the_list_checks_it(world):
    other_stage = world.other_job.stages.first().pk
    sourced = world.job.stages.get(name="Sourced").pk
    created = saved_view_create(
        owner=world.rita, job=world.job, name="Mixed",
        query=f"sort=bogus&stage={other_stage}&status=gone&move=someone&waiting=0"
        f"&source=moon&interviewer={world.olga.pk}&tag=999999",
    )  # fmt: skip
    assert created.view.query == "view=list"
    # The save says what it left out: the list's own reading, run once.
    assert created.left_out[:2] == ["sort “bogus”", f"stage “{other_stage}”"]
    kept = saved_view_create(
        owner=world.rita, job=world.job, name="Kept",
        query=f"sort=-name&stage={sourced}&status=all&move=me&waiting=3&source=referral",
    ).view  # fmt: skip
    assert (
        kept.query
        == f"view=list&sort=-name&stage={sourced}&status=all&move=me&waiting=3&source=referral"
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
    view = saved_view_create(owner=world.rita, job=world.job, name="Mine", query="view=list").view
    response = login(world.rita).post(reverse("pipeline:saved-view-delete", args=[view.pk]))
    assert response.status_code == 302
    assert not SavedView.objects.exists()


def test_nobody_deletes_anothers_view(world, login):
    view = saved_view_create(owner=world.rita, job=world.job, name="Mine", query="view=list").view
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


def test_a_name_differing_only_in_the_case_of_its_accented_letters_is_the_same_name(world, login):
    """SQL's LOWER() left "Ü" and "ü" apart (SQLite lowers ASCII only); the name is compared
    case-folded, as a person reads it, on every database."""
    client = login(world.rita)
    save(client, world.job, "Wartet auf Hänk — Überfällig", "view=list&move=me")
    response = save(client, world.job, "wartet auf hänk — überfällig", "view=list&waiting=5")
    assert [view.name for view in SavedView.objects.filter(owner=world.rita)] == [
        "Wartet auf Hänk — Überfällig"
    ]
    said = client.get(response["Location"]).content.decode()
    assert (
        "The view was not saved. You already have a view named “Wartet auf Hänk — Überfällig” "
        "on this job (a name counts once, whatever its capitals)"
    ) in said
    saved_view_create(owner=world.rita, job=world.job, name="Straße", query="view=list")
    with pytest.raises(ValidationError):
        saved_view_create(owner=world.rita, job=world.job, name="STRASSE", query="view=list")
    # Another person, or another job, has names of their own.
    saved_view_create(owner=world.hank, job=world.job, name="WARTET AUF HÄNK — ÜBERFÄLLIG",
                      query="view=list")  # fmt: skip
    saved_view_create(owner=world.rita, job=world.other_job, name="überfällig", query="")


def test_the_database_refuses_a_name_twice_whatever_its_case(world):
    """A writer that skips the service's check (two tabs at once) meets the unique index."""
    for name, again in (("Überfällig", "ÜBERFÄLLIG"), ("Straße", "STRASSE")):
        SavedView.objects.create(owner=world.rita, job=world.job, name=name)
        with pytest.raises(IntegrityError), transaction.atomic():
            SavedView.objects.create(owner=world.rita, job=world.job, name=again)
    view = SavedView.objects.create(owner=world.rita, job=world.job, name="Später")
    view.name = "überfällig"
    with pytest.raises(IntegrityError), transaction.atomic():
        view.save(update_fields=["name"])


def test_the_migration_keeps_views_saved_twice_before_under_a_new_name(world):
    """Views saved before the names were case-folded ("Überfällig" and "überfällig") are
    both kept: the later one is renamed."""
    first = SavedView.objects.create(owner=world.rita, job=world.job, name="Überfällig")
    later = SavedView.objects.create(owner=world.rita, job=world.job, name="old")
    hanks = SavedView.objects.create(owner=world.hank, job=world.job, name="überfällig")
    # As the rows stood before the migration: two names once apart, no key worked out yet.
    SavedView.objects.filter(pk=later.pk).update(name="überfällig")
    for view in (first, later, hanks):
        SavedView.objects.filter(pk=view.pk).update(name_key=f"not yet {view.pk}")
    migration = importlib.import_module("closeloop.pipeline.migrations.0012_saved_view_name_key")
    migration.keys_fill(django_apps, None)
    names = {view.pk: (view.name, view.name_key) for view in SavedView.objects.all()}
    assert names == {
        first.pk: ("Überfällig", "überfällig"),
        later.pk: ("überfällig (2)", "überfällig (2)"),
        hanks.pk: ("überfällig", "überfällig"),
    }


def test_the_migration_renames_into_no_name_a_later_view_has_under_the_old_rule(world):
    """Renames are worked out knowing every view's name: "STRASSE" (the same name as
    "Straße" now) does not become "STRASSE (2)", which the old LOWER() rule, in force on a
    database migrated before, finds taken by the view named "Strasse (2)" further on."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE UNIQUE INDEX old_saved_view_name_once_per_job "
            "ON pipeline_savedview (owner_id, job_id, LOWER(name))"
        )
    views = []
    for name in ("Straße", "STRASSE", "Strasse (2)"):  # as the old rule allowed them
        views.append(SavedView.objects.create(owner=world.rita, job=world.job, name=name))
        SavedView.objects.filter(pk=views[-1].pk).update(name_key=f"not yet {views[-1].pk}")
    migration = importlib.import_module("closeloop.pipeline.migrations.0012_saved_view_name_key")
    migration.keys_fill(django_apps, None)
    assert [SavedView.objects.get(pk=view.pk).name for view in views] == [
        "Straße",
        "STRASSE (3)",
        "Strasse (2)",
    ]
