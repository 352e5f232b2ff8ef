"""While the HM waits for the recruiter's answer, every page says so, and none says "escalated";
to the recruiter herself, it is "your answer" (pages name their reader "you").

Submitted Monday 23 Nov 10:00; the review escalates to the admins by Friday 10:00, when hank
asks rita a question.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest

from closeloop.followups.engine import asks_advance
from closeloop.followups.models import Ask
from closeloop.followups.selectors import ask_rows, asks_owed_by
from closeloop.pipeline.selectors import submission_pending_count
from closeloop.pipeline.services import application_submit, submission_ask_question
from closeloop.touchbases.selectors import _decisions_waiting, _overdue_by_person
from closeloop.touchbases.weekly import weekly_update_build

UTC = dt.UTC
FRIDAY_11 = dt.datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


@pytest.fixture
def held(world, clock):
    """Carla's review escalated to the admins, then put on hold by hank's question."""
    submission = application_submit(
        application=world.interviewed, by=world.rita, pitch="Ran Postgres on-call for 3 years."
    )
    for day in (24, 25, 26, 27):
        clock.move_to(dt.datetime(2026, 11, day, 10, 1, tzinfo=UTC))
        asks_advance()
    clock.move_to(FRIDAY_11)
    submission_ask_question(submission=submission, by=world.hank, text="Has she done on-call?")
    ask = Ask.objects.get(kind="review_submission")
    assert ask.level == 2 and ask.is_held
    return ask


def page(client, application) -> str:
    return html.unescape(client.get(f"/applications/{application.pk}/").content.decode())


def test_the_application_page_says_on_hold_and_not_escalated(world, held, login):
    text = page(login(world.hank), world.interviewed)
    assert "on hold: waiting for Rita's answer" in text
    assert "Escalated" not in text
    assert "Waiting for Rita's answer" in text and "Waiting for the HM" not in text


def test_the_queue_row_of_a_held_ask_is_neither_overdue_nor_escalated(world, held, login):
    row = next(row for row in ask_rows(asks_owed_by(user=world.hank)) if row.ask == held)
    assert not row.overdue and row.due_in == "on hold: waiting for Rita's answer"
    hank_queue = html.unescape(login(world.hank).get("/").content.decode())
    assert "on hold: waiting for Rita's answer" in hank_queue
    rita_queue = html.unescape(login(world.rita).get("/").content.decode())
    assert "on hold: waiting for your answer" in rita_queue and "escalated" not in rita_queue
    assert "Rita's answer" not in rita_queue


def test_rita_reads_the_hold_on_the_application_page_as_her_answer(world, held, login):
    text = page(login(world.rita), world.interviewed)
    assert "on hold: waiting for your answer" in text
    assert "Waiting for your answer" in text and "Waiting for Rita's answer" not in text
    # (The timeline, the team's log, keeps its entries in the third person.)
    assert "on hold: waiting for Rita's answer" not in text


def test_the_agenda_says_the_decision_waits_for_rita(world, held):
    items = _decisions_waiting(world.job, FRIDAY_11).rows
    assert [item["text"] for item in items] == ["Carla Candidate: waiting for Rita"]
    overdue = _overdue_by_person(world.job, FRIDAY_11)
    assert not any(item["text"].startswith("Hank") for item in overdue)


def test_the_weekly_update_shows_the_held_review_on_hold_without_buttons(world, held):
    update = weekly_update_build(person=world.hank, now=FRIDAY_11, issue_links=True)
    row = next(row for row in update.waiting_on_you if row.ask == held)
    assert not row.overdue and row.links == []
    assert row.held == "on hold: waiting for Rita's answer"


def test_ritas_weekly_update_says_the_review_waits_for_her_answer(world, held):
    update = weekly_update_build(person=world.rita, now=FRIDAY_11)
    rows = [row for group in update.waits for row in group.rows if row.ask == held]
    assert rows and all(row.held == "on hold: waiting for your answer" for row in rows)


def test_hanks_queue_offers_no_snooze_and_counts_no_decision_while_he_waits(world, held, login):
    hank_queue = html.unescape(login(world.hank).get("/").content.decode())
    row = hank_queue[hank_queue.index(f'id="ask-{held.pk}"') :]
    row = row[: row.index("</li>")]
    assert "Snooze" not in row
    assert submission_pending_count(user=world.hank) == 0


def test_the_agenda_says_waiting_for_you_to_rita_and_your_question_to_hank(world, held):
    from closeloop.touchbases.models import TouchbaseSeries
    from closeloop.touchbases.selectors import agenda_for_page, touchbase_current
    from closeloop.touchbases.services import series_sync

    job = world.job
    job.touchbase_weekday, job.touchbase_time, job.touchbase_minutes = 3, dt.time(14), 30
    job.touchbase_time_zone = "Europe/London"
    job.save()
    series_sync(job=job, by=world.rita)
    meeting = touchbase_current(series=TouchbaseSeries.objects.get(job=job))

    def decisions(reader) -> list[tuple[str, str]]:
        agenda = agenda_for_page(touchbase=meeting, viewer=reader, now=FRIDAY_11)
        section = next(s for s in agenda["sections"] if s["key"] == "decisions")
        return [(item["text"], item["detail"]) for item in section["items"]]

    [(text, detail)] = decisions(world.rita)
    assert text == "Carla Candidate: waiting for you" and "Hank's question unanswered" in detail
    [(text, detail)] = decisions(world.hank)
    assert text == "Carla Candidate: waiting for Rita" and "; your question unanswered" in detail
    assert "Hank's" not in detail


def test_the_asker_reads_his_own_question_as_yours(world, held, login):
    """Rita owes the answer: Hank's queue (and the application page) name the question his,
    "your question", while Rita's still reads whose it is."""
    hank_queue = html.unescape(login(world.hank).get("/").content.decode())
    assert "Answer your question about Carla Candidate" in hank_queue
    assert "Answer Hank's question" not in hank_queue
    assert "Answer your question about Carla Candidate" in page(
        login(world.hank), world.interviewed
    )
    rita_queue = html.unescape(login(world.rita).get("/").content.decode())
    assert "Answer Hank's question about Carla Candidate" in rita_queue
