"""The ask kinds interviews add to the follow-up engine (registered at import, from ready())."""

from __future__ import annotations

from closeloop.followups.policies import (
    AT_DUE,
    REMIND_HALFWAY,
    Policy,
    Span,
    Step,
    StepKind,
    Unit,
    Wording,
    escalate,
    register,
)
from closeloop.interviews.kinds import (
    DECIDE_AFTER_DEBRIEF,
    DECIDE_HELD_DEBRIEF,
    SUBMIT_SCORECARD,
)

# Each interviewer owes a scorecard a business day after the interview ends, reminded an hour
# after it ends while it is fresh; escalations reach the HM first, whose decision waits on it.
register(
    Policy(
        SUBMIT_SCORECARD,
        "Submit a scorecard",
        "interviewer",
        Span(1),
        (Step(StepKind.REMINDER, after_open=Span(1, Unit.HOURS)), AT_DUE, escalate(1)),
        Wording(
            "the {round} scorecard for {candidate} ({job})",
            "waits for you to submit it",
            fallback="the scorecard “{title}”",
            about_candidate=True,
        ),
        job_agrees=True,
        escalates_to_hiring_manager=True,
        # Only the interviewer can say what they saw: nobody covers it while they are away
        # (it escalates to the HM as usual), and it is cancelled if they leave (the debrief
        # opens on time without it).
        personal=True,
        is_move=True,
    )
)
# The HM decides within 3 business days of the round's last interview.
register(
    Policy(
        DECIDE_AFTER_DEBRIEF,
        "Decide after the debrief",
        "hiring_manager",
        Span(3),
        (AT_DUE, escalate(1)),
        Wording(
            "the decision on {candidate} after the {round} debrief ({job})",
            "waits for you",
            fallback="the debrief decision “{title}”",
            about_candidate=True,
        ),
        job_agrees=True,
        is_move=True,
    )
)
# A decision put on hold is owed again by the date the hiring manager gave, else within a
# week: a hold that chased nobody left the candidate waiting for ever. Reminded halfway, as
# the date may be weeks ahead, then escalated like the first decision.
register(
    Policy(
        DECIDE_HELD_DEBRIEF,
        "Decide on a debrief on hold",
        "hiring_manager",
        Span(5),
        (REMIND_HALFWAY, AT_DUE, escalate(1)),
        Wording(
            "the decision on {candidate}, on hold since the {round} debrief ({job})",
            "waits for you",
            fallback="the decision on hold “{title}”",
            about_candidate=True,
        ),
        is_move=True,
    )
)
