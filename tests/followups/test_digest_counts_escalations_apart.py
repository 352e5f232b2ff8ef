"""A digest counts what its reader owes apart from the escalations that reached them.

Ivy's late scorecard escalates to hank (the job's hiring manager) while he owes two action
items: his message says two things wait on him and one escalation reached him, never that
three things are waiting on him, one of them owed by Ivy.
"""

from __future__ import annotations

from closeloop.followups import messages
from closeloop.followups.business_time import add_business_days, calendar_for
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask
from closeloop.followups.services import ask_open
from closeloop.notify.models import Message


def _late_digest(world, clock) -> Message:
    scorecard = ask_open(
        kind="submit_scorecard", subject="test:scorecard", title="Scorecard", owner=world.ivy,
        job=world.job, application=world.interviewed, facts={"round": "Technical"},
    )  # fmt: skip
    Ask.objects.filter(pk=scorecard.pk).update(steps_done=1)  # the notice at due went out
    for number in (1, 2):
        ask_open(
            kind="action_item", subject=f"test:item{number}", title=f"Item {number}",
            owner=world.hank, job=world.job, facts={"item": f"Item {number}", "meeting": "x"},
        )  # fmt: skip
    clock.move_to(add_business_days(calendar_for(world.ivy), scorecard.due_at, 3))
    asks_advance()
    notices_compose()
    return Message.objects.filter(recipient=world.hank).latest("pk")


def test_the_subject_counts_escalations_apart(world, clock):
    message = _late_digest(world, clock)
    assert "owed by Ivy Interviewer" in message.body_text
    assert message.subject == (
        "2 things are waiting on you in Closeloop, and 1 escalation of what others owe"
    )


def test_the_count_over_a_long_digest_says_what_it_counts(world, clock, monkeypatch):
    monkeypatch.setattr(messages, "MAX_ITEMS", 1)
    message = _late_digest(world, clock)
    for body in (message.body_text, message.body_html):
        assert "3 things are waiting on you" not in body
        assert (
            "2 things are waiting on you, and 1 escalation of what others owe. Here is the "
            "most urgent;" in body
        )
        assert "2 more waiting on you" not in body
