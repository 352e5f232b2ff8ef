"""While hank is away with olga covering, the agenda says whom each candidate, overdue ask
and action item waits on now, as the job page and My queue do: the delegate, covering for
him; and a question is the asker's, not the job's hiring manager's."""

from __future__ import annotations

import datetime as dt

import pytest

from closeloop.pipeline.services import application_submit, submission_ask_question
from closeloop.touchbases.selectors import agenda_build, touchbase_current
from closeloop.touchbases.services import action_item_add, touchbase_hold, touchbases_advance

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
COVER = "covering for Hank Manager (out of office until Fri 11 Dec)"


def _items(agenda: dict, key: str) -> list[dict]:
    return next(s for s in agenda["sections"] if s["key"] == key)["items"]


@pytest.fixture
def submitted(world, hank_away):
    return application_submit(
        application=world.interviewed, by=world.rita, pitch="Ran Postgres on-call.",
        must_haves_met=["Python"],
    )  # fmt: skip


def test_a_decision_waits_on_the_delegate_covering_for_the_manager(
    world, current, submitted, clock
):
    """The job page and My queue say the candidate waits on olga, covering for hank."""
    clock.move_to(THURSDAY_14)
    agenda = agenda_build(touchbase=current)
    [decision] = _items(agenda, "decisions")
    assert decision["text"] == f"Carla Candidate: waiting for Olga, {COVER}"
    # Each one the line names reads it as "you": olga covering, hank covered for.
    you = decision["you"]
    assert you[str(world.olga.pk)]["text"] == f"Carla Candidate: waiting for you, {COVER}"
    assert you[str(world.hank.pk)]["text"] == (
        "Carla Candidate: waiting for Olga, covering for you (out of office until Fri 11 Dec)"
    )
    assert str(world.rita.pk) not in you
    # Her overdue review is hank's, held for him: the line says so.
    [overdue] = [item for item in _items(agenda, "overdue") if "Olga" in item["text"]]
    assert overdue["text"] == f"Olga Outsider, {COVER}: 1 overdue"
    # olga reads her line as hers, hank as the one covered for.
    assert overdue["you"][str(world.olga.pk)]["text"] == f"You, {COVER}: 1 overdue"
    assert overdue["you"][str(world.hank.pk)]["text"] == (
        "Olga Outsider, covering for you (out of office until Fri 11 Dec): 1 overdue"
    )


def test_a_new_submission_with_a_question_open_waits_for_the_answer(
    world, current, submitted, clock
):
    submission_ask_question(submission=submitted, by=world.olga, text="On call since when?")
    [new] = _items(agenda_build(touchbase=current), "new_submissions")
    assert new["detail"] == "submitted by Rita Recruiter · Waiting for Rita's answer"


def test_an_action_item_the_delegate_holds_names_her(world, series, hank_away, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=10))
    first = series.occurrences.get()
    action_item_add(
        touchbase=first, by=world.rita, description="Share the salary bands",
        owner=world.hank, due_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    touchbase_hold(touchbase=first, by=world.rita)
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=1))
    touchbases_advance()
    [carried] = _items(agenda_build(touchbase=touchbase_current(series=series)), "carried")
    assert carried["detail"] == f"Olga Outsider, {COVER} · due Mon 30 Nov"
    assert carried["you"][str(world.olga.pk)]["detail"] == f"You, {COVER} · due Mon 30 Nov"
    assert carried["you"][str(world.hank.pk)]["detail"] == (
        "Olga Outsider, covering for you (out of office until Fri 11 Dec) · due Mon 30 Nov"
    )


def test_a_question_the_delegate_asked_is_hers_not_the_managers(world, current, submitted, clock):
    clock.move_to(THURSDAY_14 - dt.timedelta(hours=2))
    submission_ask_question(submission=submitted, by=world.olga, text="On call since when?")
    clock.move_to(THURSDAY_14)
    agenda = agenda_build(touchbase=current)
    [decision] = _items(agenda, "decisions")
    assert decision["text"] == "Carla Candidate: waiting for Rita"
    assert "Olga's question unanswered for 2 business hours" in decision["detail"]
    assert "Hank" not in decision["detail"]
    # Rita, whose answer it waits for, and olga, who asked, read it as theirs.
    you = decision["you"]
    assert you[str(world.rita.pk)]["text"] == "Carla Candidate: waiting for you"
    assert you[str(world.olga.pk)]["detail"].endswith(
        "; your question unanswered for 2 business hours"
    )
    assert str(world.hank.pk) not in you


def test_a_debrief_decision_the_delegate_holds_names_whom_she_covers_for(world, current, hank_away):
    from closeloop.followups.services import ask_open

    ask_open(
        kind="decide_after_debrief", subject="test-debrief:1", title="Decide on Carla",
        owner=world.hank, application=world.interviewed, job=world.job,
    )  # fmt: skip
    [owed] = _items(agenda_build(touchbase=current), "debriefs")
    assert owed["detail"].startswith(f"decision owed by Olga, {COVER}")
    # Each of the two reads it as theirs; rita reads the line as it stands.
    you = owed["you"]
    assert you[str(world.olga.pk)]["detail"].startswith(f"decision owed by you, {COVER}")
    assert you[str(world.hank.pk)]["detail"].startswith(
        "decision owed by Olga, covering for you (out of office until Fri 11 Dec)"
    )
    assert str(world.rita.pk) not in you


def test_a_new_submission_waits_on_the_delegate_as_the_application_page_says(
    world, current, submitted, clock
):
    clock.move_to(THURSDAY_14)
    [new] = _items(agenda_build(touchbase=current), "new_submissions")
    assert new["detail"].endswith("Waiting for Olga Outsider, covering for Hank Manager")
    assert new["you"][str(world.olga.pk)]["detail"].endswith("· Waiting for you")
    assert new["you"][str(world.hank.pk)]["detail"].endswith(
        "Waiting for Olga Outsider, covering for you"
    )
