"""Service levels and escalation ladders per ask kind (DESIGN.md §3).

A policy says when an ask is due and which nudges it sends on the way: reminders to the
owner, the due notice, then escalations that also reach the escalation contact (level 1)
and finally an admin (level 2). Jobs override the numbers (the intake agreement will set
them); later features add their own kinds with one `register(...)` call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from closeloop.followups.business_time import (
    WorkCalendar,
    add_business_days,
    add_working_time,
    working_time_between,
)

if TYPE_CHECKING:
    from collections.abc import Mapping


class Unit:
    BUSINESS_DAYS = "business_days"
    BUSINESS_HOURS = "business_hours"  # working hours: 8 per day on a 09:00–17:00 calendar
    HOURS = "hours"  # wall-clock hours, for promises like "72 h after the interview"


class StepKind:
    REMINDER = "reminder"
    DUE = "due"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class Span:
    """An amount of time in a unit; added in the owner's calendar."""

    amount: float
    unit: str = Unit.BUSINESS_DAYS

    def after(self, calendar: WorkCalendar, moment: dt.datetime) -> dt.datetime:
        if self.unit == Unit.BUSINESS_DAYS:
            return add_business_days(calendar, moment, self.amount)
        if self.unit == Unit.BUSINESS_HOURS:
            return add_working_time(calendar, moment, dt.timedelta(hours=self.amount))
        return moment + dt.timedelta(hours=self.amount)

    def describe(self) -> str:
        amount = f"{self.amount:g}"
        return {
            Unit.BUSINESS_DAYS: f"{amount} business day{'s' if self.amount != 1 else ''}",
            Unit.BUSINESS_HOURS: f"{amount} business hour{'s' if self.amount != 1 else ''}",
            Unit.HOURS: f"{amount} hour{'s' if self.amount != 1 else ''}",
        }[self.unit]


@dataclass(frozen=True)
class Step:
    """One rung of the ladder.

    Placed at `fraction` of the time to due (0.5 = halfway), or `after_open` of the ask's
    opening (e.g. one hour after the interview ends), or `after_due` (zero = at due).
    `level` says who hears: 0 the owner, 1 also the escalation contact, 2 also an admin.
    """

    kind: str
    level: int = 0
    fraction: float | None = None
    after_open: Span | None = None
    after_due: Span | None = None

    def at(
        self, calendar: WorkCalendar, opened_at: dt.datetime, due_at: dt.datetime
    ) -> dt.datetime:
        if self.fraction is not None:
            # Halfway in working time: halfway in wall-clock time may fall on a Sunday.
            working = working_time_between(calendar, opened_at, due_at)
            return add_working_time(calendar, opened_at, working * self.fraction)
        if self.after_open is not None:
            return self.after_open.after(calendar, opened_at)
        return self.after_due.after(calendar, due_at) if self.after_due else due_at


@dataclass(frozen=True)
class Policy:
    kind: str
    label: str
    owner_role: str
    due: Span
    steps: tuple[Step, ...]
    repeats_every: Span | None = None  # update_candidate: a new ask each time news is due

    def due_at(self, calendar: WorkCalendar, opened_at: dt.datetime) -> dt.datetime:
        return self.due.after(calendar, opened_at)


REMIND_HALFWAY = Step(StepKind.REMINDER, fraction=0.5)
AT_DUE = Step(StepKind.DUE)


def _escalate(days: float, level: int = 1) -> Step:
    return Step(StepKind.ESCALATION, level=level, after_due=Span(days))


DEFAULTS: dict[str, Policy] = {}


def register(policy: Policy) -> Policy:
    """Add an ask kind with its default policy (the one-line hook for later features)."""
    DEFAULTS[policy.kind] = policy
    return policy


register(
    Policy(
        "review_submission",
        "Review a submitted candidate",
        "hiring_manager",
        Span(2),
        (REMIND_HALFWAY, AT_DUE, _escalate(1), _escalate(2, level=2)),
    )
)
register(
    Policy(
        "submit_scorecard",
        "Submit a scorecard",
        "interviewer",
        Span(1),
        (Step(StepKind.REMINDER, after_open=Span(1, Unit.HOURS)), AT_DUE, _escalate(1)),
    )
)
register(
    Policy(
        "decide_after_debrief",
        "Decide after the debrief",
        "hiring_manager",
        Span(72, Unit.HOURS),
        (AT_DUE, _escalate(1)),
    )
)
register(
    Policy(
        "sign_intake",
        "Sign the intake agreement",
        "hiring_manager",
        Span(2),
        (REMIND_HALFWAY, AT_DUE, _escalate(1)),
    )
)
register(
    Policy(
        "update_candidate",
        "Give a waiting candidate news",
        "recruiter",
        Span(3),
        (AT_DUE,),
        repeats_every=Span(3),
    )
)
register(
    Policy(
        "inform_candidate",
        "Tell the candidate the outcome",
        "recruiter",
        Span(1),
        (AT_DUE, _escalate(1)),
    )
)
register(
    Policy(
        "action_item",
        "Finish an action item",
        "anyone",
        Span(5),
        (Step(StepKind.REMINDER, fraction=0.8), AT_DUE),
    )
)
register(Policy(
    "answer_pulse", "Answer a partnership pulse", "anyone", Span(3),
    (REMIND_HALFWAY,),
))  # fmt: skip


def policy_for(kind: str, overrides: Mapping[str, float] | None = None) -> Policy:
    """The default policy of `kind`, with a job's agreed due time (in its unit) if set."""
    policy = DEFAULTS[kind]
    if overrides and kind in overrides:
        policy = replace(policy, due=replace(policy.due, amount=float(overrides[kind])))
    return policy
