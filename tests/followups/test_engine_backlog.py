"""A backlog of due rungs (after downtime, or in a freshly seeded demo) reaches each reader as
one message with everything due, not a first message with the escalation held back for hours
by the batching window."""

from __future__ import annotations

import datetime as dt

from closeloop.followups.engine import BACKLOG_WAIT, asks_advance, notices_compose
from closeloop.followups.models import Ask, Notice, Nudge
from closeloop.notify.models import Message


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


def test_an_ask_late_by_days_reaches_every_due_rung_in_one_visit(world, submitted, clock):
    world.hank.manager = world.olga
    world.hank.save()
    # Past the opening notice, the reminder, the due time and the first escalation.
    clock.move_to(at(26, 10, 1))
    asks_advance()
    review = Ask.objects.get(kind="review_submission")
    assert list(review.nudges.order_by("step").values_list("kind", flat=True)) == [
        "reminder",
        "reminder",
        "due",
        "escalation",
    ]
    review.refresh_from_db()
    assert review.next_nudge_at > at(26, 10, 1)
    notices_compose()
    # One message each, the escalation in it: nothing is left for a later, held message.
    assert Message.objects.filter(recipient=world.hank).count() == 1
    assert Message.objects.filter(recipient=world.olga).count() == 1
    assert not Notice.objects.filter(message__isnull=True).exists()


def test_composing_waits_while_asks_are_still_due_a_rung(world, submitted, clock):
    clock.move_to(at(24, 10, 1))  # the reminder is due
    asks_advance(limit=0)  # a worker that has not reached it yet
    Notice.objects.all().delete()
    ask = Ask.objects.get(kind="review_submission")
    # A notice for hank from elsewhere is ready; the review's reminder is not written yet.
    other = Ask.objects.create(
        kind="action_item",
        subject="test:other",
        title="Send the revised job ad",
        owner=world.hank,
        due_at=at(24, 17),
        opened_at=at(23, 10),
        policy={"steps": []},
    )
    nudge = Nudge.objects.create(
        ask=other, step=0, kind="reminder", level=0, scheduled_at=at(24, 10), created_at=at(24, 10)
    )
    Notice.objects.create(nudge=nudge, recipient=world.hank, role="owner", not_before=at(24, 10))
    assert notices_compose().handled == 0
    asks_advance()
    # Both its due rungs: the opening notice (never reached either) and the halfway reminder.
    assert list(ask.nudges.order_by("step").values_list("step", flat=True)) == [0, 1]
    assert notices_compose().handled == 1
    message = Message.objects.get(recipient=world.hank)
    assert "Send the revised job ad" in message.body_text
    assert "Carla Candidate" in message.body_text


def test_a_backlog_that_never_drains_holds_messages_back_no_longer_than_the_wait(
    world, submitted, clock
):
    clock.move_to(at(24, 10, 1))
    other = Ask.objects.create(
        kind="action_item",
        subject="test:other",
        title="Send the revised job ad",
        owner=world.hank,
        due_at=at(24, 17),
        opened_at=at(23, 10),
        policy={"steps": []},
    )
    nudge = Nudge.objects.create(
        ask=other, step=0, kind="reminder", level=0, scheduled_at=at(24, 9), created_at=at(24, 9)
    )
    notice_at = at(24, 10, 1) - BACKLOG_WAIT - dt.timedelta(minutes=1)
    Notice.objects.create(
        nudge=nudge, recipient=world.hank, role="owner", not_before=notice_at, created_at=notice_at
    )
    # The review's reminder is still due (never advanced), yet the old notice goes out.
    assert notices_compose().handled == 1
