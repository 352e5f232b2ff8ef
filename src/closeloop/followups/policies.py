"""Service levels and escalation ladders per ask kind (docs/architecture.md#the-follow-up-engine).

A policy says when an ask is due and which nudges it sends on the way: reminders to the
owner, the due notice, then escalations that also reach the escalation contact (level 1)
and finally an admin (level 2). Jobs override the numbers (the intake agreement will set
them); each feature registers its own kinds with `register(...)` from its AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import ValidationError

from closeloop.followups.business_time import (
    WorkCalendar,
    add_business_days,
    add_working_time,
    end_of_working_day,
    working_time_between,
)
from closeloop.followups.models import ServiceLevel

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job

log = logging.getLogger("closeloop.followups")


class Unit:
    BUSINESS_DAYS = "business_days"
    BUSINESS_HOURS = "business_hours"  # working hours: 8 per day on a 09:00–17:00 calendar
    # Wall-clock hours: only for a reminder's placement ("1 h after the interview ends"),
    # never for a due time, which is always business time in the owner's calendar.
    HOURS = "hours"


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

    def describe(self) -> str:
        """The rung in a few words, for the settings page ("escalate 1 business day after due")."""
        if self.kind == StepKind.REMINDER:
            if self.after_open is not None:
                return f"reminder {self.after_open.describe()} after opening"
            return (
                "reminder halfway" if self.fraction == 0.5 else f"reminder at {self.fraction:.0%}"
            )
        if self.kind == StepKind.DUE:
            return "notice at due"
        who = "to an admin" if self.level >= 2 else "to the escalation contact"
        return f"{who} {self.after_due.describe() if self.after_due else '0'} after due"


@dataclass(frozen=True)
class Wording:
    """How reminders and escalations speak of one kind of ask (composed in messages.py).

    `subject` names what is owed ("version {version} of the {job} intake"); `waits` says
    what it waits for from its owner ("waits for your signature"). Placeholders are the
    ask's facts: {title}, {job} and {candidate} always, plus what its opener passed to
    `ask_open(facts=...)`. `fallback` names it when a fact is missing (an older ask).
    Only kinds `about_candidate` say how long a candidate has been waiting.
    """

    subject: str
    waits: str
    fallback: str = "“{title}”"
    about_candidate: bool = False


GENERIC_WORDING = Wording("“{title}”", "waits for you")


@dataclass(frozen=True)
class Policy:
    kind: str
    label: str
    owner_role: str
    due: Span
    steps: tuple[Step, ...]
    wording: Wording = GENERIC_WORDING
    # A job's agreement may set this kind's due time (the job form and the intake offer it).
    job_agrees: bool = False
    # Escalations reach the job's hiring manager first (a missing scorecard holds up the HM's
    # decision), before the escalation contact.
    escalates_to_hiring_manager: bool = False
    # A waiting clock rather than a request: it shows in queues only once it is due.
    quiet_until_due: bool = False

    def due_at(
        self, calendar: WorkCalendar, opened_at: dt.datetime, due_on: dt.date | None = None
    ) -> dt.datetime:
        """When an ask opened at `opened_at` is due, always inside the calendar's working hours.

        An agreed date (`due_on`, e.g. an action item "by Friday") is due at the end of that
        working day; otherwise the service level is counted in working time from the opening.
        """
        if due_on is not None:
            return end_of_working_day(calendar, due_on, after=opened_at)
        return self.due.after(calendar, opened_at)

    def describe_ladder(self) -> str:
        return ", then ".join(step.describe() for step in self.steps)

    def with_due(self, amount: float) -> Policy:
        """The same ladder with another due time in the kind's own unit."""
        return replace(self, due=replace(self.due, amount=float(amount)))


REMIND_HALFWAY = Step(StepKind.REMINDER, fraction=0.5)
AT_DUE = Step(StepKind.DUE)


def escalate(days: float, level: int = 1) -> Step:
    """An escalation `days` business days after due (level 1: the contact; 2: the admins)."""
    return Step(StepKind.ESCALATION, level=level, after_due=Span(days))


DEFAULTS: dict[str, Policy] = {}


