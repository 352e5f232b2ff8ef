"""A list of My queue that the filters emptied says the filters did, with a link that clears
them, rather than that nobody owes anything: candidates still wait outside the filter."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from closeloop.pipeline.services import application_submit

QUEUE = reverse("pipeline:queue")
OUTCOME = "inform_candidate"  # "Tell the candidate the outcome": nobody owes one here


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


@pytest.fixture
def waits_on_hank(world):
    """Sam, submitted: his next move is hank's review, so he waits on others for rita."""
    application_submit(application=world.sourced, by=world.rita, pitch="Strong fit.")
    return world.sourced


def test_waiting_on_others_emptied_by_a_kind_says_the_filter_did(world, login, waits_on_hank):
    client = login(world.rita)
    assert "Sam Sourced" in section(client.get(QUEUE).content.decode(), "on-others")

    html = client.get(QUEUE, {"job": "", "kind": OUTCOME}).content.decode()
    others = section(html, "on-others")
    assert "Sam Sourced" not in others
    assert "Nobody else owes a move in your jobs right now" not in others
    assert (
        "No candidate waits on others for “Tell the candidate the outcome” follow-ups in your "
        "jobs; without "
        "the filter, 1 candidate waits on others. Clear the filter to see everything."
    ) in text(others)
    assert f'<a href="{QUEUE}">Clear the filter</a>' in others


def test_waiting_on_you_emptied_by_filters_names_them(world, login, waits_on_hank):
    client = login(world.rita)
    html = client.get(QUEUE, {"job": world.job.pk, "kind": OUTCOME, "overdue": "on"}).content
    mine = text(section(html.decode(), "on-you"))
    assert "You are all caught up" not in mine
    assert (
        "No candidate waits on you for overdue “Tell the candidate the outcome” follow-ups in "
        "Backend Engineer. Clear the filters to see everything."
    ) in mine
    assert "Nothing within the filters waits on you." in text(html.decode())


def test_a_see_all_page_emptied_by_the_filter_says_so(world, login, waits_on_hank):
    page = reverse("pipeline:queue-list", args=["waiting-on-others"])
    html = login(world.rita).get(page, {"kind": OUTCOME}).content.decode()
    assert "Nothing here right now" not in html
    assert "Nothing here within the filter." in text(html)
    assert f'<a href="{page}">Clear the filter</a>' in html


def test_unfiltered_the_empty_lists_keep_their_words(world, login):
    html = login(world.rita).get(QUEUE).content.decode()
    assert "Nobody else owes a move in your jobs right now." in text(section(html, "on-others"))
    assert "Clear the filter" not in html


def test_the_counts_are_named_only_when_the_filters_leave_some(world, login, waits_on_hank):
    """Rita filtered to a kind she owes none of: no count shows at the top, so the line
    under the filters does not point at "the counts above"."""
    said = text(login(world.rita).get(QUEUE, {"kind": OUTCOME}).content.decode())
    assert "Only “Tell the candidate the outcome” follow-ups" in said
    assert "the counts above count them" not in said
    said = text(login(world.hank).get(QUEUE, {"kind": "review_submission"}).content.decode())
    assert "waits on you" in said or "wait on you" in said
    assert "the counts above count them" in said


def test_a_kind_about_no_candidate_is_listed_below_the_empty_candidates_it_speaks_of(
    world, login, waits_on_hank
):
    """hank owes rita's job an action item: filtered to that kind, *Waiting on others* has no
    candidate, and says so of candidates, not that nobody owes such follow-ups while the
    list under it shows his."""
    from closeloop.followups.services import ask_open

    ask_open(
        kind="action_item", subject="action:profiles", owner=world.hank, job=world.job,
        title="Share two example profiles (Backend Engineer)", due_on=world.job.created_at.date(),
    )  # fmt: skip
    html = login(world.rita).get(QUEUE, {"kind": "action_item"}).content.decode()
    others = text(section(html, "on-others"))
    assert "Share two example profiles" in text(section(html, "asks-theirs"))
    assert "Nobody else owes" not in others
    assert "No candidate waits on others for “" in others
    assert (
        "follow-ups in your jobs; without the filter, 1 candidate waits on others; the "
        "follow-ups others owe are listed below. Clear the filter to see everything."
    ) in others
