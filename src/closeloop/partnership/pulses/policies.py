"""The `answer_pulse` ask kind (registered when plug.py is imported, from ready())."""

from __future__ import annotations

from closeloop.followups.policies import Policy, Span, Step, StepKind, Unit, Wording, register

ANSWER_PULSE = "answer_pulse"

# Each side owes its scores within 3 business days. The first rung is the invitation itself,
# sent as the round opens: nudges are what carry the one-click score links. One reminder
# follows two thirds of the way; after due nobody is chased, the round's window (longer)
# closes it.
INVITE = Step(StepKind.REMINDER, after_open=Span(0, Unit.HOURS))
REMIND = Step(StepKind.REMINDER, fraction=2 / 3)

ANSWER_PULSE_POLICY = register(
    Policy(
        ANSWER_PULSE,
        "Answer a partnership pulse",
        "anyone",
        Span(3),
        (INVITE, REMIND),
        Wording(
            "your pulse on working with {about} ({job})",
            "waits for your three scores, 1 to 5",
            fallback="the pulse “{title}”",
        ),
        personal=True,  # only the person the pulse belongs to answers it
    )
)
