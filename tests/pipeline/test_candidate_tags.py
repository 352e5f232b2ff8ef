"""Tags on candidates: the hiring team adds and removes them on the application page; they
show there, on the candidate's page and on the list's rows; names are one tag whatever their
case ("Übersee" is "übersee", "Straße" is "STRASSE"), in the service and the database;
interviewers only read them; erasing a candidate drops their tags."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.pipeline.models import CandidateTag, SavedView, Tag
from closeloop.pipeline.privacy import candidate_erase
from closeloop.pipeline.tags import candidate_tag_add


def tag_add(client, application, name):
    return client.post(
        reverse("pipeline:application-tag-add", args=[application.pk]), {"name": name}
    )


def tag_names(application) -> list[str]:
    return list(
        CandidateTag.objects.filter(candidate=application.candidate).values_list(
            "tag__name", flat=True
        )
    )


def test_rita_tags_on_the_application_page_and_the_tag_shows_everywhere(world, login):
    client = login(world.rita)
    response = tag_add(client, world.sourced, "  Relocating ")
    assert response.status_code == 302
    assert tag_names(world.sourced) == ["Relocating"]
    for path in (
        reverse("pipeline:application-detail", args=[world.sourced.pk]),
        reverse("pipeline:candidate-detail", args=[world.sourced.candidate_id]),
        reverse("jobs:job-detail", args=[world.job.pk]) + "?view=list",
    ):
        assert '<span class="tag">Relocating' in client.get(path).text, path
    assert Activity.objects.filter(kind="closeloop.candidate.tagged").count() == 1


def test_a_name_in_another_case_is_the_same_tag(world, login):
    client = login(world.rita)
    tag_add(client, world.sourced, "Python")
    tag_add(client, world.interviewed, "PYTHON")
    tag_add(client, world.interviewed, "python")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Python"]
    assert tag_names(world.interviewed) == ["Python"]


def test_a_name_differing_only_in_the_case_of_its_accented_letters_is_the_same_tag(world, login):
    """SQL's LOWER() left "Ü" and "ü" apart on SQLite (ASCII letters only) and "ß" apart from
    "SS" everywhere; the name is compared case-folded, as a person reads it."""
    client = login(world.rita)
    tag_add(client, world.sourced, "Übersee")
    tag_add(client, world.sourced, "Straße")
    tag_add(client, world.interviewed, "übersee")
    tag_add(client, world.interviewed, "STRASSE")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Straße", "Übersee"]
    assert sorted(tag_names(world.interviewed)) == ["Straße", "Übersee"]


@pytest.mark.parametrize(("name", "typed"), [("Übersee", "übersee"), ("Straße", "STRASSE")])
def test_bulk_tagging_in_another_case_finds_the_tag_and_its_filter_lists_everyone(
    world, login, name, typed
):
    candidate_tag_add(candidate=world.sourced.candidate, by=world.rita, name=name)
    client = login(world.rita)
    client.post(
        reverse("pipeline:job-bulk", args=[world.job.pk]),
        {"applications": [world.interviewed.pk], "action": "tag", "tag": typed},
    )
    tag = Tag.objects.get()
    assert tag.name == name
    page = client.get(
        reverse("jobs:job-detail", args=[world.job.pk]), {"view": "list", "tag": tag.pk}
    ).text
    assert sorted(re.findall(r'data-label="Candidate"><a href="[^"]+">([^<]+)<', page)) == [
        "Carla Candidate",
        "Sam Sourced",
    ]


@pytest.mark.parametrize(
    ("name", "again"), [("Python", "pYTHON"), ("Übersee", "übersee"), ("Straße", "STRASSE")]
)
def test_the_database_refuses_a_second_tag_of_the_same_name(world, name, again):
    """A writer that skips the service's look-up (two tabs at once) meets the unique index."""
    Tag.objects.create(name=name)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name=again)
    renamed = Tag.objects.create(name="Später")
    renamed.name = again
    with pytest.raises(IntegrityError), transaction.atomic():
        renamed.save(update_fields=["name"])


