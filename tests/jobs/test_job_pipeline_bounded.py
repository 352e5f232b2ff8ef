"""The job page stays small however many candidates a job has.

Each board column shows its longest-waiting cards (BOARD_COLUMN_CARDS) with the column's true
count and a "Show all" link to the list filtered to that stage; the closed group is bounded
the same way. The list shows LIST_PAGE_SIZE rows a page, with its sort, stage and status in
the query string. The queries a page runs do not depend on how many applications there are.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeloop.pipeline.models import Application, ApplicationStatus, Candidate, Submission
from closeloop.pipeline.selectors import BOARD_CLOSED_ROWS, BOARD_COLUMN_CARDS, LIST_PAGE_SIZE


def url(job, **query) -> str:
    base = reverse("jobs:job-detail", kwargs={"pk": job.pk})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def crowd(job, n, *, stage="Sourced", status=ApplicationStatus.ACTIVE, prefix="Crowd"):
    """`n` applications in one stage, row i waiting i hours longer than row 0 (plain ORM)."""
    now = timezone.now()
    in_stage = job.stages.get(name=stage)
    candidates = Candidate.objects.bulk_create(
        Candidate(full_name=f"{prefix} {i:03d}", email=f"{prefix.lower()}{i}@crowd.example")
        for i in range(n)
    )
    closed = status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
    return Application.objects.bulk_create(
        Application(
            candidate=candidate,
            job=job,
            stage=in_stage,
            status=status,
            entered_stage_at=now - dt.timedelta(hours=i),
            next_move_owner=None if closed else job.recruiter,
            next_move_since=None if closed else now - dt.timedelta(hours=i),
            closed_at=now - dt.timedelta(minutes=i) if closed else None,
            closed_reason="skills" if closed else "",
        )
        for i, candidate in enumerate(candidates)
    )


def names(rows) -> list[str]:
    return [row.candidate.full_name for row in rows]


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


# --- the board -----------------------------------------------------------------------------


def test_a_crowded_column_shows_its_longest_waiting_cards_and_its_true_count(world, login):
    crowd(world.job, BOARD_COLUMN_CARDS + 15, stage="Submitted")
    response = login(world.rita).get(url(world.job))
    column = next(c for c in response.context["board"].columns if c.stage.name == "Submitted")
    assert column.count == BOARD_COLUMN_CARDS + 15
    assert len(column.cards) == BOARD_COLUMN_CARDS
    longest = sorted(range(BOARD_COLUMN_CARDS + 15), reverse=True)[:BOARD_COLUMN_CARDS]
    assert names(column.cards) == [f"Crowd {i:03d}" for i in longest]
    html = response.content.decode()
    stage = world.job.stages.get(name="Submitted")
    assert f'href="{url(world.job)}?view=list&amp;stage={stage.pk}"' in html
    assert f"Show all {BOARD_COLUMN_CARDS + 15}" in html
    assert html.count('<li class="card') == BOARD_COLUMN_CARDS + 2  # and Carla and Sam in Sourced


def test_a_column_that_fits_has_no_show_all_link(world, login):
    crowd(world.job, BOARD_COLUMN_CARDS - 2)  # + Carla and Sam: exactly full
    response = login(world.rita).get(url(world.job))
    column = response.context["board"].columns[0]
    assert (column.count, len(column.cards)) == (BOARD_COLUMN_CARDS, BOARD_COLUMN_CARDS)
    assert "Show all" not in response.content.decode()


def test_the_column_count_counts_only_what_the_viewer_may_see(world, login):
    crowd(world.job, BOARD_COLUMN_CARDS + 5)
    response = login(world.ivy).get(url(world.job))
    column = response.context["board"].columns[0]
    assert (column.count, names(column.cards)) == (1, ["Carla Candidate"])
    assert b"Show all" not in response.content


def test_the_closed_group_is_bounded_with_its_count_and_a_link(world, login):
    crowd(world.job, BOARD_CLOSED_ROWS + 7, status=ApplicationStatus.REJECTED, prefix="Gone")
    response = login(world.rita).get(url(world.job))
    board = response.context["board"]
    assert board.closed_count == BOARD_CLOSED_ROWS + 7
    # Most recently closed first: row i closed i minutes ago.
    assert names(board.closed) == [f"Gone {i:03d}" for i in range(BOARD_CLOSED_ROWS)]
    html = response.content.decode()
    assert f"Closed: {BOARD_CLOSED_ROWS + 7} rejected or withdrawn" in html
    assert f'href="{url(world.job)}?view=list&amp;status=closed"' in html


def test_stale_cards_are_flagged_from_the_stored_stage_time(world, login):
    crowd(world.job, 3, stage="Offer")
    hired = crowd(world.job, 1, stage="Hired", status=ApplicationStatus.HIRED, prefix="Hired")
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, hours=1)):
        response = login(world.rita).get(url(world.job))
    stale = {
        card.candidate.full_name: card.is_stale
        for column in response.context["board"].columns
        for card in column.cards
    }
    assert stale["Crowd 000"] is True and stale["Carla Candidate"] is True
    assert stale[hired[0].candidate.full_name] is False  # a hired card is never stale


@pytest.mark.parametrize("view", ["board", "list", "list-closed"])
def test_the_job_page_runs_as_many_queries_for_3_applications_as_for_80(world, login, view):
    query = {
        "board": {},
        "list": {"view": "list"},
        "list-closed": {"view": "list", "status": "all"},
    }
    path = url(world.job, **query[view])
    client = login(world.rita)
    crowd(world.job, 1, prefix="First")
    client.get(path)  # warm: per-process caches
    few = queries(client, path)
    for stage in ["Sourced", "Submitted", "Interviewing", "Offer"]:
        crowd(world.job, 15, stage=stage, prefix=stage)
    crowd(world.job, 15, status=ApplicationStatus.REJECTED, prefix="Gone")
    crowd(world.job, 2, stage="Hired", status=ApplicationStatus.HIRED, prefix="Hired")
    for application in Application.objects.filter(job=world.job, stage__name="Submitted"):
        Submission.objects.create(application=application, pitch="Good")
    assert Application.objects.filter(job=world.job).count() >= 80
    assert queries(client, path) == few


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_fifty_rows_a_page_in_the_order_asked(world, login):
    crowd(world.job, LIST_PAGE_SIZE + 8)  # + Carla and Sam: 60 open rows
    client = login(world.rita)
    first = client.get(url(world.job, view="list", sort="-name"))
    second = client.get(url(world.job, view="list", sort="-name", page=2))
    everyone = sorted(
        [f"Crowd {i:03d}" for i in range(LIST_PAGE_SIZE + 8)] + ["Carla Candidate", "Sam Sourced"],
        reverse=True,
    )
    assert names(first.context["rows"]) == everyone[:LIST_PAGE_SIZE]
    assert names(second.context["rows"]) == everyone[LIST_PAGE_SIZE:]
    assert first.context["page"].paginator.count == LIST_PAGE_SIZE + 10
    html = first.content.decode()
    assert "?view=list&amp;sort=-name&amp;page=2" in html  # the pager keeps the sort
    assert "Page 1 of 2" in html
    # A header link keeps the filters and starts again at page 1.
    headers = second.context["headers"]
    assert headers["name"].url.endswith("?view=list&sort=name")


def test_show_all_of_a_column_lists_that_stage_only(world, login):
    crowd(world.job, 3, stage="Offer")
    offer = world.job.stages.get(name="Offer")
    client = login(world.rita)
    response = client.get(url(world.job, view="list", stage=offer.pk))
    assert names(response.context["rows"]) == ["Crowd 002", "Crowd 001", "Crowd 000"]
    html = response.content.decode()
    assert f'<option value="{offer.pk}" selected>Offer</option>' in html
    sorted_ = client.get(url(world.job, view="list", stage=offer.pk, sort="name"))
    assert names(sorted_.context["rows"]) == ["Crowd 000", "Crowd 001", "Crowd 002"]
    assert sorted_.context["headers"]["name"].url.endswith(
        f"?view=list&sort=-name&stage={offer.pk}"
    )


def test_the_status_filter_shows_open_closed_or_all(world, login):
    crowd(world.job, 2, status=ApplicationStatus.REJECTED, prefix="Gone")
    crowd(world.job, 1, status=ApplicationStatus.WITHDRAWN, prefix="Left")
    client = login(world.rita)

    def listed(**query):
        return sorted(names(client.get(url(world.job, view="list", **query)).context["rows"]))

    assert listed() == ["Carla Candidate", "Sam Sourced"]
    assert listed(status="closed") == ["Gone 000", "Gone 001", "Left 000"]
    assert listed(status="all") == [
        "Carla Candidate", "Gone 000", "Gone 001", "Left 000", "Sam Sourced",
    ]  # fmt: skip
    html = client.get(url(world.job, view="list", status="closed")).content.decode()
    assert "Missing a must-have skill" in html  # a closed row says why


def test_ivy_filters_only_what_she_may_see(world, login):
    crowd(world.job, 3, status=ApplicationStatus.REJECTED, prefix="Gone")
    response = login(world.ivy).get(url(world.job, view="list", status="all"))
    assert names(response.context["rows"]) == ["Carla Candidate"]
    assert response.context["page"].paginator.count == 1


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"page": "abc"}, "showing page 1"),
        ({"page": "0"}, "showing page 1"),
        ({"page": "-3"}, "showing page 1"),
        ({"page": "99"}, "There is no page 99; showing page 1"),
        ({"stage": "abc"}, "showing every stage"),
        ({"stage": "999999"}, "showing every stage"),
        ({"status": "bogus"}, "showing the open candidates"),
    ],
)
def test_a_bad_page_or_filter_shows_a_page_and_says_why(world, login, query, notice):
    crowd(world.job, LIST_PAGE_SIZE)
    response = login(world.rita).get(url(world.job, view="list", **query))
    assert response.status_code == 200
    assert notice in response.content.decode()
    assert len(response.context["rows"]) == LIST_PAGE_SIZE


def test_a_stage_of_another_job_is_not_a_filter(world, login):
    other_stage = world.other_job.stages.order_by("position").first()
    response = login(world.rita).get(url(world.job, view="list", stage=other_stage.pk))
    assert "showing every stage" in response.content.decode()
    assert sorted(names(response.context["rows"])) == ["Carla Candidate", "Sam Sourced"]


def test_an_empty_filter_says_so_and_offers_the_whole_list(world, login):
    offer = world.job.stages.get(name="Offer")
    response = login(world.rita).get(url(world.job, view="list", stage=offer.pk))
    html = response.content.decode()
    assert "No candidates match" in html
    assert f'href="{url(world.job)}?view=list"' in html


def test_the_closed_group_chooses_its_rows_before_joining_their_candidates(world, login):
    """The latest closed are picked among the job's applications alone (a LIMIT inside the
    query), then joined: sorted with the candidates joined, PostgreSQL hashed every
    candidate of the organisation to keep ten."""
    crowd(world.job, BOARD_CLOSED_ROWS + 2, status=ApplicationStatus.REJECTED, prefix="Gone")
    with CaptureQueriesContext(connection) as queries:
        login(world.rita).get(url(world.job))
    (closed,) = [
        q["sql"]
        for q in queries
        if "ORDER BY COALESCE" in q["sql"] and "pipeline_candidate" in q["sql"]
    ]
    outer, _, inner = closed.partition("IN (SELECT")
    assert "LIMIT" in inner and "pipeline_candidate" not in inner
    assert "LIMIT" not in outer
