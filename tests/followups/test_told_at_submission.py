"""The hiring manager hears of a submission when it is made, not first at the halfway reminder.

rita submits a candidate to hank (09:00–17:00 UTC, Monday to Friday, batching over 2 hours):
the worker's steps (advance asks, compose, deliver) bring him an email naming the candidate
and the job, with the one-click Advance / Pass buttons, inside his working hours. Submitted
on a Saturday, it waits for Monday morning.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.urls import reverse

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Nudge
from closeloop.notify.models import Message
from closeloop.notify.outbox import deliver_due


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


def run_worker_steps(clock, when: dt.datetime) -> None:
    """One loop of the worker's follow-up steps at `when`: advance, compose, deliver."""
    clock.move_to(when)
    asks_advance()
    notices_compose()
    deliver_due(worker="test")


def submit(world, clock, when: dt.datetime):
    from closeloop.pipeline.services import application_submit

    clock.move_to(when)
    return application_submit(
        application=world.interviewed,
        by=world.rita,
        pitch="Ran Postgres on-call for 3 years.",
        must_haves_met=["Python", "PostgreSQL"],
    )


def sent_to_hank(world) -> list:
    return [email for email in mail.outbox if email.to == [world.hank.email]]


def test_a_submission_on_a_weekday_morning_reaches_the_hiring_manager_at_once(world, clock):
    submit(world, clock, at(11, 24, 10, 0))  # Tuesday 10:00
    run_worker_steps(clock, at(11, 24, 10, 1))  # the worker's next loop
    [email] = sent_to_hank(world)
    message = Message.objects.get(recipient=world.hank, template="nudge")
    assert message.created_at == at(11, 24, 10, 1)  # composed in his working hours
    assert "Carla Candidate" in email.subject
    body = email.body
    # Worded as a first word, not as a reminder: the wait is said as a moment ("since …")
    # before a business hour has passed, never "waiting 0 minutes".
    assert (
        "The review of Carla Candidate for Backend Engineer waits for your decision "
        "(due Thu 26 Nov 10:00). Carla Candidate has been waiting 1 min since Tue 24 Nov 10:00."
    ) in body
    assert "remind" not in body.lower() and "0 minutes" not in body
    assert re.search(r"^  Advance: \S+/act/\S+/$", body, re.M)
    assert re.search(r"^  Pass: \S+/act/\S+/$", body, re.M)
    # What he was told is the ask's first rung; the halfway reminder is still to come.
    [told] = Nudge.objects.all()
    assert (told.step, told.kind) == (0, "reminder")
    run_worker_steps(clock, at(11, 25, 9, 59))
    assert len(sent_to_hank(world)) == 1


def test_a_submission_on_a_saturday_waits_for_mondays_working_hours(world, clock):
    submit(world, clock, at(11, 28, 11, 0))  # Saturday 11:00
    for moment in (at(11, 28, 11, 1), at(11, 29, 15, 0), at(11, 30, 8, 59)):
        run_worker_steps(clock, moment)
        assert sent_to_hank(world) == []
    run_worker_steps(clock, at(11, 30, 9, 0))  # Monday 09:00, his day starts
    [email] = sent_to_hank(world)
    assert Message.objects.get(recipient=world.hank).created_at == at(11, 30, 9, 0)
    assert "Carla Candidate" in email.subject
    # Due Tuesday 17:00: two working days from Monday 09:00; no business time has passed yet.
    assert (
        "The review of Carla Candidate for Backend Engineer waits for your decision "
        "(due Tue 01 Dec 17:00). Carla Candidate has been waiting 46 h since Sat 28 Nov 11:00."
    ) in email.body
    assert re.search(r"^  Advance: \S+/act/\S+/$", email.body, re.M)
    assert re.search(r"^  Pass: \S+/act/\S+/$", email.body, re.M)


def test_the_settings_page_says_the_hiring_manager_is_told_when_the_review_opens(world, login):
    page = login(world.ada).get(reverse("followups:service-levels")).content.decode()
    assert (
        "Ladder: told when it opens, then reminder halfway, then notice at due, then to the "
        "escalation contact 1 business day after due, then to an admin 2 business days after due."
    ) in page


def test_a_new_submission_heads_a_long_message_never_falls_into_the_rest(world, clock):
    """hank owes eleven overdue reviews when Carla is submitted: the message words ten, and
    she, news to him, is one of them (first), not one of "N more waiting"."""
    from closeloop.followups.services import ask_open
    from closeloop.pipeline.models import Candidate

    clock.move_to(at(11, 16, 10, 0))  # a week before: long overdue by the submission
    for n in range(11):
        candidate = Candidate.objects.create(full_name=f"Old Candidate {n}")
        ask_open(
            kind="review_submission", subject=f"test:old:{n}", title=f"Review {candidate}",
            owner=world.hank, job=world.job,
        )  # fmt: skip
    submit(world, clock, at(11, 24, 10, 0))
    clock.move_to(at(11, 24, 10, 1))
    asks_advance()  # every rung due reached in one visit, the opening one of Carla's too
    notices_compose()
    message = Message.objects.get(recipient=world.hank, template="nudge")
    assert "12 things are waiting on you" in message.subject
    assert "Carla Candidate" in message.body_text
    assert message.body_text.index("Carla Candidate") < message.body_text.index("Old Candidate")
