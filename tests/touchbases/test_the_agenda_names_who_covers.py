"""While hank is away with olga covering, the agenda says whom each candidate, overdue ask
and action item waits on now, as the job page and My queue do: the delegate, covering for
him; and a question is the asker's, not the job's hiring manager's."""

from __future__ import annotations

import datetime as dt

import pytest

from closeloop.pipeline.services import application_submit, submission_ask_question
from closeloop.touchbases.selectors import agenda_build

AWAY_FROM = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
BACK_ON = dt.datetime(2026, 12, 11, 0, 0, tzinfo=dt.UTC)  # a Friday
THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
COVER = "covering for Hank Manager (out of office until Fri 11 Dec)"


def _items(agenda: dict, key: str) -> list[dict]:
    return next(s for s in agenda["sections"] if s["key"] == key)["items"]


@pytest.fixture
def hank_away(world):
    world.hank.out_of_office_from, world.hank.out_of_office_until = AWAY_FROM, BACK_ON
    world.hank.delegate = world.olga
    world.hank.save()
    return world.hank


@pytest.fixture
def submitted(world, hank_away):
    return application_submit(
        application=world.interviewed, by=world.rita, pitch="Ran Postgres on-call.",
        must_haves_met=["Python"],
    )  # fmt: skip


def test_a_question_the_delegate_asked_is_hers_not_the_managers(world, current, submitted, clock):
    clock.move_to(THURSDAY_14 - dt.timedelta(hours=2))
    submission_ask_question(submission=submitted, by=world.olga, text="On call since when?")
    clock.move_to(THURSDAY_14)
    agenda = agenda_build(touchbase=current)
    [decision] = _items(agenda, "decisions")
    assert decision["text"] == "Carla Candidate: waiting for Rita"
    assert "Olga's question unanswered for 2 business hours" in decision["detail"]
    assert "Hank" not in decision["detail"]
