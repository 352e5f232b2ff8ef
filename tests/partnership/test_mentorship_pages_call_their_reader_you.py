"""Mentorship pages name their reader "you": the admin who proposed a pairing reads "Proposed
… by you", the mentor reads the session as "You (mentor) and Hank Manager"; the others read
them by name."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from mentorship_data import active_mentorship


@pytest.fixture
def world(clock, world):
    return world


def read(client, url: str) -> str:
    return " ".join(html.unescape(client.get(url).content.decode()).split())


def test_each_reads_their_own_part_of_a_mentorship_as_you(world, login):
    mentorship = active_mentorship(world.olga, world.hank, by=world.ada)
    detail = reverse("partnership:mentorship-detail", args=[mentorship.pk])
    adas, hanks = read(login(world.ada), detail), read(login(world.hank), detail)
    assert " by you</dd>" in adas.split("<dt>Proposed</dt>")[1] and "by Ada" not in adas
    assert " by Ada Admin</dd>" in hanks.split("<dt>Proposed</dt>")[1]
    session = reverse("partnership:mentorship-session", args=[mentorship.sessions.get().pk])
    assert "You (mentor) and Hank Manager ·" in read(login(world.olga), session)
    assert "Olga Outsider (mentor) and you ·" in read(login(world.hank), session)


def test_an_admin_reads_her_own_mentorship_in_the_list_as_hers(world, login):
    active_mentorship(world.ada, world.hank)
    text = read(login(world.ada), reverse("partnership:mentorship-list"))
    assert "Ada Admin mentoring" not in text and "Your mentorship of Hank Manager" in text


def _title(page: str) -> str:
    return page.split("<title>")[1].split("</title>")[0]


def test_the_mentorship_page_title_names_its_reader_you(world, login):
    mentorship = active_mentorship(world.olga, world.hank, by=world.ada)
    detail = reverse("partnership:mentorship-detail", args=[mentorship.pk])
    olgas, hanks, adas = (read(login(who), detail) for who in (world.olga, world.hank, world.ada))
    assert "Your mentorship of Hank Manager" in _title(olgas) and "Olga" not in _title(olgas)
    assert "Olga Outsider as your mentor" in _title(hanks) and "Hank" not in _title(hanks)
    assert "Olga Outsider mentoring Hank Manager" in _title(adas)
    assert "<h1>Your mentorship of Hank Manager" in olgas
    assert "<h1>Olga Outsider as your mentor" in hanks


def test_the_mentee_reads_the_prompts_about_their_own_work_as_yours(world, login, clock):
    """The prompts are drawn from the mentee's work: the mentee reads "your work" and
    "waiting on you", the mentor the mentee's name, on the pairing's and the session's page."""
    mentorship = active_mentorship(world.olga, world.hank)
    detail = reverse("partnership:mentorship-detail", args=[mentorship.pk])
    session = reverse("partnership:mentorship-session", args=[mentorship.sessions.get().pk])
    hanks, olgas = read(login(world.hank), detail), read(login(world.olga), detail)
    assert "Drawn from your work now" in hanks and "Hank's" not in hanks
    assert "Nothing in your recent work calls for a prompt." in hanks
    assert "pairing you again is a new proposal" in hanks and "them again" not in hanks
    assert "Drawn from Hank's work now" in olgas
    assert "Nothing in Hank's recent work calls for a prompt." in olgas
    assert "mentee's" not in hanks + olgas
    assert "Nothing in your recent work calls for a prompt." in read(login(world.hank), session)
    # A candidate waits on Hank's move for nine business days: the prompt names whom.
    world.sourced.next_move_owner = world.hank
    world.sourced.next_move_since = timezone.now()
    world.sourced.save()
    clock.move_to(timezone.now() + dt.timedelta(days=12))
    for url in (detail, session):
        hanks, olgas = read(login(world.hank), url), read(login(world.olga), url)
        assert "1 candidate waiting on you for over 5 business days" in hanks
        assert "waiting on Hank" not in hanks
        assert "1 candidate waiting on Hank for over 5 business days" in olgas