def register(policy: Policy) -> Policy:
    """Add an ask kind with its default policy (the one-line hook for later features).

    Register a kind only with the feature that opens it: the service-level settings page
    offers every registered kind."""
    if policy.due.unit == Unit.HOURS:
        # A due time in wall-clock hours lands on weekends and holidays ("due Sun 18:51").
        raise ValueError(f"{policy.kind}: a due time must be in business days or hours.")
    DEFAULTS[policy.kind] = policy
    return policy


def wording_for(kind: str) -> Wording:
    """How nudges speak of `kind`; a kind registered without wording names the ask's title."""
    policy = DEFAULTS.get(kind)
    return policy.wording if policy is not None else GENERIC_WORDING


def policy_for(kind: str, overrides: Mapping[str, float] | None = None) -> Policy:
    """The default policy of `kind`, with a job's agreed due time (in its unit) if set."""
    policy = DEFAULTS[kind]
    if overrides and kind in overrides:
        policy = policy.with_due(overrides[kind])
    return policy


# --- Service levels in force: job agreement > organisation setting > built-in default -------


def job_kinds() -> tuple[str, ...]:
    """The kinds a job's agreement sets its own due times for, in registration order."""
    return tuple(kind for kind, policy in DEFAULTS.items() if policy.job_agrees)


def quiet_kinds() -> tuple[str, ...]:
    """Kinds that are a waiting clock: shown in queues only once due."""
    return tuple(kind for kind, policy in DEFAULTS.items() if policy.quiet_until_due)


UNIT_NAMES = {
    Unit.BUSINESS_DAYS: "business days",
    Unit.BUSINESS_HOURS: "business hours",
}


OWNER_NAMES = {
    "hiring_manager": "the hiring manager",
    "interviewer": "each interviewer",
    "recruiter": "the recruiter",
    "anyone": "whoever it is assigned to",
}


class Bounds(NamedTuple):
    """What a due time may be in one unit: longer than six weeks is no longer a follow-up."""

    minimum: float
    maximum: float
    step: float  # business days in halves; hours whole


BOUNDS = {
    Unit.BUSINESS_DAYS: Bounds(0.5, 30, 0.5),
    Unit.BUSINESS_HOURS: Bounds(1, 240, 1),
}


class Source:
    JOB = "job"
    ORGANISATION = "organisation"
    DEFAULT = "default"


class LevelSetting(NamedTuple):
    """What an admin submits for one kind on the settings page."""

    amount: object
    enabled: bool


@dataclass(frozen=True)
class LevelInForce:
    """The policy one kind runs under for a job (or org-wide), and where its due time came from."""

    policy: Policy
    enabled: bool
    source: str
    setting: ServiceLevel | None = None  # the organisation's row, when an admin set one

    @property
    def kind(self) -> str:
        return self.policy.kind

    @property
    def default(self) -> Span:
        return DEFAULTS[self.kind].due

    @property
    def unit_name(self) -> str:
        return UNIT_NAMES[self.policy.due.unit]

    @property
    def per_job(self) -> bool:
        """Whether a job may agree its own due time for this kind."""
        return self.kind in job_kinds()

    @property
    def owner_name(self) -> str:
        return OWNER_NAMES.get(self.policy.owner_role, self.policy.owner_role)

    def describe(self) -> str:
        return self.policy.due.describe() if self.enabled else "off"


