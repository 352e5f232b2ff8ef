"""The ask kinds the pipeline adds to the follow-up engine (registered at import, from ready())."""

from __future__ import annotations

from closeloop.followups.policies import (
    AT_DUE,
    REMIND_HALFWAY,
    TOLD_AT_OPEN,
    Policy,
    Span,
    Step,
    StepKind,
    Wording,
    escalate,
    register,
)

REVIEW_SUBMISSION = "review_submission"
UPDATE_CANDIDATE = "update_candidate"
INFORM_CANDIDATE = "inform_candidate"
ANSWER_QUESTION = "answer_question"

# The HM owes a decision on each submission: 2 business days, told when submitted (with
# Advance / Pass buttons) and reminded halfway; the escalation contact hears a business day
# after due, the admins a day after that.
register(
    Policy(
        REVIEW_SUBMISSION,
        "Review a submitted candidate",
        "hiring_manager",
        Span(2),
        (TOLD_AT_OPEN, REMIND_HALFWAY, AT_DUE, escalate(1), escalate(2, level=2)),
        Wording(
            "the review of {candidate} for {job}",
            "waits for your decision",
            fallback="the review “{title}”",
            about_candidate=True,
        ),
        job_agrees=True,
        is_move=True,
    )
)
# A candidate in play is owed news every 3 business days: a waiting clock, not a request.
register(
    Policy(
        UPDATE_CANDIDATE,
        "Give a waiting candidate news",
        "recruiter",
        Span(3),
        (AT_DUE,),
        Wording("news for {candidate} ({job})", "is owed by you", about_candidate=True),
        job_agrees=True,
        quiet_until_due=True,
    )
)
# After a pass or rejection the recruiter tells the candidate within a business day.
register(
    Policy(
        INFORM_CANDIDATE,
        "Tell the candidate the outcome",
        "recruiter",
        Span(1),
        (AT_DUE, escalate(1)),
        Wording(
            "the outcome for {candidate} ({job})",
            "waits for you to tell them",
            about_candidate=True,
        ),
    )
)

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
            requester_title="Answer your question about {candidate}",
        ),
        is_move=True,
    )
)
