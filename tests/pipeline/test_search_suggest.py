"""The header box's suggestions while typing: the first candidates and jobs the searcher may
see, from two letters on, in a few queries whatever the number of matches; any input
answers, never an error."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.pipeline.models import Application, Candidate
from closeloop.pipeline.search import SUGGESTED_CANDIDATES, search_suggest

SUGGEST = reverse("pipeline:search-suggest")
HTMX = {"HX-Request": "true"}


def names(user, query):
    found = search_suggest(user=user, query=query)
    return [c.full_name for c in found.candidates], [j.title for j in found.jobs]


def test_two_letters_suggest_candidates_and_jobs_the_searcher_may_see(world):
    assert names(world.rita, "c") == ([], [])  # one letter: too many to mean anything
    assert names(world.rita, "ca") == (["Carla Candidate", "Sam Sourced"], [])  # sam@cand…
    assert names(world.rita, "carl") == (["Carla Candidate"], [])
    assert names(world.rita, "back") == ([], ["Backend Engineer"])
    assert names(world.olga, "carl") == ([], [])  # not her job
    assert names(world.ivy, "ca") == (["Carla Candidate"], [])  # she interviews Carla only


def test_the_suggestions_stop_at_a_few_in_a_fixed_number_of_queries(world, login):
    rows = [Candidate(full_name=f"Cara Many {i:03}", created_by=world.rita) for i in range(40)]
    Candidate.objects.bulk_create(rows)
    stage = world.job.stages.order_by("position").first()
    Application.objects.bulk_create(
        Application(candidate=c, job=world.job, stage=stage)
        for c in Candidate.objects.filter(full_name__startswith="Cara Many")
    )
    client = login(world.rita)
    with CaptureQueriesContext(connection) as few:
        client.get(SUGGEST, {"q": "cara"}, headers=HTMX)
    Candidate.objects.bulk_create(
        Candidate(full_name=f"Cara More {i:03}", created_by=world.rita) for i in range(40)
    )
    with CaptureQueriesContext(connection) as more:
        response = client.get(SUGGEST, {"q": "cara"}, headers=HTMX)
    assert len(more) == len(few)
    html = response.content.decode()
    assert html.count('href="/candidates/') == SUGGESTED_CANDIDATES
    assert "Cara Many 000" in html and "All results for “cara”" in html


@pytest.mark.parametrize(
    "query", ["", "x", "'; DROP TABLE x; --", 'ca"*', "NEAR(", "\x00ca", "ca " * 5000, "ÿ" * 300]
)
def test_any_input_answers_without_an_error(world, login, query):
    response = login(world.rita).get(SUGGEST, {"q": query}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_without_htmx_the_address_opens_the_results(world, login):
    response = login(world.rita).get(SUGGEST, {"q": "carla c"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('pipeline:search')}?q=carla+c"
    assert login(world.rita).get(SUGGEST).status_code == 302
