"""Search finds candidates by their tags: a tag's name (every word typed starting one of its
words, accents and capitals aside) finds the candidates carrying it, only as far as the
searcher may see them, in a bounded number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.pipeline.models import Candidate, CandidateTag, Tag
from closeloop.pipeline.search import (
    search_candidates,
    search_run,
    search_suggest,
    search_words,
)


def found(user, query: str) -> list[str]:
    return [c.full_name for c in search_candidates(user=user, words=search_words(query))]


def _tag(candidate_id: int, name: str, by) -> None:
    tag, _ = Tag.objects.get_or_create(name=name, defaults={"created_by": by})
    CandidateTag.objects.create(candidate_id=candidate_id, tag=tag, added_by=by)


@pytest.fixture
def world(world):
    """Carla is tagged "Silver medal" and "Übersee"; Otto (ada's job) "Silver medal" too."""
    _tag(world.interviewed.candidate_id, "Silver medal", world.rita)
    _tag(world.interviewed.candidate_id, "Übersee", world.rita)
    _tag(world.other_application.candidate_id, "Silver medal", world.ada)
    return world


@pytest.mark.parametrize(
    "query", ["silver medal", "Silver Medal", "silver", "silv med", "medal", "ubersee", "ÜBER"]
)
def test_a_tag_name_finds_the_candidates_carrying_it(world, query):
    assert found(world.rita, query) == ["Carla Candidate"]


def test_a_word_no_tag_starts_finds_nobody_by_tags(world):
    assert found(world.rita, "gold medal") == []
    assert found(world.rita, "ilver") == []  # inside a word, not at its start


def test_only_the_tagged_candidates_the_searcher_may_see_are_found(world):
    assert found(world.rita, "silver medal") == ["Carla Candidate"]  # not ada's Otto
    assert found(world.olga, "silver medal") == ["Otto Other"]
    assert found(world.ada, "silver medal") == ["Carla Candidate", "Otto Other"]
    assert found(world.ivy, "silver medal") == ["Carla Candidate"]  # she interviews Carla


def test_an_erased_candidate_is_not_found_by_a_tag(world):
    Candidate.objects.filter(pk=world.interviewed.candidate_id).update(
        erased_at=world.interviewed.created_at
    )
    assert found(world.rita, "silver medal") == []


def test_the_search_page_and_the_box_find_a_tagged_candidate(world, login):
    page = login(world.rita).get(reverse("pipeline:search"), {"q": "silver medal"})
    shown = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "Candidates 1" in shown and "Carla Candidate" in shown
    suggested = search_suggest(user=world.rita, query="silver")
    assert [c.full_name for c in suggested.candidates] == ["Carla Candidate"]


def test_the_tags_cost_one_query_however_many_match(world):
    """At most 20 tags are used (`TAGS_MATCHED`), read in one query, the one named exactly what was
    typed first; the search's query count does not grow with the tags carrying the words."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            search_run(user=world.rita, query="silver medal")
        return len(captured.captured_queries)

    few = queries()
    for number in range(30):
        _tag(world.sourced.candidate_id, f"Silver medal {number}", world.rita)
    assert queries() == few
    assert found(world.rita, "silver medal") == ["Carla Candidate", "Sam Sourced"]
