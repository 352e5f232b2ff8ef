"""An interview of several interviewers is the whole panel's move: the job board's cards, the
candidate page and the search results name every interviewer on it, not the one
`next_move_owner` holds, as the queue and the application page do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.interviews.models import Interview
from closeloop.interviews.services import Slot, interview_book
from closeloop.pipeline.services import application_move

SEARCH = reverse("pipeline:search")


@pytest.fixture
def world(clock, world):
    """Carla interviewing, her Technical interview booked for Tue 8 Dec 10:00 with a panel
    of ivy and Nora Noble (an interviewer on no team)."""
    Interview.objects.all().delete()
    interviewing = world.job.stages.get(kind="interviewing")
    application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
    world.nora = User.objects.create_user(
        "nora@example.com", "pw-nora-noble", full_name="Nora Noble", is_interviewer=True
    )
    slot = Slot(
        starts_at=dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC),
        time_zone="UTC",
        interviewers=[world.ivy, world.nora],
    )
    interview_book(
        application=world.interviewed, by=world.rita, round=None, round_name="Technical", slot=slot
    )
    return world


def panel(world) -> str:
    first, second = sorted((world.ivy, world.nora), key=lambda person: person.pk)
    return f"{first.full_name} and {second.full_name}"


def around(html: str, text: str, width: int = 600) -> str:
    at = html.index(text)
    return html[at : at + width]


def test_the_job_board_card_names_the_whole_panel(world, login):
    html = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    card = around(html, "Carla Candidate", 1500)
    assert "The panel’s interview" in card
    assert panel(world) in card
    assert f"{world.ivy.full_name}’s interview" not in card


def test_the_candidate_page_names_the_whole_panel(world, login):
    page = reverse("pipeline:candidate-detail", args=[world.interviewed.candidate_id])
    html = login(world.hank).get(page).content.decode()
    assert "The panel’s interview" in html and panel(world) in html
    # On the panel, it is the reader's interview, whoever holds the move.
    html = login(world.ivy).get(page).content.decode()
    assert '<span class="move mine">Your interview</span>' in html


def test_the_search_results_name_the_whole_panel(world, login):
    html = login(world.rita).get(SEARCH, {"q": "Carla"}).content.decode()
    hit = around(html, "Backend Engineer</a>")
    assert "the panel’s interview" in hit and panel(world) in hit
    assert f"{world.ivy.full_name}'s interview" not in hit
