"""The ask kinds of end-of-search surveys and quality-of-hire check-ins.

Each opens with an invitation (the first rung, at once, carries the one-click buttons) and
reminds its owner once more before it is due. `register` is called from plug_in().
"""

from __future__ import annotations

from closeloop.followups.policies import Policy, Span, Step, StepKind, Unit, Wording, register

ANSWER_SURVEY = "answer_survey"
QUALITY_CHECKIN = "quality_checkin"

# The survey's window: the answers are revealed when it closes, if not before.
SURVEY_WINDOW_DAYS = 10

INVITE_AT_OPEN = Step(StepKind.REMINDER, after_open=Span(0, Unit.HOURS))

SURVEY_POLICY = Policy(
    ANSWER_SURVEY,
    "Answer the end-of-search survey",
    "recruiter and hiring manager",
    Span(SURVEY_WINDOW_DAYS),
    (INVITE_AT_OPEN, Step(StepKind.REMINDER, fraction=0.6)),
    Wording(
        "the end-of-search survey of {job} ({outcome})",
        "waits for your answer: would you work together again?",
        fallback="the end-of-search survey of {job}",
    ),
)

CHECKIN_POLICY = Policy(
    QUALITY_CHECKIN,
    "Answer a quality-of-hire check-in",
    "hiring manager",
    Span(5),
    (INVITE_AT_OPEN, Step(StepKind.REMINDER, fraction=0.6)),
    Wording(
        "the {days}-day check-in on {candidate}",
        "waits for you: how is the hire doing?",
        fallback="the check-in on {candidate}",
    ),
)


def policies_register() -> None:
    register(SURVEY_POLICY)
    register(CHECKIN_POLICY)
