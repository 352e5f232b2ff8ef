"""A hiring manager who asked the recruiter a question is not chased while he waits for the answer.

Submitted Monday 23 Nov 10:00 (UTC, 09:00–17:00 calendars): the review is due Wed 25 10:00,
told at once, reminded Tue 24 10:00, escalated Thu 26 10:00 and to the admins Fri 27 10:00.
"""

from __future__ import annotations

import datetime as dt
import re

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus, Nudge
from closeloop.followups.selectors import ask_hold_note
from closeloop.notify.models import Message
from closeloop.notify.selectors import message_body_for
from closeloop.pipeline.models import SubmissionDecision
from closeloop.pipeline.overview import escalations_reaching, overdue_by_person
from closeloop.pipeline.services import (
    application_withdraw,
    question_answer,
    submission_ask_question,
    submission_decide,
)


def recipient_reads(message):
    """The message's text as its recipient reads it (its sealed links opened)."""
    return message_body_for(message=message, user=message.recipient)[0]


UTC = dt.UTC


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    month = 11 if day >= 20 else 12
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def review_ask() -> Ask:
    return Ask.objects.get(kind="review_submission")


def answer_ask() -> Ask:
    return Ask.objects.get(kind="answer_question")


def run_engine(clock, *moments: dt.datetime) -> None:
    for moment in moments:
        clock.move_to(moment)
        asks_advance()


def ask_question(world, submitted, clock, when: dt.datetime, text: str = "Has she done on-call?"):
    clock.move_to(when)
    return submission_ask_question(submission=submitted, by=world.hank, text=text)


def test_a_question_puts_the_review_on_hold_and_no_nudge_is_written_while_held(
    world, submitted, clock
):
    ask_question(world, submitted, clock, at(23, 11))
    held = review_ask()
    assert held.is_held and held.next_nudge_at is None
    assert ask_hold_note(held, reader=world.hank) == "on hold: waiting for Rita's answer"
    assert not held.is_overdue(at(27, 11))
    # Past the reminder, the due time and both escalations: the review's ladder stays put.
    run_engine(clock, at(24, 10, 1), at(25, 10, 1), at(26, 10, 1), at(27, 10, 1))
    held = review_ask()
    assert Nudge.objects.filter(ask=held).count() == 0
    assert held.steps_done == 0 and held.level == 0 and held.due_at == at(25, 10)


def test_the_answer_resumes_the_review_with_the_due_time_moved_by_the_held_business_time(
    world, submitted, clock
):
    run_engine(clock, at(23, 10, 1))  # hank is told of the submission at once
    question = ask_question(world, submitted, clock, at(23, 11))
    clock.move_to(at(24, 11))  # held Mon 11:00 → Tue 11:00: 6 + 2 = 8 business hours
    question_answer(question=question, by=world.rita, answer="Yes, three years of it.")
    resumed = review_ask()
    assert not resumed.is_held and resumed.held_for is None
    assert resumed.held_seconds == 8 * 3600
    assert resumed.due_at == at(26, 10)  # Wed 10:00 + one business day
    assert resumed.next_nudge_at == at(25, 10)  # the halfway reminder, a day later too
    assert [step["at"] for step in resumed.policy["steps"]] == [
        at(23, 10).isoformat(),  # the opening notice, reached before the hold: it stays
        at(25, 10).isoformat(),
        at(26, 10).isoformat(),
        at(27, 10).isoformat(),
        at(30, 10).isoformat(),
    ]
    assert answer_ask().status == AskStatus.DONE
    run_engine(clock, at(25, 9, 59))
    assert list(Nudge.objects.filter(ask=resumed).values_list("step", flat=True)) == [0]
    run_engine(clock, at(25, 10, 1))
    assert list(Nudge.objects.filter(ask=resumed).order_by("step").values_list("step", "kind")) == [
        (0, "reminder"),
        (1, "reminder"),
    ]
    # The time on hold was the recruiter's: it is not counted as the HM's response time.
    clock.move_to(at(25, 12))
    submission_decide(submission=submitted, by=world.hank, decision=SubmissionDecision.ADVANCED)
    assert review_ask().response_seconds == (2 * 8 + 2 - 8) * 3600  # Mon 10:00 → Wed 12:00


