"""The ask kinds the pipeline adds to the follow-up engine (registered at import, from ready())."""

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

ANSWER_QUESTION = "answer_question"

# The HM asked the recruiter about a submission: the recruiter owes the answer within a
# business day (the HM's review is on hold meanwhile), reminded halfway, and the escalation
# contact hears a business day after due, because the candidate waits on both of them.
register(
    Policy(
        ANSWER_QUESTION,
        "Answer a question from the hiring manager",
        "recruiter",
        Span(1),
        (REMIND_HALFWAY, AT_DUE, Step(StepKind.ESCALATION, level=1, after_due=Span(1))),
        Wording(
            "{asker}'s question about {candidate} ({job}): “{question}”",
            "waits for your answer",
            fallback="the question “{title}”",
            about_candidate=True,
        ),
    )
)
