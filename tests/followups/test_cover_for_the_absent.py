"""Someone who goes out of office with a delegate: what they already owed goes to the
delegate (held for them, as an ask opened while they are away is), the delegate hears of it
in one message, nothing moves twice, and a person whose handover raises is held back while
the others are handed over."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest

from closeloop.followups import people
from closeloop.followups.messages import MAX_ITEMS
from closeloop.followups.models import ActionLink, Ask, AskHandover, AskStatus
from closeloop.followups.people import COVER_STEP, asks_cover_absent
from closeloop.followups.worker import STEPS
from closeloop.lib.sweep import Swept
from closeloop.notify.models import Message
from poison import Poison, sweep_errors

DAY = dt.timedelta(days=1)


@pytest.fixture
def world(clock, world):
    return world


def owed(owner, subject: str, application=None) -> Ask:
    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    return Ask.objects.create(
        kind="review_submission", subject=subject, title=f"Review ({subject})", owner=owner,
        job=application.job if application else None, application=application,
        opened_at=now - DAY, due_at=now + DAY,
    )  # fmt: skip


def away(person, delegate, now) -> None:
    person.out_of_office_from, person.out_of_office_until = now - DAY, now + 5 * DAY
    person.delegate = delegate
    person.save()


def test_what_an_absent_person_owed_goes_to_their_delegate_once(world):
    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    review = owed(world.hank, "sam", world.sourced)
    done = owed(world.hank, "old")
    Ask.objects.filter(pk=done.pk).update(status=AskStatus.DONE)
    away(world.hank, world.olga, now)
    assert asks_cover_absent(now=now) == Swept(handled=1)
    review.refresh_from_db()
    assert (review.owner, review.original_owner) == (world.olga, world.hank)
    assert Ask.objects.get(pk=done.pk).owner == world.hank  # what is answered stays
    assert AskHandover.objects.filter(ask=review, to_owner=world.olga).count() == 1
    told = Message.objects.get(recipient=world.olga, template="asks-handed-over")
    assert "Hank Manager is out of office until" in told.body_text
    assert asks_cover_absent(now=now) == Swept()  # nothing left to hand over


def test_nothing_moves_before_they_leave_nor_to_a_delegate_who_is_away_too(world):
    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    review = owed(world.hank, "sam", world.sourced)
    world.hank.delegate = world.olga
    world.hank.out_of_office_from = now + DAY
    world.hank.out_of_office_until = now + 5 * DAY
    world.hank.save()
    assert asks_cover_absent(now=now) == Swept()
    away(world.olga, None, now)
    assert asks_cover_absent(now=now + 2 * DAY) == Swept()  # olga is away as well
    review.refresh_from_db()
    assert review.owner == world.hank


def test_with_the_delegate_away_too_the_delegates_own_delegate_covers(world):
    """Hank's delegate Olga is away, hers is Ivy: Ivy holds Hank's review for him. Olga's
    own ask, and the one she held for Rita, go to Ivy too, each still held for its owner;
    a loop of delegates hands nothing to someone away."""
    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    owed(world.hank, "sam", world.sourced)
    owed(world.olga, "hers")
    for_rita = owed(world.olga, "rita")
    Ask.objects.filter(pk=for_rita.pk).update(original_owner=world.rita)
    away(world.hank, world.olga, now)
    away(world.olga, world.ivy, now)
    assert asks_cover_absent(now=now) == Swept(handled=3)  # asks handed over
    mine = Ask.objects.filter(subject__in=["sam", "hers", "rita"])
    held = {ask.subject: (ask.owner, ask.original_owner) for ask in mine}
    assert held == {
        "sam": (world.ivy, world.hank),
        "hers": (world.ivy, world.olga),
        "rita": (world.ivy, world.rita),
    }
    # Olga's message to Ivy says whom the ask she held for Rita is for.
    told = Message.objects.get(recipient=world.ivy, data__handed_over_from=world.olga.pk)
    assert "- Review (rita), for Rita Recruiter (due " in told.body_text
    assert "- Review (hers) (due " in told.body_text
    away(world.ivy, world.hank, now)  # ivy away too: hank and olga, both away, cover nobody
    owed(world.ivy, "ivy")
    assert asks_cover_absent(now=now) == Swept()


def test_a_person_whose_handover_raises_is_held_while_the_others_are_covered(
    world, monkeypatch, caplog
):
    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    hank_owes, ivy_owes = owed(world.hank, "sam", world.sourced), owed(world.ivy, "card")
    away(world.hank, world.olga, now)
    away(world.ivy, world.rita, now)
    poison = Poison(
        monkeypatch, people, "absent_asks_cover", lambda **row: row["pk"] == world.hank.pk
    )
    with caplog.at_level(logging.ERROR):
        assert asks_cover_absent(now=now) == Swept(handled=1, failed=1)
    [line] = sweep_errors(caplog)
    assert COVER_STEP in line.getMessage() and f"person {world.hank.pk}" in line.getMessage()
    assert Ask.objects.get(pk=ivy_owes.pk).owner == world.rita
    assert Ask.objects.get(pk=hank_owes.pk).owner == world.hank
    assert asks_cover_absent(now=now) == Swept()  # held: the next loop does not spin on it
    poison.cure()
    assert asks_cover_absent(now=now + dt.timedelta(hours=3)) == Swept(handled=1)
    assert Ask.objects.get(pk=hank_owes.pk).owner == world.olga


def test_the_worker_runs_it_before_the_ladder_moves():
    names = [name for name, _ in STEPS]
    assert names.count(COVER_STEP) == 1
    assert names.index(COVER_STEP) < names.index("advance asks")


def test_whoever_stands_in_for_an_absent_person_takes_what_reaches_them(world):
    """One rule for every door: an ask opened for Hank while he and his delegate Olga are
    away goes to Olga's delegate Ivy; so does what Rita owed when she leaves with Olga as her
    manager; and an escalation meant for Olga reaches Ivy."""
    from closeloop.followups.notices import ask_recipients
    from closeloop.followups.people import ask_successor
    from closeloop.followups.services import ask_route

    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    away(world.hank, world.olga, now)
    away(world.olga, world.ivy, now)
    assert ask_route(owner=world.hank, at=now) == (world.ivy, world.hank, False)
    away(world.ivy, None, now)  # nobody left: escalated at once, as before
    assert ask_route(owner=world.hank, at=now) == (world.hank, None, True)
    world.ivy.out_of_office_from = world.ivy.out_of_office_until = None
    world.ivy.save()

    leaving = owed(world.rita, "leaving", world.sourced)
    world.rita.manager = world.olga
    world.rita.save()
    to, role = ask_successor(ask=leaving, leaving=world.rita, by=world.ada)
    assert (to, role) == (
        world.ivy,
        "covering for Olga Outsider, their manager, who is out of office",
    )

    world.job.escalation_contact = world.olga
    world.job.save()
    late = owed(world.rita, "late", world.sourced)
    late.job.refresh_from_db()
    assert (world.ivy, "escalation") in ask_recipients(late, 1)


def test_a_personal_ask_stays_with_its_owner_while_away(world):
    """Hank's pulse scores are his: neither the cover step nor a new pulse goes to Olga."""
    from closeloop.followups.services import ask_route

    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    pulse = owed(world.hank, "pulse")
    Ask.objects.filter(pk=pulse.pk).update(kind="answer_pulse")
    away(world.hank, world.olga, now)
    assert asks_cover_absent(now=now) == Swept()
    assert Ask.objects.get(pk=pulse.pk).owner == world.hank
    assert ask_route(owner=world.hank, at=now, personal=True) == (world.hank, None, False)


