"""A debrief put on hold still owes a decision: the hiring manager gives the day they will
decide again by (else the agreed time for it), the follow-up engine chases that ask like any
other (reminded, escalated), the candidate waits on them meanwhile, and deciding the debrief
again closes the ask. Before, a hold chased nobody and the candidate could wait for ever."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from interview_helpers import open_asks

from closeloop.followups.engine import asks_advance
from closeloop.followups.models import AskStatus, Nudge
from closeloop.followups.services import ask_due_at
from closeloop.interviews.models import DebriefStatus
from closeloop.interviews.services import Decision, debrief_decide
from closeloop.pipeline.services import application_reject, candidate_updated

HELD = "decide_held_debrief"


def _hold(world, debrief, day=None):
    decision = Decision("hold", "Wait for Ana's loop.")
    decision.decide_again_on = day
    return debrief_decide(debrief=debrief, by=world.hank, decision=decision)


def test_a_hold_opens_the_hms_ask_due_on_the_day_given(world, debrief):
    day = dt.date(2026, 12, 4)  # a Friday, 11 days on

    _hold(world, debrief, day)

    (ask,) = open_asks(HELD)
    assert ask.owner == world.hank and ask.application == world.interviewed
    assert ask.due_at == ask_due_at(
        kind=HELD, owner=world.hank, opened_at=ask.opened_at, due_on=day
    )
    assert ask.due_at.date() == day
    world.interviewed.refresh_from_db()
    assert world.interviewed.next_move_owner == world.hank  # the candidate waits on him


def test_a_hold_leaves_the_candidates_wait_running_from_the_debrief(world, debrief, clock):
    """Holding defers the decision, not the wait: the candidate has waited on Hank since the
    debrief handed him the decision, and his queue ranks them by that."""
    world.interviewed.refresh_from_db()
    waiting_since = world.interviewed.next_move_since
    assert world.interviewed.next_move_owner == world.hank and waiting_since is not None
    clock.shift(dt.timedelta(days=1))

    _hold(world, debrief, dt.date(2026, 12, 4))

    world.interviewed.refresh_from_db()
    assert world.interviewed.next_move_since == waiting_since


def test_without_a_day_it_is_due_within_the_agreed_time(world, debrief):
    _hold(world, debrief)

    (ask,) = open_asks(HELD)
    assert ask.due_at == ask_due_at(kind=HELD, owner=world.hank, opened_at=ask.opened_at)


def test_the_engine_reminds_then_escalates_a_hold_left_undecided(world, debrief, clock):
    _hold(world, debrief, dt.date(2026, 12, 4))
    (ask,) = open_asks(HELD)

    clock.move_to(ask.due_at + dt.timedelta(days=4))
    asks_advance()

    kinds = set(Nudge.objects.filter(ask=ask).values_list("kind", flat=True))
    assert {"reminder", "due", "escalation"} <= kinds


def test_deciding_again_closes_the_ask(world, debrief, clock):
    _hold(world, debrief, dt.date(2026, 12, 4))
    candidate_updated(application=world.interviewed, by=world.rita)  # kept posted first
    assert open_asks(HELD)  # telling the candidate is not the decision
    clock.shift(dt.timedelta(days=2))

    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Ana withdrew."))

    (ask,) = world.interviewed.asks.filter(kind=HELD)
    assert (ask.status, ask.closed_by) == (AskStatus.DONE, world.hank)


def test_held_again_the_new_day_replaces_the_old(world, debrief, clock):
    _hold(world, debrief, dt.date(2026, 12, 4))
    clock.shift(dt.timedelta(days=1))

    _hold(world, debrief, dt.date(2026, 12, 18))

    (ask,) = open_asks(HELD)
    assert ask.due_at.date() == dt.date(2026, 12, 18)
    assert world.interviewed.asks.filter(kind=HELD, status=AskStatus.DONE).count() == 1


def test_the_application_closing_calls_the_hold_off(world, debrief):
    _hold(world, debrief)

    application_reject(application=world.interviewed, by=world.rita, reason="compensation")

    assert not open_asks(HELD)
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.CLOSED


@pytest.mark.parametrize(
    ("day", "message"),
    [(dt.date(2026, 11, 20), "That day is past"), (dt.date(2027, 6, 1), "within 90 days")],
)
def test_a_day_past_or_too_far_is_refused_and_changes_nothing(world, debrief, day, message):
    with pytest.raises(ValidationError, match=message):
        _hold(world, debrief, day)

    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.OPEN and not open_asks(HELD)
    assert open_asks("decide_after_debrief")


def test_my_queue_and_the_candidate_page_say_it_is_the_hms_move(world, debrief, login):
    hank = login(world.hank)
    response = hank.post(
        f"/debriefs/{debrief.pk}/decide/",
        {"decision": "hold", "rationale": "Wait for Ana.", "decide_again_on": "2026-12-04"},
    )
    assert response.status_code == 302

    queue = html.unescape(hank.get("/").content.decode())
    assert "Decide on Carla Candidate, on hold since the Technical debrief" in queue
    page = html.unescape(
        login(world.rita).get(f"/applications/{world.interviewed.pk}/").content.decode()
    )
    assert "Hank Manager" in page.split("Whose move")[1][:400]
    shown = html.unescape(hank.get(f"/debriefs/{debrief.pk}/").content.decode())
    assert "Decision owed again by" in shown


def test_a_bad_day_from_the_page_is_named_and_changes_nothing(world, debrief, login):
    response = login(world.hank).post(
        f"/debriefs/{debrief.pk}/decide/",
        {"decision": "hold", "rationale": "Wait.", "decide_again_on": "2026-11-02"},
    )

    assert response.status_code == 400
    assert "That day is past" in html.unescape(response.content.decode())
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.OPEN and not open_asks(HELD)


def test_a_day_off_given_says_which_working_day_the_decision_is_owed_by(world, debrief, login):
    """Hank says "decide again by Sat 12 Dec": the ask falls due on his next working day,
    and the confirmation says so instead of silently moving it."""
    hank = login(world.hank)
    response = hank.post(
        f"/debriefs/{debrief.pk}/decide/",
        {"decision": "hold", "rationale": "Wait for Ana.", "decide_again_on": "2026-12-12"},
        follow=True,
    )
    said = html.unescape(response.content.decode())
    assert (
        "Sat 12 Dec is not a working day for you: the decision is owed by Mon 14 Dec 17:00."
    ) in said


def test_a_working_day_given_says_only_when(world, debrief, login):
    response = login(world.hank).post(
        f"/debriefs/{debrief.pk}/decide/",
        {"decision": "hold", "rationale": "Wait for Ana.", "decide_again_on": "2026-12-04"},
        follow=True,
    )
    said = html.unescape(response.content.decode())
    assert "The decision is owed again by Fri 04 Dec 17:00." in said
    assert "not a working day" not in said


def test_the_held_asks_wait_in_emails_runs_from_where_the_queues_does(world, debrief, clock):
    """The weekly update, agenda and reminders say the held decision's wait as the queue
    does: from when the candidate began waiting on Hank (the debrief), not from the hold."""
    from closeloop.followups.messages import business_wait
    from closeloop.lib.timefmt import absolute
    from closeloop.touchbases.selectors import ask_waited

    world.interviewed.refresh_from_db()
    waiting_since = world.interviewed.next_move_since
    clock.shift(dt.timedelta(days=2))
    _hold(world, debrief, dt.date(2026, 12, 4))
    clock.shift(dt.timedelta(hours=1))

    (ask,) = open_asks(HELD)
    assert ask.waiting_since == waiting_since
    since = f"since {absolute(waiting_since, world.hank.zone)}"
    assert business_wait(ask, clock_now(), world.hank.zone).endswith(since)
    assert ask_waited(ask=ask, now=clock_now(), zone=world.hank.zone).startswith("2 days")


def clock_now():
    from django.utils import timezone

    return timezone.now()
