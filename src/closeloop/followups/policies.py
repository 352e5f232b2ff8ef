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
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NamedTuple, cast

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
    from collections.abc import Iterable, Iterator

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
            if self.after_open is not None and not self.after_open.amount:
                return "told when it opens"
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
    # The ask's title as the person who asked for it reads it ("Answer your question about
    # {candidate}"), where the stored title names them ("Answer Tomasz's question about …");
    # "" when the title names nobody (`followups.selectors.ask_title_for`).
    requester_title: str = ""


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
    # The candidate's move itself (a review, an answer, a scorecard, a decision), owed by
    # whoever holds the move: a wait on them runs from its opening when it opened before the
    # move was recorded as theirs. Other asks about the candidate (news owed, an action
    # item) are late on their own clock and never date a move back.
    is_move: bool = False
    # Owed by this person alone (their pulse scores, their mentoring): nobody else may answer
    # it, so it is never handed to a delegate or a successor; when they leave it is cancelled.
    personal: bool = False

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
        return replace(self, due=replace(self.due, amount=amount))


REMIND_HALFWAY = Step(StepKind.REMINDER, fraction=0.5)
AT_DUE = Step(StepKind.DUE)
# The first rung at the opening itself: the owner is told at once (in their working hours,
# with what else is pending), not first at the halfway reminder.
TOLD_AT_OPEN = Step(StepKind.REMINDER, after_open=Span(0, Unit.HOURS))


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


def ask_kind_choices() -> list[tuple[str, str]]:
    """Every registered kind of ask with its label, for a filter's choices."""
    return [(kind, policy.label) for kind, policy in DEFAULTS.items()]


def policy_for(kind: str) -> Policy:
    """The built-in policy of `kind`; the one in force for a job is `service_level_in_force`."""
    return DEFAULTS[kind]


# --- Service levels in force: job agreement > organisation setting > built-in default -------


def job_kinds() -> tuple[str, ...]:
    """The kinds a job's agreement sets its own due times for, in registration order."""
    return tuple(kind for kind, policy in DEFAULTS.items() if policy.job_agrees)


def quiet_kinds() -> tuple[str, ...]:
    """Kinds that are a waiting clock: shown in queues only once due."""
    return tuple(kind for kind, policy in DEFAULTS.items() if policy.quiet_until_due)


def move_kinds() -> tuple[str, ...]:
    """Kinds that are a candidate's move itself (`Policy.is_move`)."""
    return tuple(kind for kind, policy in DEFAULTS.items() if policy.is_move)


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
    """What an admin submits for one kind, as given (`LevelSettings.parse` checks it)."""

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


# --- Parsing a service level: once, where it comes in ----------------------------------------
# A due time comes in as text from a form box, JSON from the template admin, or anything a
# caller of a service passes. Each door parses it once, with `service_level_parse`, into a
# typed value (`ServiceLevels` for a job's agreed times, `LevelSettings` for the
# organisation's); the services take that value as proof and check nothing again. A column
# read back (Job.service_levels) is another door: `ServiceLevels.stored` skips a value edited
# by hand instead of failing (docs/architecture.md#where-rules-live).

NOT_LEVELS = 'Give each kind of ask its amount, e.g. {"review_submission": 2}.'
NOT_A_SETTING = "Give the due time and whether asks of this kind are opened."


