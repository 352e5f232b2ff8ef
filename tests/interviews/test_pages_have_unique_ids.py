"""The interview's pages and the candidate's, as their main readers see them, give each
element its own id: the interview page had two `id_reason` inputs (reschedule and cancel),
so a click on "Why is it cancelled?" went to the other form's field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from page_ids import ids_repeated


@pytest.mark.parametrize("persona", ["rita", "ivy", "ada"])
def test_the_interview_page(world, interview, login, persona):
    url = reverse("interviews:interview-detail", args=[interview.pk])
    page = login(getattr(world, persona)).get(url)
    assert page.status_code == 200
    assert ids_repeated(page.content.decode()) == []


@pytest.mark.parametrize("persona", ["hank", "rita"])
def test_the_debrief_page(world, debrief, login, persona):
    url = reverse("interviews:debrief-detail", args=[debrief.pk])
    page = login(getattr(world, persona)).get(url)
    assert page.status_code == 200
    assert ids_repeated(page.content.decode()) == []


@pytest.mark.parametrize("persona", ["rita", "hank"])
def test_the_application_and_candidate_pages(world, debrief, login, persona):
    client = login(getattr(world, persona))
    application = client.get(reverse("pipeline:application-detail", args=[world.interviewed.pk]))
    assert ids_repeated(application.content.decode()) == []
    candidate = world.interviewed.candidate_id
    page = client.get(reverse("pipeline:candidate-detail", args=[candidate]))
    assert page.status_code == 200
    assert ids_repeated(page.content.decode()) == []
