"""Hank asked Rita a question about Carla: wherever Hank reads the answer Rita owes him —
the escalation that reached him, his weekly update, the move on his queue's row — it is
"your question", never "Hank's"; Rita still reads whose it is.

Asked Friday 27 Nov 11:00; due a business day later (Monday 11:00), it escalates to the
job's escalation contact (Hank here) a business day after that (Tuesday 1 Dec 11:00).
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.template.loader import render_to_string

from closeloop.followups.engine import asks_advance
from closeloop.followups.models import Ask
from closeloop.pipeline.overview import escalations_reaching
from closeloop.pipeline.selectors import queue_for
from closeloop.pipeline.services import application_submit, submission_ask_question
from closeloop.touchbases.weekly import weekly_update_build, weekly_update_context

UTC = dt.UTC
FRIDAY_11 = dt.datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
TUESDAY_12 = dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
YOURS = "Answer your question about Carla Candidate"
HIS = "Answer Hank's question about Carla Candidate"


@pytest.fixture
def asked(world, clock):
    """Hank's question to Rita about Carla, unanswered."""
    submission = application_submit(
        application=world.interviewed, by=world.rita, pitch="Ran Postgres on-call for 3 years."
    )
    clock.move_to(FRIDAY_11)
    submission_ask_question(submission=submission, by=world.hank, text="Has she done on-call?")
    return Ask.objects.get(kind="answer_question")


@pytest.fixture
def escalated(world, asked, clock):
    world.job.escalation_contact = world.hank
    world.job.save(update_fields=["escalation_contact"])
    for moment in (dt.datetime(2026, 11, 30, 11, 1), dt.datetime(2026, 12, 1, 11, 1)):
        clock.move_to(moment.replace(tzinfo=UTC))
        asks_advance()
    clock.move_to(TUESDAY_12)
    asked.refresh_from_db()
    assert asked.level >= 1
    return asked


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_escalation_that_reached_the_asker_says_your_question(world, escalated, login):
    rows, _total = escalations_reaching(user=world.hank, now=TUESDAY_12)
    assert [row.title for row in rows if row.ask == escalated] == [YOURS]
    client = login(world.hank)
    for page in (text(client.get("/")), text(client.get("/queue/escalations/"))):
        assert YOURS in page and HIS not in page


def test_the_askers_weekly_update_says_your_question(world, asked):
    update = weekly_update_build(person=world.hank, now=FRIDAY_11)
    rows = [row for group in update.waits for row in group.rows if row.ask == asked]
    assert [row.title for row in rows] == [YOURS]
    for ext in ("txt", "html"):
        body = html.unescape(
            render_to_string(f"emails/weekly-update-body.{ext}", weekly_update_context(update))
        )
        assert YOURS in body and HIS not in body
    ritas = weekly_update_build(person=world.rita, now=FRIDAY_11)
    assert [row.title for g in ritas.waits for row in g.rows if row.ask == asked] == [HIS]


def test_the_move_says_your_question_when_no_ask_sits_beside_it(world, asked):
    """An answer no ask tracks (opened before the engine did): the row's own move says it."""
    asked.delete()
    [hanks] = [
        item
        for item in queue_for(user=world.hank, now=FRIDAY_11).owed_to_me
        if item.application == world.interviewed
    ]
    assert hanks.move == "Answer your question"
    [ritas] = [
        item
        for item in queue_for(user=world.rita, now=FRIDAY_11).i_owe
        if item.application == world.interviewed
    ]
    assert ritas.move == "Answer Hank's question"
