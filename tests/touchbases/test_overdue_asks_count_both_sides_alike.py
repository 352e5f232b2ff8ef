"""The agenda's "Overdue asks by person" has one rule for both sides: every overdue ask a
person owes on the job, counted and listed alike (a review also under Decisions waiting,
news also under Candidates waiting on us), said in the section's lead sentence. Each ask
listed says how late it is; the ones past the first five are "due later", never under one
date. And a line naming its reader's question says "your" to them."""

from __future__ import annotations

import datetime as dt

from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.services import ask_open
from closeloop.touchbases.selectors import agenda_for_page

WEDNESDAY_10 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
THURSDAY_13 = dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC)


def _overdue(world, kind, owner, n, title, **extra):
    for i in range(n):
        ask = ask_open(
            kind=kind, subject=f"{kind}-test:{i}", title=f"{title} {i}", owner=owner,
            job=world.job, application=world.sourced, opened_at=WEDNESDAY_10 - dt.timedelta(days=2),
            **extra,
        )  # fmt: skip
        Ask.objects.filter(pk=ask.pk).update(due_at=WEDNESDAY_10 + dt.timedelta(minutes=i))


def _section(touchbase, viewer):
    agenda = agenda_for_page(touchbase=touchbase, viewer=viewer)
    return next(s for s in agenda["sections"] if s["key"] == "overdue")


def test_both_sides_are_counted_and_listed_by_one_rule(world, current, clock):
    _overdue(world, "review_submission", world.hank, 7, "Review Sam")
    _overdue(world, "update_candidate", world.rita, 3, "Give Sam news")
    clock.move_to(THURSDAY_13)
    section = _section(current, world.rita)
    assert "the same way for each side" in section.get("lead", "")
    rita_owes = Ask.objects.filter(
        owner=world.rita, job=world.job, status=AskStatus.OPEN, due_at__lte=THURSDAY_13
    ).count()
    lines = {item["text"]: item for item in section["items"]}
    assert set(lines) == {f"You: {rita_owes} overdue", "Hank Manager: 7 overdue"}
    # Her news counts and is listed as his reviews are.
    assert "Give Sam news 0" in lines[f"You: {rita_owes} overdue"]["detail"]
    hanks = lines["Hank Manager: 7 overdue"]
    assert hanks["detail"].count("Review Sam") == 5
    assert hanks["detail"].endswith("; and 2 more, due later")
    # Each ask listed says how late it is, and the line names no single due date.
    assert hanks["detail"].count("overdue") == 5 and hanks["at"] == ""


def test_a_line_naming_the_readers_question_says_your(world, current, clock):
    _overdue(
        world, "answer_question", world.rita, 1, "Answer Hank's question about Sam Sourced",
        requested_by=world.hank,
    )  # fmt: skip
    clock.move_to(THURSDAY_13)
    [ritas] = [i for i in _section(current, world.hank)["items"] if "Rita" in i["text"]]
    assert "Answer your question about Sam Sourced 0" in ritas["detail"]
    [ritas] = [i for i in _section(current, world.ada)["items"] if "Rita" in i["text"]]
    assert "Answer Hank's question about Sam Sourced 0" in ritas["detail"]