def _number(value: object) -> float | None:
    """A finite number from form or JSON input; None for anything else (bools included)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        return None
    return number if math.isfinite(number) else None


def service_level_parse(kind: str, amount: object) -> float:
    """`amount` as a due time of `kind`, in its unit: the one rule for every door.

    Raises ValidationError saying why it cannot be (no such kind, not a number, outside the
    unit's bounds, not in whole or half steps).
    """
    if kind not in DEFAULTS:
        raise ValidationError("There is no such kind of ask.")
    unit = DEFAULTS[kind].due.unit
    bounds, name = BOUNDS[unit], UNIT_NAMES[unit]
    number = _number(amount)
    if number is None:
        raise ValidationError(f"Enter a number of {name}, e.g. {DEFAULTS[kind].due.amount:g}.")
    if number < bounds.minimum:
        raise ValidationError(
            f"Give at least {bounds.minimum:g} {name}: an ask needs time to be answered."
        )
    if number > bounds.maximum:
        raise ValidationError(
            f"At most {bounds.maximum:g} {name}: anything longer is no longer a follow-up."
        )
    if not (number / bounds.step).is_integer():
        if bounds.step == 0.5:
            raise ValidationError("Use whole or half business days (e.g. 1.5).")
        raise ValidationError(f"Use whole {name}.")
    return number


def json_amount(amount: float) -> int | float:
    """An amount as JSON stores it: 2 rather than 2.0, 1.5 as is."""
    return int(amount) if amount.is_integer() else amount


def _kind_label(kind: str) -> str:
    return DEFAULTS[kind].label if kind in DEFAULTS else kind


def _amounts_read(raw: Mapping[str, object]) -> tuple[dict[str, float], dict[str, str]]:
    """Each kind's amount by the one rule: the valid ones, and why each other one is not."""
    amounts: dict[str, float] = {}
    problems: dict[str, str] = {}
    for kind, amount in raw.items():
        try:
            amounts[kind] = service_level_parse(kind, amount)
        except ValidationError as error:
            problems[kind] = error.messages[0]
    return amounts, problems


_PARSED = object()  # only this module's constructors build parsed values


class ServiceLevels(Mapping[str, float]):
    """A job's agreed due times, parsed: kind → amount in the kind's unit, each one a
    registered kind within its bounds.

    Built only by `parse` (input: all valid, or ValidationError) and `stored` (a column read
    back: a bad value is skipped with a warning); `as_json()` is what Job.service_levels and
    IntakeVersion.service_levels store.
    """

    __slots__ = ("_amounts",)

    def __init__(self, amounts: Mapping[str, float], token: object) -> None:
        if token is not _PARSED:
            raise TypeError("Build ServiceLevels with ServiceLevels.parse or .stored.")
        self._amounts = dict(amounts)

    @classmethod
    def read(cls, raw: object) -> tuple[ServiceLevels, dict[str, str]]:
        """The valid amounts of `raw` (None: none) and why each other kind's is not; a `raw`
        that is not a mapping of kinds raises ValidationError."""
        if raw is None:
            return cls({}, _PARSED), {}
        if not isinstance(raw, Mapping) or not all(isinstance(kind, str) for kind in raw):
            raise ValidationError({"service_levels": [NOT_LEVELS]})
        amounts, problems = _amounts_read(raw)
        return cls(amounts, _PARSED), problems

    @classmethod
    def parse(cls, raw: object) -> ServiceLevels:
        """Input from a caller: all valid, or ValidationError on "service_levels" naming each
        bad kind. A value already parsed is returned as it is."""
        if isinstance(raw, ServiceLevels):
            return raw
        levels, problems = cls.read(raw)
        if problems:
            raise ValidationError(
                {"service_levels": [f"{_kind_label(k)}: {p}" for k, p in problems.items()]}
            )
        return levels

    @classmethod
    def stored(cls, raw: object, *, owner: str) -> ServiceLevels:
        """A column read back. A value edited by hand (or left by an old migration) must not
        stop a candidate from being submitted: it is logged and skipped, never raised."""
        try:
            levels, problems = cls.read(raw)
        except ValidationError:
            log.warning("Ignoring %s's service levels %r", owner, raw)
            return cls({}, _PARSED)
        for kind in problems:
            amount = cast("Mapping[str, object]", raw)[kind]
            log.warning("Ignoring %s's service level %s=%r", owner, kind, amount)
        return levels

    def __getitem__(self, kind: str) -> float:
        return self._amounts[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._amounts)

    def __len__(self) -> int:
        return len(self._amounts)

    def __repr__(self) -> str:
        return f"ServiceLevels({self._amounts!r})"

    def __or__(self, other: ServiceLevels) -> ServiceLevels:
        """These levels with `other`'s on top."""
        return ServiceLevels({**self._amounts, **other._amounts}, _PARSED)

    def only(self, kinds: Iterable[str]) -> ServiceLevels:
        kept = set(kinds)
        return ServiceLevels({k: a for k, a in self.items() if k in kept}, _PARSED)

    def without(self, kinds: Iterable[str]) -> ServiceLevels:
        left_out = set(kinds)
        return ServiceLevels({k: a for k, a in self.items() if k not in left_out}, _PARSED)

    def as_json(self) -> dict[str, int | float]:
        return {kind: json_amount(amount) for kind, amount in self.items()}


class LevelSettings(Mapping[str, tuple[float, bool]]):
    """The organisation's settings an admin submitted, parsed: kind → (amount, on).

    Built only by `parse` (all valid, or ValidationError keyed by kind) or `read`."""

    __slots__ = ("_settings",)

    def __init__(self, settings: Mapping[str, tuple[float, bool]], token: object) -> None:
        if token is not _PARSED:
            raise TypeError("Build LevelSettings with LevelSettings.parse.")
        self._settings = dict(settings)

    @classmethod
    def read(cls, raw: Mapping[str, object]) -> tuple[LevelSettings, dict[str, str]]:
        """The valid settings of `raw` (kind → LevelSetting) and why each other one is not."""
        amounts: dict[str, object] = {}
        enabled: dict[str, bool] = {}
        problems: dict[str, str] = {}
        for kind, setting in raw.items():
            if isinstance(setting, tuple) and len(setting) == 2:
                amounts[kind], enabled[kind] = setting[0], bool(setting[1])
            else:
                problems[kind] = NOT_A_SETTING
        parsed, amount_problems = _amounts_read(amounts)
        problems.update(amount_problems)
        settings = {kind: (amount, enabled[kind]) for kind, amount in parsed.items()}
        return cls(settings, _PARSED), {kind: problems[kind] for kind in raw if kind in problems}

    @classmethod
    def parse(cls, raw: Mapping[str, object]) -> LevelSettings:
        """Input from a caller: all valid, or ValidationError keyed by kind. A value already
        parsed is returned as it is."""
        if isinstance(raw, LevelSettings):
            return raw
        settings, problems = cls.read(raw)
        if problems:
            raise ValidationError(problems)
        return settings

    def __getitem__(self, kind: str) -> tuple[float, bool]:
        return self._settings[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._settings)

    def __len__(self) -> int:
        return len(self._settings)

    def __repr__(self) -> str:
        return f"LevelSettings({self._settings!r})"


def service_level_lines(levels: ServiceLevels) -> list[str]:
    """A job's or an agreement's due times as people read them, one line per job kind."""
    lines = []
    for kind in job_kinds():
        policy = DEFAULTS[kind]
        if kind in levels:
            # The policy's own wording ("1 business day", "72 hours"), singular included.
            lines.append(f"{policy.label}: {policy.with_due(levels[kind]).due.describe()}")
        else:
            lines.append(f"{policy.label}: the organisation's time")
    return lines


def job_overrides(job: Job | None) -> ServiceLevels:
    """The job's agreed due times that are usable: asks open inside the pipeline's
    transactions, so a bad stored value is logged and skipped (`ServiceLevels.stored`)."""
    if job is None:
        return ServiceLevels.parse(None)
    return ServiceLevels.stored(job.service_levels, owner=f"job {job.pk}")


def _in_force(kind: str, setting: ServiceLevel | None, agreed: ServiceLevels) -> LevelInForce:
    default = DEFAULTS[kind]
    if kind in agreed:
        amount, source = agreed[kind], Source.JOB
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
    agreed = job_overrides(job)
    return [_in_force(kind, settings.get(kind), agreed) for kind in kinds]


def service_level_in_force(
    *, kind: str, job: Job | None = None, settings: Mapping[str, ServiceLevel] | None = None
) -> LevelInForce:
    """The one resolution ask_open uses: job agreement > organisation setting > default."""
    return service_levels_in_force(job=job, kinds=[kind], settings=settings)[0]


def service_level_changes(
    settings: LevelSettings,
) -> list[tuple[LevelInForce, float, bool]]:
    """What an admin's parsed settings change: (the level before, new amount, on) per kind."""
    changes = []
    for before in service_levels_in_force(kinds=settings):
        amount, enabled = settings[before.kind]
        if amount != before.policy.due.amount or enabled != before.enabled:
            changes.append((before, amount, enabled))
    return changes


def service_level_can_edit(*, user: User) -> bool:
    """Only admins set the organisation's service levels."""
    return bool(user.is_active and user.is_admin)