def test_the_migration_merges_tags_made_twice_before_into_the_first(world, clock):
    """Tags made before the names were case-folded ("Übersee", later "übersee") become one,
    spelt as first typed; each candidate keeps its earliest link, and a saved view filtering
    on the merged tag filters on the one kept."""
    first = Tag.objects.create(name="Übersee")
    clock.shift(60)
    later = Tag.objects.create(name="later")
    python = Tag.objects.create(name="Python")
    # As the rows stood before the migration: two names once apart, no key worked out yet.
    Tag.objects.filter(pk=later.pk).update(name="übersee")
    for tag in (first, later, python):
        Tag.objects.filter(pk=tag.pk).update(name_key=f"not yet {tag.pk}")
    sam, carla, otto = (
        world.sourced.candidate,
        world.interviewed.candidate,
        world.other_application.candidate,
    )
    CandidateTag.objects.create(candidate=sam, tag=first, added_by=world.rita)
    clock.shift(60)
    CandidateTag.objects.create(candidate=carla, tag=later, added_by=world.hank)
    clock.shift(60)
    CandidateTag.objects.create(candidate=carla, tag=first, added_by=world.rita)
    CandidateTag.objects.create(candidate=otto, tag=later, added_by=world.ada)
    CandidateTag.objects.create(candidate=otto, tag=python, added_by=world.ada)
    view = SavedView.objects.create(
        owner=world.rita, job=world.job, name="Overseas", query=f"view=list&tag={later.pk}"
    )
    python_view = SavedView.objects.create(
        owner=world.rita, job=world.job, name="Python", query=f"view=list&tag={python.pk}"
    )
    migration = importlib.import_module("closeloop.pipeline.migrations.0014_tag_name_key")
    migration.tags_merge(django_apps, None)
    assert sorted(Tag.objects.values_list("pk", "name", "name_key")) == sorted(
        [(first.pk, "Übersee", "übersee"), (python.pk, "Python", "python")]
    )
    links = CandidateTag.objects.filter(tag=first).values_list("candidate_id", "added_by_id")
    assert sorted(links) == sorted(
        [(sam.pk, world.rita.pk), (carla.pk, world.hank.pk), (otto.pk, world.ada.pk)]
    )
    assert CandidateTag.objects.filter(candidate=otto, tag=python).exists()
    view.refresh_from_db()
    python_view.refresh_from_db()
    assert view.query == f"view=list&tag={first.pk}"
    assert python_view.query == f"view=list&tag={python.pk}"


def test_rita_removes_a_tag(world, login):
    tag = candidate_tag_add(candidate=world.sourced.candidate, by=world.rita, name="Python")
    client = login(world.rita)
    client.post(reverse("pipeline:application-tag-remove", args=[world.sourced.pk, tag.pk]))
    assert tag_names(world.sourced) == []
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_hank_may_tag_ivy_only_reads(world, login):
    tag_add(login(world.hank), world.interviewed, "Strong")
    client = login(world.ivy)
    page = client.get(reverse("pipeline:application-detail", args=[world.interviewed.pk])).text
    assert '<span class="tag">Strong' in page and "Add tag" not in page
    tag_add(client, world.interviewed, "Weak")
    tag = Tag.objects.get(name="Strong")
    client.post(reverse("pipeline:application-tag-remove", args=[world.interviewed.pk, tag.pk]))
    assert tag_names(world.interviewed) == ["Strong"]


def test_an_outsider_gets_404(world, login):
    assert tag_add(login(world.olga), world.sourced, "Peek").status_code == 404
    assert not Tag.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 41])
def test_an_empty_or_long_name_adds_nothing(world, login, name):
    tag_add(login(world.rita), world.sourced, name)
    assert not Tag.objects.exists()


def test_erasing_a_candidate_drops_their_tags(world):
    candidate_tag_add(candidate=world.sourced.candidate, by=world.rita, name="Relocating")
    candidate_tag_add(candidate=world.interviewed.candidate, by=world.rita, name="Relocating")
    candidate_erase(candidate=world.sourced.candidate, by=world.ada, reason="Asked to be erased")
    assert tag_names(world.sourced) == []
    assert tag_names(world.interviewed) == ["Relocating"]


def test_an_erased_candidate_takes_no_tag(world, login):
    candidate_erase(candidate=world.sourced.candidate, by=world.ada, reason="Asked to be erased")
    tag_add(login(world.ada), world.sourced, "Zombie")
    assert tag_names(world.sourced) == []


def _said(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_a_tag_the_candidate_has_already_is_not_confirmed_as_added(world, login):
    client = login(world.rita)
    candidate_tag_add(candidate=world.sourced.candidate, by=world.rita, name="Übersee")
    response = client.post(
        reverse("pipeline:application-tag-add", args=[world.sourced.pk]),
        {"name": "ÜBERSEE"},
        follow=True,
    )
    assert _said(response) == "Sam Sourced has the tag “Übersee” already: nothing changed."
    response = client.post(
        reverse("pipeline:application-tag-add", args=[world.interviewed.pk]),
        {"name": "ÜBERSEE"},
        follow=True,
    )
    assert _said(response) == "Tagged Carla Candidate “Übersee”."


def test_bulk_tagging_names_the_stored_tag_and_who_had_it_already(world, login):
    candidate_tag_add(candidate=world.sourced.candidate, by=world.rita, name="Übersee")
    client = login(world.rita)
    bulk = reverse("pipeline:job-bulk", args=[world.job.pk])
    chosen = [world.sourced.pk, world.interviewed.pk]
    response = client.post(
        bulk, {"applications": chosen, "action": "tag", "tag": "ÜBERSEE"}, follow=True
    )
    assert _said(response) == (
        "Tagged 1 candidate “Übersee”: Carla Candidate; Sam Sourced had it already."
    )
    response = client.post(
        bulk, {"applications": chosen, "action": "tag", "tag": "übersee"}, follow=True
    )
    assert _said(response) == (
        "Nobody was tagged: Carla Candidate and Sam Sourced had “Übersee” already."
    )
