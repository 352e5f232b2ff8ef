"""My queue stays small for a busy person: the first rows of each list with true counts, the
rest on the list's own pages, every ask shown exactly once somewhere."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from closeloop.followups.models import Ask
from closeloop.jobs.models import StageKind
from closeloop.pipeline.models import Application, Candidate
from closeloop.pipeline.queue import QUEUE_SHOWN

QUEUE = reverse("pipeline:queue")
WAITING = 55  # candidates waiting on hank: more than the queue shows, two list pages
LOOSE = QUEUE_SHOWN + 7  # asks hank owes about no listed candidate


def _list(slug: str, page: int = 1) -> str:
    return reverse("pipeline:queue-list", args=[slug]) + f"?page={page}"


@pytest.fixture
def busy_hank(world):
    """Hank owes a review on WAITING candidates (oldest first: Cand 000 waited longest) and
    LOOSE asks about no candidate; one review is overdue. The world gave him none."""
    assert not Ask.objects.filter(owner=world.hank).exists()
    assert not Application.objects.filter(next_move_owner=world.hank).exists()
    now = timezone.now()
    stage = world.job.stages.get(kind=StageKind.HM_REVIEW)
    candidates = Candidate.objects.bulk_create(
        Candidate(full_name=f"Cand {i:03}", email=f"cand{i}@busy.example") for i in range(WAITING)
    )
    applications = Application.objects.bulk_create(
        Application(
            candidate=candidate,
            job=world.job,
            stage=stage,
            next_move_owner=world.hank,
            next_move_since=now - dt.timedelta(hours=WAITING - i),
            entered_stage_at=now - dt.timedelta(hours=WAITING - i),
        )
        for i, candidate in enumerate(candidates)
    )
    reviews = [
        Ask(
            kind="review_submission",
            subject=f"busy:{application.pk}",
            title=f"Review {application.candidate.full_name}",
            owner=world.hank,
            job=world.job,
            application=application,
            opened_at=now - dt.timedelta(days=1),
            due_at=now + dt.timedelta(days=1) if i else now - dt.timedelta(hours=1),
        )
        for i, application in enumerate(applications)
    ]
    loose = [
        Ask(
            kind="sign_intake",
            subject=f"loose:{i}",
            title=f"Loose ask {i:03}",
            owner=world.hank,
            job=world.job,
            due_at=now + dt.timedelta(hours=i + 1),
        )
        for i in range(LOOSE)
    ]
    Ask.objects.bulk_create(reviews + loose)
    return world.hank


def _names(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


def test_the_queue_shows_the_first_rows_and_the_true_counts(busy_hank, login):
    html = login(busy_hank).get(QUEUE).content.decode()
    listed = list(dict.fromkeys(_names(html, r"Cand \d{3}")))
    assert listed == [f"Cand {i:03}" for i in range(QUEUE_SHOWN)]  # the oldest waits first
    assert f"Showing the {QUEUE_SHOWN} oldest of {WAITING}." in html
    assert f'href="{_list("waiting-on-you").split("?")[0]}">See all {WAITING}</a>' in html
    assert f"You owe {WAITING + LOOSE} follow-ups</strong>, 1 overdue." in html
    loose_shown = _names(html, r"Loose ask \d{3}")
    assert loose_shown == [f"Loose ask {i:03}" for i in range(QUEUE_SHOWN)]  # due first
    assert f"Showing the {QUEUE_SHOWN} due first of {LOOSE}." in html
    assert f'href="{_list("follow-ups").split("?")[0]}">See all {LOOSE}</a>' in html


def test_the_page_stays_small_whatever_the_backlog(busy_hank, login):
    size = len(login(busy_hank).get(QUEUE).content)
    # Forty more waiting candidates and their asks add nothing to the page.
    now = timezone.now()
    stage = busy_hank.asks_owed.first().application.stage
    for i in range(40):
        candidate = Candidate.objects.create(full_name=f"More {i}", email=f"more{i}@busy.example")
        Application.objects.create(
            candidate=candidate,
            job=stage.job,
            stage=stage,
            next_move_owner=busy_hank,
            next_move_since=now,
        )
    assert len(login(busy_hank).get(QUEUE).content) < size * 1.02


def test_the_list_pages_hold_every_row_once_in_order(busy_hank, login):
    client = login(busy_hank)
    seen: list[str] = []
    for page in (1, 2):
        html = client.get(_list("waiting-on-you", page)).content.decode()
        seen += list(dict.fromkeys(_names(html, r"Cand \d{3}")))
    waiting = [f"Cand {i:03}" for i in range(WAITING)]
    assert seen[:WAITING] == waiting
    # Each review sits beside its candidate there, not in the follow-ups list.
    page_one = client.get(_list("waiting-on-you")).content.decode()
    assert page_one.count(">Review Cand ") == 50  # a page of the list
    asks_html = client.get(_list("follow-ups")).content.decode()
    assert "Review Cand" not in asks_html
    assert _names(asks_html, r"Loose ask \d{3}") == [f"Loose ask {i:03}" for i in range(LOOSE)]


def test_an_ask_beside_a_candidate_past_the_first_rows_is_not_listed_twice(busy_hank, login):
    html = login(busy_hank).get(QUEUE).content.decode()
    last = f"Cand {WAITING - 1:03}"
    assert last not in html  # its candidate is on the list's second page, with its review
    assert f"Review {last}" not in html
    assert f"{WAITING} shown beside their candidates" in html


@pytest.mark.parametrize("value", ["0", "-1", "abc", "9999", "2²"])
def test_a_page_that_is_not_one_answers_the_first(busy_hank, login, value):
    response = login(busy_hank).get(_list("waiting-on-you").split("?")[0], {"page": value})
    assert response.status_code == 200
    assert "Cand 000" in response.content.decode()


def test_an_unknown_list_is_not_found_and_others_see_only_theirs(busy_hank, world, login):
    assert login(busy_hank).get(reverse("pipeline:queue-list", args=["nope"])).status_code == 404
    html = login(world.olga).get(_list("waiting-on-others")).content.decode()
    assert "Cand 0" not in html
    rita = login(world.rita).get(_list("waiting-on-others")).content.decode()
    assert "Cand 000" in rita and "Hank Manager:" in rita
