"""What the apps above accounts plug into people management (docs/architecture.md#people).

accounts knows people, not what they owe or own: the engine knows their asks and one-click
links, calendars their feeds, jobs the jobs they run. Those apps fill these from their
`AppConfig.ready()`:

- `person_deactivated` (signal, sent inside the deactivation's transaction with `user`,
  `by`, `at`): end what the person could still do or owed — the engine moves their open asks
  and revokes their one-click links, calendars revoke their feed. A receiver that raises
  rolls the deactivation back.
- `person_reactivated` (signal, same arguments): the person is back; the engine returns the
  asks their successors held for them. A receiver returns sentences for the admin about
  what came back (or None); the people page shows them after "active again".
- `calendar_changed` (signal, sent inside the profile save's transaction, or the admin's,
  with `user`, `by`, `changed`, the names of the calendar fields that changed, and `before`,
  their values until then): what was placed in the person's own time follows it — the weekly
  update moves to its day and time in the new zone, the open asks they owe keep the business
  time they had left. A receiver returns sentences for whoever saved (or None); the page
  shows them after saving.
- `invitation_accepted` (signal, sent inside the acceptance's transaction with `user`,
  `at`): the invitee joined; the outbox marks the invitation email read (it was used).
- `person_count_register(PersonCount(...))`: a number per person on the people page, as a
  SQL expression over `accounts_user` (the page annotates its one query with it), with an
  optional second one shown beside it ("8 (+9 scheduled)").
- `deactivation_impact_register(provider)`: what the deactivation page shows will happen,
  `provider(user=..., by=...)` returning `Impact` lines.
- `reactivation_impact_register(provider)`: the same for the reactivation page (the engine:
  which asks held for the person come back from whom, and who is told).
- `role_removal_check_register(check)`: why a role may not be taken from a person now,
  `check(user=..., removed=...)` returning {role field: problem} (jobs: the hiring manager
  or recruiter of a live job keeps that role until the job has another).
- `people_field_register(field, people)`: who a typed person field of an app above may
  name, `people(user=...)` returning the active people `user` may pick there (mentorship:
  a mentee is never the person offering to mentor them).
- `absence_note_register(name, note)`: what a person who saves an absence on their profile
  is still booked on while away, `note(user=..., start=..., end=...)` returning sentences
  the page shows after saving (interviews: the panels they sit on in that time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.db.models.expressions import Combinable

    from closeloop.accounts.models import User

person_deactivated = Signal()  # sender=User, user=, by=, at=
# Sent inside the reactivation's transaction: the engine hands back the asks held for them.
person_reactivated = Signal()  # sender=User, user=, by=, at=
# Sent inside the profile save's transaction when the person's working calendar changed
# (`changed`: the field names among CALENDAR_FIELDS; `before`: {name: value until now} of every
# one of them): what is placed in their own time moves. Receivers answer sentences for `by`.
calendar_changed = Signal()  # sender=User, user=, by=, changed=, before=
CALENDAR_FIELDS = (
    "time_zone",
    "work_days",
    "work_start",
    "work_end",
    "holiday_country",
    "holiday_subdivision",
)
# Sent inside the acceptance's transaction: the invitation email has done its work.
invitation_accepted = Signal()  # sender=User, user=, at=


@dataclass(frozen=True)
class PersonCount:
    """A count per person on the people page: `name` is the annotation, `build()` returns
    the expression (a subquery on `OuterRef("pk")`). `aside`, if any, is a second count
    the cell shows next to the first as "(+n `aside_label`)" when there is one: what the
    first leaves out but still belongs to the person (annotated as `name` + "_aside")."""

    name: str
    label: str
    build: Callable[[], Combinable]
    aside: Callable[[], Combinable] | None = None
    aside_label: str = ""
    aside_title: str = ""

    @property
    def aside_name(self) -> str:
        return f"{self.name}_aside"


_COUNTS: dict[str, PersonCount] = {}


def person_count_register(count: PersonCount) -> None:
    _COUNTS[count.name] = count


def person_counts() -> list[PersonCount]:
    return list(_COUNTS.values())


@dataclass(frozen=True)
class ImpactLink:
    text: str
    url: str


@dataclass(frozen=True)
class Impact:
    """One line of the deactivation (or reactivation) page: "3 reviews of submissions move
    to Olga"; `action` says what the admin still has to do, `links` where."""

    text: str
    action: str = ""
    links: tuple[ImpactLink, ...] = field(default_factory=tuple)


