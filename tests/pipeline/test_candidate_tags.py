"""Tags on candidates: the hiring team adds and removes them on the application page; they
show there, on the candidate's page and on the list's rows; names are one tag whatever their
case; interviewers only read them; erasing a candidate drops their tags."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.pipeline.models import CandidateTag, Tag
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


def test_the_database_refuses_a_second_tag_of_the_same_name(world):
    Tag.objects.create(name="Python")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="pYTHON")


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
