"""Search checks its matches against sets of the candidates a person may see, read once
(`candidate_visible_sets`), instead of a per-candidate EXISTS, and fetches the page's
candidates by id: each person still finds exactly the candidates `candidate_visible_q` lets
them see, in the same order, through every way of seeing one (team, panel seat, an ask
covered for someone away), and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeloop.followups.models import Ask, AskStatus
from closeloop.interviews.models import Interview
from closeloop.pipeline.models import Candidate
from closeloop.pipeline.privacy import candidate_erase
from closeloop.pipeline.search import search_candidates, search_run, search_suggest, search_words
from closeloop.pipeline.selectors import (
    candidate_visible_many_q,
    candidate_visible_q,
    candidate_visible_sets,
)

QUERIES = ["c", "carla", "sam s", "otto", "o", "cand", "engineer", "zzz"]


def found(user, query: str) -> list[str]:
    return [c.full_name for c in search_candidates(user=user, words=search_words(query))]


def may_see(user) -> set[int]:
    return set(Candidate.objects.filter(candidate_visible_q(user)).values_list("pk", flat=True))


def expected(world, user, query: str) -> list[str]:
    """Every match in the results' order (the admin sees all), less what the user may not see."""
    seen = may_see(user)
    words = search_words(query)
    return [c.full_name for c in search_candidates(user=world.ada, words=words) if c.pk in seen]


def cover(world, application) -> Ask:
    """Hank is away; olga (on no team of that job) covers his open ask on the application."""
    now = timezone.now()
    return Ask.objects.create(
        kind="review_submission",
        subject="Review",
        title="Review the candidate",
        owner=world.olga,
        original_owner=world.hank,
        application=application,
        job=application.job,
        due_at=now + dt.timedelta(days=1),
    )


def test_each_person_finds_exactly_what_they_may_see_in_the_same_order(world):
    people = [world.rita, world.hank, world.ivy, world.olga, world.ada]
    for user in people:
        assert set(
            Candidate.objects.filter(candidate_visible_many_q(user)).values_list("pk", flat=True)
        ) == may_see(user), user
        for query in QUERIES:
            assert found(user, query) == expected(world, user, query), (user, query)
    assert found(world.ivy, "c") == ["Carla Candidate"]  # a seat only, not Sam of that job
    assert found(world.olga, "o") == ["Otto Other"]


def test_a_panel_seat_lets_its_holder_find_the_candidate_until_it_goes(world):
    assert found(world.ivy, "carla") == ["Carla Candidate"]
    for interview in Interview.objects.filter(application=world.interviewed):
        interview.interviewers.remove(world.ivy)  # the seat goes with her last panel
    assert found(world.ivy, "carla") == []


def test_a_seat_outside_her_own_jobs_lets_a_hiring_manager_find_that_candidate(world):
    """Olga manages the other job; a seat on a backend candidate's panel adds that one."""
    assert found(world.olga, "carla") == []
    interview = Interview.objects.filter(application=world.interviewed).first()
    interview.interviewers.add(world.olga)
    assert found(world.olga, "carla") == ["Carla Candidate"]
    assert found(world.olga, "c") == expected(world, world.olga, "c")
    assert found(world.olga, "o") == ["Otto Other"]  # her own job's, as before
    assert "Sam Sourced" not in found(world.olga, "s")


def test_the_delegate_finds_the_candidate_of_the_ask_she_covers_while_it_is_open(world):
    assert found(world.olga, "sam") == []
    ask = cover(world, world.sourced)
    assert found(world.olga, "sam") == ["Sam Sourced"]
    assert found(world.olga, "s") == expected(world, world.olga, "s")
    Ask.objects.filter(pk=ask.pk).update(status=AskStatus.DONE)
    assert found(world.olga, "sam") == []


def test_an_erased_candidate_is_found_by_nobody_who_saw_her(world):
    candidate = Candidate.objects.get(pk=world.interviewed.candidate_id)
    candidate_erase(candidate=candidate, by=world.ada, reason="Asked to be forgotten")
    for user in (world.rita, world.hank, world.ivy):
        assert found(user, "carla") == [] and "Carla Candidate" not in found(user, "c"), user
        assert search_run(user=user, query="carla").candidates.paginator.count == 0


def test_the_page_holds_only_what_the_ranking_let_through_whatever_page_is_asked(world):
    """The page's candidates are fetched by id, unfiltered: the ids must be the ranking's."""
    for page in (1, 2, "999", "-1", "x"):
        results = search_run(user=world.olga, query="c", page=page)
        names = [c.full_name for c in results.candidates.object_list]
        assert set(names) <= {"Otto Other"}, page  # not Carla nor Sam: rita's job
    shown = search_run(user=world.ivy, query="carla").candidates.object_list
    # Ivy sees Carla through her seat: only the application she interviews on is listed.
    assert [a.pk for c in shown for a in c.shown_applications] == [world.interviewed.pk]


def test_nobody_on_any_team_finds_nobody_and_suggestions_follow_the_same_rule(world):
    from closeloop.accounts.models import User

    nobody = User.objects.create_user("no@example.com", "x-not-used-1", full_name="No Body")
    assert candidate_visible_sets(nobody) is not None
    assert found(nobody, "c") == []
    assert search_suggest(user=nobody, query="ca").candidates == []
    suggested = search_suggest(user=world.ivy, query="ca").candidates
    assert [c.full_name for c in suggested] == ["Carla Candidate"]
    assert candidate_visible_sets(world.ada) is None  # sees everyone: no sets to read


@pytest.mark.parametrize("who", ["rita", "ivy", "olga"])
def test_the_ranking_reads_the_sets_once_not_an_exists_per_match(world, who):
    user = getattr(world, who)
    with CaptureQueriesContext(connection) as queries:
        search_run(user=user, query="c")
    # (Before it, the one read of the tags the words may name: `search_tags`.)
    ranking = next(q["sql"] for q in queries.captured_queries if "pipeline_candidate" in q["sql"])
    assert "EXISTS" not in ranking.upper()