ImpactProvider = Callable[..., list[Impact]]
_IMPACTS: dict[str, tuple[int, ImpactProvider]] = {}


def deactivation_impact_register(name: str, provider: ImpactProvider, *, order: int = 100) -> None:
    """`provider(user=..., by=...)` lists what deactivating `user` moves or leaves to do;
    lines of a lower `order` come first."""
    _IMPACTS[name] = (order, provider)


def deactivation_impact(*, user: User, by: User) -> list[Impact]:
    return _impact_lines(_IMPACTS, user=user, by=by)


_REACTIVATION_IMPACTS: dict[str, tuple[int, ImpactProvider]] = {}


def reactivation_impact_register(name: str, provider: ImpactProvider, *, order: int = 100) -> None:
    """`provider(user=..., by=...)` lists what reactivating `user` brings back or tells whom;
    lines of a lower `order` come first. Reads only: the page changes nothing."""
    _REACTIVATION_IMPACTS[name] = (order, provider)


def reactivation_impact(*, user: User, by: User) -> list[Impact]:
    return _impact_lines(_REACTIVATION_IMPACTS, user=user, by=by)


def _impact_lines(
    providers: dict[str, tuple[int, ImpactProvider]], *, user: User, by: User
) -> list[Impact]:
    lines: list[Impact] = []
    for _order, provider in sorted(providers.values(), key=lambda entry: entry[0]):
        lines.extend(provider(user=user, by=by))
    return lines


RoleRemovalCheck = Callable[..., dict[str, str]]
_ROLE_CHECKS: dict[str, RoleRemovalCheck] = {}


def role_removal_check_register(name: str, check: RoleRemovalCheck) -> None:
    """`check(user=..., removed=...)`: {role field: why it may not go} for the role fields in
    `removed` (a set of names such as "is_hiring_manager") the person must keep for now."""
    _ROLE_CHECKS[name] = check


def role_removal_problems(*, user: User, removed: set[str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for check in _ROLE_CHECKS.values():
        for role, problem in check(user=user, removed=removed).items():
            problems.setdefault(role, problem)
    return problems


# Who a typed person field of an app above may name, as `user` fills it in.
PeopleFor = Callable[..., "QuerySet[User]"]
_FIELD_PEOPLE: dict[str, PeopleFor] = {}


def people_field_register(field: str, people: PeopleFor) -> None:
    """`people(user=...)` is whom `field` offers and accepts, the same rule as its form's."""
    _FIELD_PEOPLE[field] = people


def people_field_rule(field: str) -> PeopleFor | None:
    return _FIELD_PEOPLE.get(field)


# What a person is still booked on while away, said on the profile after saving an absence.
AbsenceNote = Callable[..., list[str]]
_ABSENCE_NOTES: dict[str, AbsenceNote] = {}


def absence_note_register(name: str, note: AbsenceNote) -> None:
    """`note(user=..., start=..., end=...)`: sentences about what `user` is booked on from
    `start` to `end` (their absence still to come, or the rest of it)."""
    _ABSENCE_NOTES[name] = note


def absence_notes(*, user: User, now: dt.datetime) -> list[str]:
    """What the person's saved absence collides with, from `now` (or its start) to its end;
    nothing when no absence is set or it is over."""
    start, end = user.out_of_office_from, user.out_of_office_until
    if start is None or end is None or end <= now:
        return []
    start = max(start, now)
    return [
        line for note in _ABSENCE_NOTES.values() for line in note(user=user, start=start, end=end)
    ]
