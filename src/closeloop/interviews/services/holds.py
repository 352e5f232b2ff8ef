"""A debrief on hold: the decision stays the hiring manager's move, owed again by a day.

Put on hold, a decision used to leave nothing chasing anyone, and the candidate could wait
for ever. The hold opens a `decide_held_debrief` ask for the hiring manager, due on the day
they gave (else within the kind's due time), reminded and escalated by the follow-up engine
like any other ask; deciding the debrief again closes it (`debriefs.debrief_decide`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from closeloop.followups.services import ask_open
from closeloop.interviews.kinds import DECIDE_HELD_DEBRIEF
from closeloop.interviews.models import Debrief, DebriefDecision
from closeloop.interviews.selectors import debrief_hold_ask
from closeloop.lib.timefmt import absolute, zone_or_utc
from closeloop.pipeline import services as pipeline

if TYPE_CHECKING:
    from closeloop.accounts.models import User

# How far ahead a hold may set its day: further, it is a rejection in all but name.
HOLD_HORIZON_DAYS = 90


def _hold_day_check(debrief: Debrief, decision: str, day: dt.date | None) -> None:
    """The day to decide again by: from today (in the decider's calendar) to 90 days on."""
    if decision != DebriefDecision.HOLD or day is None:
        return
    decider = debrief.application.job.hiring_manager
    today = timezone.now().astimezone(zone_or_utc(decider.time_zone)).date()
    if day < today:
        raise ValidationError({"decide_again_on": "That day is past: choose today or later."})
    if day > today + dt.timedelta(days=HOLD_HORIZON_DAYS):
        raise ValidationError(
            {"decide_again_on": f"Choose a day within {HOLD_HORIZON_DAYS} days, or reject."}
        )


def _debrief_hold(debrief: Debrief, day: dt.date | None, *, by: User) -> None:
    """On hold, the decision is still the hiring manager's move (the candidate waits on
    them, as their queue and the candidate's page say): owed by `day`, else within the
    kind's due time, until decided."""
    application = debrief.application
    job = application.job
    application.refresh_from_db()
    # A hold defers the decision, not the candidate's wait: their clock runs on from when
    # the decision became the hiring manager's (the debrief), so the queue ranks them by it,
    # and the held ask says the same wait in reminders and the weekly update.
    pipeline.application_next_move_set(
        application=application, owner=job.hiring_manager, at=timezone.now(), keep_since=True
    )
    ask_open(
        kind=DECIDE_HELD_DEBRIEF,
        subject=debrief.subject,
        title=f"Decide on {application.candidate.full_name}, on hold since the "
        f"{debrief.round_name} debrief ({job.title})",
        owner=job.hiring_manager,
        job=job,
        application=application,
        requested_by=by,
        due_on=day,
        facts={"round": debrief.round_name},
        waiting_since=application.next_move_since,
    )


def _hold_words(debrief: Debrief) -> str:
    """ " (to decide again by Mon 14 Dec 17:00)", from the hold's ask: for the activity."""
    ask = debrief_hold_ask(debrief=debrief)
    if ask is None:
        return ""
    return f" (to decide again by {absolute(ask.due_at, zone_or_utc(ask.owner.time_zone))})"
