"""The ask kind the intake adds to the follow-up engine (registered at import, from ready())."""

from __future__ import annotations

from closeloop.followups.policies import (
    AT_DUE,
    REMIND_HALFWAY,
    Policy,
    Span,
    Wording,
    escalate,
    register,
)

SIGN_INTAKE = "sign_intake"

# Each side owes its signature on a proposed version within 2 business days.
register(
    Policy(
        SIGN_INTAKE,
        "Sign the intake agreement",
        "hiring_manager",
        Span(2),
        (REMIND_HALFWAY, AT_DUE, escalate(1)),
        Wording(
            "version {version} of the {job} intake",
            "waits for your signature",
            fallback="the {job} intake",
        ),
    )
)
