"""The ask kind touch-bases add to the follow-up engine (registered at import, from ready())."""

from __future__ import annotations

from closeloop.followups.policies import AT_DUE, Policy, Span, Step, StepKind, Wording, register

HOLD_TOUCHBASE = "hold_touchbase"

# The recruiter owes a record of each meeting: held (with notes) or skipped. Opened by the
# worker when the meeting ends; due one business day later; the escalation contact hears a
# day after that, because an unrecorded meeting means its action items were never tracked.
register(
    Policy(
        HOLD_TOUCHBASE,
        "Mark the touch-base held",
        "recruiter",
        Span(1),
        (AT_DUE, Step(StepKind.ESCALATION, level=1, after_due=Span(1))),
        Wording(
            "the {job} touch-base of {meeting}",
            "waits to be marked held or skipped",
            fallback="the {job} touch-base",
        ),
    )
)
