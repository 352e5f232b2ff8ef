"""The ask kinds mentorship adds to the follow-up engine (registered at import, from plug_in)."""

from __future__ import annotations

from closeloop.followups.policies import (
    AT_DUE,
    REMIND_HALFWAY,
    Policy,
    Span,
    Step,
    StepKind,
    Wording,
    register,
)

ACCEPT_MENTORSHIP = "accept_mentorship"
MENTORING_ACTION = "mentoring_action"

# The mentee answers a proposal within 3 business days, reminded once, halfway: a pairing is
# an offer, not an obligation, so nobody is escalated.
register(
    Policy(
        ACCEPT_MENTORSHIP,
        "Answer a mentorship proposal",
        "anyone",
        Span(3),
        (REMIND_HALFWAY,),
        Wording("the mentorship {mentor} proposed", "waits for your answer", fallback="“{title}”"),
        personal=True,  # a pairing is the mentee's to accept
    )
)
# An action item agreed in a mentoring session is due on the date set there, reminded at 80%
# of the way and at due, like a touch-base's.
register(
    Policy(
        MENTORING_ACTION,
        "Finish a mentoring action item",
        "anyone",
        Span(5),
        (Step(StepKind.REMINDER, fraction=0.8), AT_DUE),
        Wording(
            "the action item “{item}” from your mentoring session",
            "waits for you",
            fallback="the action item “{title}”",
        ),
        personal=True,  # agreed between the two of them
    )
)