def test_an_away_note_names_whom_the_escalation_reached_not_who_would_today(world):
    """The escalation reached Olga (standing in then); Ada is the contact now. The note says
    Olga: she is the one who was asked."""
    from closeloop.followups.models import Notice, Nudge
    from closeloop.followups.selectors import ask_away_note

    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    away(world.hank, None, now)
    world.job.escalation_contact = world.ada
    world.job.save()
    ask = owed(world.hank, "late", world.sourced)
    Ask.objects.filter(pk=ask.pk).update(level=1)
    ask.refresh_from_db()
    assert ask_away_note(ask, now).endswith("; escalated to Ada Admin")  # none sent yet
    nudge = Nudge.objects.create(ask=ask, step=0, kind="escalation", level=1, scheduled_at=now)
    Notice.objects.create(nudge=nudge, recipient=world.olga, role="escalation")
    ask = Ask.objects.get(pk=ask.pk)
    assert ask_away_note(ask, now).endswith("; escalated to Olga Outsider")


def test_the_delegate_takes_over_with_the_buttons_a_reminder_would_carry(world, submitted):
    """Hank's own links died at the handover: Olga, covering, can decide the review from the
    takeover email as from a reminder, the most urgent first, the rest counted."""
    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    for n in range(MAX_ITEMS):
        owed(world.hank, f"later {n}")
    Ask.objects.filter(subject__startswith="later").update(due_at=now + 3 * DAY)
    away(world.hank, world.olga, now)
    assert asks_cover_absent(now=now) == Swept(handled=11)  # asks handed over
    told = Message.objects.get(recipient=world.olga, template="asks-handed-over")
    print(told.subject, told.body_text, sep="\n")
    assert told.subject.startswith("You cover 11 asks for Hank Manager, out of office until ")
    text = told.body_text
    assert "here are the 10 most urgent, and the other 1 is in your queue:" in text
    review = text.split("- ", 2)[1]  # the most urgent first: the review, due soonest
    assert review.startswith("Review Carla Candidate")
    assert "Answer in one click (you will see a confirmation page first):" in review
    assert re.search(r"^  Advance: http://\S+/act/\S+/$", review, flags=re.M)
    assert "…and 1 more in your queue: http" in text
    assert ActionLink.objects.filter(recipient=world.olga, ask__kind="review_submission").exists()
    assert 'href="http://127.0.0.1:8000/act/' in told.body_html or "/act/" in told.body_html


def test_the_delegate_is_told_she_covers_not_that_the_asks_are_now_hers(world):
    """Covering is for the time away: the message says so and what happens on his return
    (nothing hands the asks back; they stay with her, held for him, until answered)."""
    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    owed(world.hank, "sam", world.sourced)
    owed(world.hank, "carla", world.interviewed)
    away(world.hank, world.olga, now)
    asks_cover_absent(now=now)
    told = Message.objects.get(recipient=world.olga, template="asks-handed-over")
    assert told.subject.startswith("You cover 2 asks for Hank Manager, out of office until ")
    assert "so you cover what Hank owed" in told.body_text
    assert "nothing hands it back on Hank’s return" in told.body_text
    assert "took over" not in told.subject and "now yours" not in told.body_text
