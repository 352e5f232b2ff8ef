"""A candidate waits on the move's owner from when the move became theirs: an older ask the
new owner owes about the candidate (news owed while the hiring manager sat on a review)
does not date the hand-off back. The queue, the application page, the waits page and the
job page read that one clock, and "Nudge now" chases the follow-up that is overdue."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from closeloop.followups.models import Ask, AskStatus
from closeloop.insights.selectors import waits_chased
from closeloop.insights.waits import waits_now
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import (
    application_move_wait,
    job_waiting_on,
    queue_items,
    queue_rows,
    queue_sets,
)
from closeloop.pipeline.services import application_submit, submission_ask_question

# Wednesday 2 Dec 2026, 10:00 UTC: Sam's news (owed since Mon 23 Nov) is days overdue.
WEDNESDAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(clock, world):
    """The shared world, built at the frozen Monday morning (23 Nov 2026 10:00 UTC)."""
    return world


@pytest.fixture
def asked(world, clock):
    """rita submitted Sam on Monday; hank sat on it until Wednesday next week, then asked her
    a question: the move is hers since then, and the news she owes Sam is overdue."""
    submission = application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    clock.move_to(WEDNESDAY)
    submission_ask_question(submission=submission, by=world.hank, text="Visa?")
    world.sourced.refresh_from_db()
    return world.sourced


def _news(world) -> Ask:
    return Ask.objects.get(
        application=world.sourced, kind="update_candidate", status=AskStatus.OPEN
    )


def _rita_items(world):
    rows = queue_rows(queue_sets(user=world.rita, now=WEDNESDAY).i_owe, now=WEDNESDAY)
    return [item for item in queue_items(rows, now=WEDNESDAY) if item.application == world.sourced]


def test_the_news_owed_since_before_is_overdue_but_the_move_is_new(world, asked):
    assert _news(world).opened_at < WEDNESDAY - dt.timedelta(days=7)
    assert _news(world).due_at < WEDNESDAY
    assert asked.next_move_owner == world.rita and asked.next_move_since == WEDNESDAY


def test_the_queue_counts_the_wait_on_rita_from_the_hand_off(world, asked):
    (item,) = _rita_items(world)
    assert item.move == "Answer Hank's question"
    assert item.since == WEDNESDAY and item.days == 0 and item.urgency == ""


def test_the_application_page_reads_the_same_clock(world, asked, login):
    assert application_move_wait(application=asked, now=WEDNESDAY).since == WEDNESDAY
    response = login(world.hank).get(reverse("pipeline:application-detail", args=[asked.pk]))
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "Whose move Rita Recruiter waiting 1 min · since Wed 02 Dec 10:00" in text
    # The news she owes is late on its own clock, beside the move.
    assert "Give Sam Sourced news (Backend Engineer) 4 business days overdue" in text


def test_the_job_page_and_the_waits_page_read_the_same_clock(world, asked):
    Application.objects.filter(pk=world.interviewed.pk).update(next_move_owner=world.hank)
    rows = job_waiting_on(user=world.ada, job=world.job, now=WEDNESDAY)
    (rita,) = [row for row in rows if row.person_id == world.rita.pk]
    assert rita.count == 1 and rita.since == WEDNESDAY
    now = waits_now(viewer=world.ada, now=WEDNESDAY)
    (item,) = [item for item in now.longest if item.application == asked]
    assert item.owner == world.rita and item.since == WEDNESDAY and item.days == 0


def test_nudge_now_chases_the_overdue_news_not_the_question_just_asked(world, asked):
    (chase,) = waits_chased(viewer=world.ada, items=_rita_items(world))
    assert chase.ask == _news(world)


def test_a_decision_owed_since_before_the_move_still_dates_the_wait(world, clock):
    """The move's own ask (hank's review, opened at the submission) dates his wait back
    when the move is recorded as his later: a question rita answered on Wednesday."""
    from closeloop.pipeline.services import question_answer

    submission = application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    question = submission_ask_question(submission=submission, by=world.hank, text="Visa?")
    clock.move_to(WEDNESDAY)
    question_answer(question=question, by=world.rita, answer="Yes.")
    world.sourced.refresh_from_db()
    assert world.sourced.next_move_owner == world.hank
    wait = application_move_wait(application=world.sourced, now=WEDNESDAY)
    assert wait.since == submission.submitted_at
