"""The ask kinds touch-bases add to the follow-up engine (registered at import, from ready())."""

from __future__ import annotations

from closeloop.followups.policies import AT_DUE, Policy, Span, Step, StepKind, Wording, register

HOLD_TOUCHBASE = "hold_touchbase"
ACTION_ITEM = "action_item"

# An action item agreed in a touch-base is due on the date set there (5 business days if
# none), reminded at 80% of the way.
register(
    Policy(
        ACTION_ITEM,
        "Finish an action item",
        "anyone",
        Span(5),
        (Step(StepKind.REMINDER, fraction=0.8), AT_DUE),
        Wording(
            "the action item “{item}” from the touch-base of {meeting}",
            "waits for you",
            fallback="the action item “{title}”",
        ),
    )
)

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
        # What is owed is the record, not the meeting: "Marking the … touch-base of Tue 01
        # Dec held or skipped is 2 business days overdue", as its title and the weekly
        # update say it.
        Wording(
            "marking the {job} touch-base of {meeting} held or skipped",
            "waits for you",
            fallback="marking the {job} touch-base held or skipped",
        ),
    )
)
