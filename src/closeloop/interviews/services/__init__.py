"""Writes about interviews, scorecards and debriefs, one module per topic.

Each service runs in one transaction: the change, its asks, its Activity rows and its
messages commit together. The loop this closes:

1. the hiring team books an interview of a round (interviewers hear, with an .ics)
   — `booking`;
2. when it ends, the worker marks it completed and opens a `submit_scorecard` ask per
   interviewer (opened at the end, so the first reminder is an hour after it) — `steps`;
3. the last scorecard of the round (`scorecards`), or the agreed time passing (`steps`),
   opens the debrief with a `decide_after_debrief` ask for the hiring manager — `rounds`;
4. the HM decides (advance / reject with a reason / hold) with a rationale, which moves the
   candidate and opens the recruiter's `inform_candidate` ask — `debriefs`; a hold opens
   the HM's `decide_held_debrief` ask, due on the day they gave — `holds`;
5. the recruiter records that the candidate was told: the loop is closed — `debriefs`.

A hand move out of the Debrief stage (on, back, a rejection, a hire) took the decision the
stage waited for: its debriefs are recorded as decided by the move — `settling`.
An application that closes closes its loop — `closing`. Who sits on which application's
panels is kept for the permission filters — `panels`. The public names are re-exported
here, so callers import `closeloop.interviews.services` whatever the module.
"""

from __future__ import annotations

from closeloop.interviews.services.booking import (
    Slot,
    interview_book,
    interview_cancel,
    interview_edit_seen,
    interview_reschedule,
)
from closeloop.interviews.services.closing import interviews_close_for
from closeloop.interviews.services.common import (
    EARLIEST,
    MAX_AHEAD,
    MAX_INTERVIEW,
    scorecard_subject,
    when_in_range_error,
)
from closeloop.interviews.services.debriefs import (
    Decision,
    Meeting,
    debrief_candidate_informed,
    debrief_decide,
    debrief_meeting_seen,
    debrief_schedule,
)
from closeloop.interviews.services.panels import panel_seats_sync
from closeloop.interviews.services.rounds import debrief_open, debriefs_open_for_move
from closeloop.interviews.services.scorecards import ScorecardInput, scorecard_save
from closeloop.interviews.services.settling import debriefs_settle_by_move
from closeloop.interviews.services.steps import (
    COMPLETE_STEP,
    DEBRIEF_STEP,
    debrief_open_if_due,
    debriefs_open_due,
    interview_complete,
    interviews_complete,
    scorecard_ask_open,
    scorecard_ask_request,
)

__all__ = [
    "COMPLETE_STEP",
    "DEBRIEF_STEP",
    "EARLIEST",
    "MAX_AHEAD",
    "MAX_INTERVIEW",
    "Decision",
    "Meeting",
    "ScorecardInput",
    "Slot",
    "debrief_candidate_informed",
    "debrief_decide",
    "debrief_meeting_seen",
    "debrief_open",
    "debrief_open_if_due",
    "debrief_schedule",
    "debriefs_open_due",
    "debriefs_open_for_move",
    "debriefs_settle_by_move",
    "interview_book",
    "interview_cancel",
    "interview_complete",
    "interview_edit_seen",
    "interview_reschedule",
    "interviews_close_for",
    "interviews_complete",
    "panel_seats_sync",
    "scorecard_ask_open",
    "scorecard_ask_request",
    "scorecard_save",
    "scorecard_subject",
    "when_in_range_error",
]