def _number(value: object) -> float | None:
    """A finite number from form or JSON input; None for anything else (bools included)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        return None
    return number if math.isfinite(number) else None


def service_level_problem(kind: str, amount: object) -> str | None:
    """Why `amount` cannot be the due time of `kind` (in its unit), or None when it can."""
    if kind not in DEFAULTS:
        return "There is no such kind of ask."
    unit = DEFAULTS[kind].due.unit
    bounds, name = BOUNDS[unit], UNIT_NAMES[unit]
    number = _number(amount)
    if number is None:
        return f"Enter a number of {name}, e.g. {DEFAULTS[kind].due.amount:g}."
    if number < bounds.minimum:
        return f"Give at least {bounds.minimum:g} {name}: an ask needs time to be answered."
    if number > bounds.maximum:
        return f"At most {bounds.maximum:g} {name}: anything longer is no longer a follow-up."
    if not (number / bounds.step).is_integer():
        return (
            "Use whole or half business days (e.g. 1.5)."
            if bounds.step == 0.5
            else (f"Use whole {name}.")
        )
    return None


def service_level_amount(amount: object) -> int | float:
    """A valid amount as JSON likes it: 2 rather than 2.0, 1.5 as is."""
    number = _number(amount)
    assert number is not None, "validate with service_level_problem first"
    return int(number) if number.is_integer() else number


def service_levels_clean(levels: Mapping[str, object]) -> dict[str, int | float]:
    """A job's agreed due times, checked: all valid, or ValidationError and nothing changes.

    Used by every writer of Job.service_levels (the job form, the intake agreement).
    """
    problems = [
        f"{DEFAULTS[kind].label if kind in DEFAULTS else kind}: {problem}"
        for kind, amount in levels.items()
        if (problem := service_level_problem(kind, amount))
    ]
    if problems:
        raise ValidationError({"service_levels": problems})
    return {kind: service_level_amount(amount) for kind, amount in levels.items()}


def job_overrides(job: Job | None) -> dict[str, float]:
    """The job's agreed due times that are usable; a bad stored value falls back, never crashes.

    Asks open inside the pipeline's transactions: a hand-edited or half-migrated value must
    not stop a candidate from being submitted, so it is logged and ignored.
    """
    overrides: dict[str, float] = {}
    if job is None:
        return overrides
    for kind, amount in dict(job.service_levels or {}).items():
        if service_level_problem(kind, amount) is None:
            overrides[kind] = float(service_level_amount(amount))
        else:
            log.warning("Ignoring job %s's service level %s=%r", job.pk, kind, amount)
    return overrides


def _in_force(kind: str, setting: ServiceLevel | None, overrides: dict[str, float]) -> LevelInForce:
    default = DEFAULTS[kind]
    if kind in overrides:
        amount, source = overrides[kind], Source.JOB
    elif setting is not None:
        amount, source = float(setting.amount), Source.ORGANISATION
    else:
        amount, source = default.due.amount, Source.DEFAULT
    enabled = setting.enabled if setting is not None else True
    return LevelInForce(default.with_due(amount), enabled, source, setting)


def service_level_settings(kinds: Iterable[str]) -> dict[str, ServiceLevel]:
    """The organisation's settings of these kinds, by kind (a kind never set has none)."""
    rows = ServiceLevel.objects.filter(kind__in=list(kinds)).select_related("updated_by")
    return {row.kind: row for row in rows}


def service_levels_in_force(
    *,
    job: Job | None = None,
    kinds: Iterable[str] | None = None,
    settings: Mapping[str, ServiceLevel] | None = None,
) -> list[LevelInForce]:
    """The policy each kind runs under: the job's agreed time, else the organisation's, else
    the built-in default. Whether a kind is on at all is the organisation's call. One query,
    none when the caller read the organisation's `settings` already (`service_level_settings`
    of at least these kinds: opening many asks at once reads them once).
    """
    kinds = list(DEFAULTS if kinds is None else kinds)
    if settings is None:
        settings = service_level_settings(kinds)
    overrides = job_overrides(job)
    return [_in_force(kind, settings.get(kind), overrides) for kind in kinds]


def service_level_in_force(
    *, kind: str, job: Job | None = None, settings: Mapping[str, ServiceLevel] | None = None
) -> LevelInForce:
    """The one resolution ask_open uses: job agreement > organisation setting > default."""
    return service_levels_in_force(job=job, kinds=[kind], settings=settings)[0]


def service_level_changes(
    levels: Mapping[str, LevelSetting],
) -> list[tuple[LevelInForce, int | float, bool]]:
    """Check an admin's submission and say what it changes: all valid, or ValidationError."""
    errors = {
        kind: problem
        for kind, setting in levels.items()
        if (problem := service_level_problem(kind, setting.amount))
    }
    if errors:
        raise ValidationError(errors)
    changes = []
    for before in service_levels_in_force(kinds=levels):
        amount = service_level_amount(levels[before.kind].amount)
        enabled = bool(levels[before.kind].enabled)
        if amount != before.policy.due.amount or enabled != before.enabled:
            changes.append((before, amount, enabled))
    return changes


def service_level_can_edit(*, user: User) -> bool:
    """Only admins set the organisation's service levels."""
    return bool(user.is_active and user.is_admin)