def test_the_review_stays_on_hold_until_the_last_open_question_is_answered(world, submitted, clock):
    first = ask_question(world, submitted, clock, at(23, 11), "Notice period?")
    second = ask_question(world, submitted, clock, at(23, 12), "On-call?")
    question_answer(question=first, by=world.rita, answer="A month.")
    assert review_ask().is_held
    assert review_ask().held_at == at(23, 11)
    clock.move_to(at(23, 15))
    question_answer(question=second, by=world.rita, answer="Yes.")
    assert not review_ask().is_held and review_ask().due_at == at(25, 14)


def test_the_recruiters_answer_is_due_in_business_time_and_escalates(world, submitted, clock):
    world.rita.manager = world.olga
    world.rita.save()
    ask_question(world, submitted, clock, at(27, 16))  # Friday 16:00
    owed = answer_ask()
    assert owed.owner == world.rita and owed.requested_by == world.hank
    assert owed.application == world.interviewed
    assert owed.due_at == at(30, 16)  # 1 business day: Fri 16–17 and Mon 09–16
    run_engine(clock, at(28, 12), at(29, 12))  # the weekend: nothing yet
    assert Nudge.objects.filter(ask=owed).count() == 0
    run_engine(clock, at(30, 12, 1), at(30, 16, 1), at(1, 16, 1))
    nudges = Nudge.objects.filter(ask=owed).order_by("step")
    assert [(n.kind, n.level) for n in nudges] == [("reminder", 0), ("due", 0), ("escalation", 1)]
    assert set(nudges.last().notices.values_list("recipient__email", "role")) == {
        ("rita@example.com", "owner"),
        ("olga@example.com", "escalation"),
    }
    notices_compose()
    body = Message.objects.get(recipient=world.rita, template="nudge").body_text
    assert "Hank's question about Carla Candidate (Backend Engineer): “Has she done on-call?”" in (
        body
    )


def test_the_escalation_list_and_overview_never_list_a_held_ask(world, submitted, clock):
    run_engine(clock, at(24, 10, 1), at(25, 10, 1), at(26, 10, 1), at(27, 10, 1))
    assert review_ask().level == 2
    rows, total = escalations_reaching(user=world.ada, now=at(27, 10, 2))
    assert [row.ask for row in rows] == [review_ask()] and total == 1
    ask_question(world, submitted, clock, at(27, 11))
    rows, total = escalations_reaching(user=world.ada, now=at(27, 11))
    assert rows == [] and total == 0
    people, _, _ = overdue_by_person(user=world.ada, now=at(27, 11))
    assert world.hank not in [row.person for row in people]


def test_withdrawing_closes_the_question_and_the_review(world, submitted, clock):
    ask_question(world, submitted, clock, at(23, 11))
    application_withdraw(application=world.interviewed, by=world.rita, reason="other_offer")
    assert answer_ask().status == AskStatus.CANCELLED
    assert review_ask().status == AskStatus.CANCELLED and not review_ask().is_held


def test_deciding_without_waiting_for_the_answer_releases_the_recruiter(world, submitted, clock):
    ask_question(world, submitted, clock, at(23, 11))
    clock.move_to(at(23, 13))
    submission_decide(submission=submitted, by=world.hank, decision=SubmissionDecision.ADVANCED)
    assert answer_ask().status == AskStatus.CANCELLED
    assert review_ask().status == AskStatus.DONE and review_ask().response_seconds == 3600


def test_the_one_click_ask_a_question_does_what_the_page_does(client, world, submitted, clock):
    run_engine(clock, at(24, 10, 1))
    notices_compose()
    body = recipient_reads(Message.objects.get(recipient=world.hank))
    url = re.search(r"^  Ask the recruiter a question: (http://\S+/act/\S+/)$", body, re.M)[1]
    clock.move_to(at(24, 11))
    response = client.post(url.split("127.0.0.1:8000", 1)[1], {"text": "Notice period?"})
    assert response.status_code == 200
    held = review_ask()
    assert held.is_held and held.held_for == world.rita
    assert held.next_nudge_at is None
    owed = answer_ask()
    assert owed.owner == world.rita and owed.due_at == at(25, 11)
