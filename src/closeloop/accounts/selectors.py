"""Reads about people and the calendars they work in (time zones, public holidays)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import holidays
from django.db.models import Q
from django.utils import timezone
from holidays.registry import COUNTRIES

from closeloop.accounts.hooks import people_field_rule
from closeloop.accounts.models import Invitation, Session, User
from closeloop.accounts.sessions import DEVICE, SIGNED_IN_AT
from closeloop.activity.models import Activity
from closeloop.lib.folding import by_name
from closeloop.lib.text import listed

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

# The IANA database's areas, for grouping the zones in a picker.
TIME_ZONE_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """Every zone the IANA database on this machine knows (what validation accepts)."""
    return frozenset(zoneinfo.available_timezones())


def _zone_tab() -> str:
    """The IANA database's zone.tab (one line per country's zone): the system's, or the
    tzdata package's when the system has none."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@lru_cache(maxsize=1)
def time_zone_offered() -> tuple[str, ...]:
    """The zones people pick from: zone.tab's Area/City names (one per country and region,
    e.g. Europe/Kyiv) and UTC, never the deprecated aliases the database also keeps
    ("US/Eastern", "GB", "Etc/GMT+5", "Europe/Kiev"). Those still validate when stored."""
    known = time_zone_names()
    names = {
        columns[2]
        for line in _zone_tab().splitlines()
        if line and not line.startswith("#") and len(columns := line.split("\t")) >= 3
    }
    if not names:  # no zone.tab anywhere: fall back to the Area/City names of the database
        names = {n for n in known if n.split("/", 1)[0] in TIME_ZONE_REGIONS and "/" in n}
    return ("UTC", *sorted(names & known))


def _with_current(names: tuple[str, ...], current: str) -> list[str]:
    """Keep a stored zone on offer even if it is an alias, so saving a form keeps it."""
    if current and current not in names and current in time_zone_names():
        return [*names, current]
    return list(names)


def time_zone_options(current: str = "") -> list[tuple[str, str]]:
    """Zones as one flat list for a select (UTC first, then Area/City, sorted)."""
    return [(name, name.replace("_", " ")) for name in _with_current(time_zone_offered(), current)]


def time_zone_choices(current: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Zones grouped by area for a select; the user's current zone is always offered."""
    groups: dict[str, list[tuple[str, str]]] = {"": []}
    for name in _with_current(time_zone_offered(), current):
        area = name.split("/", 1)[0] if "/" in name else ""
        groups.setdefault(area if area in TIME_ZONE_REGIONS else "", []).append(
            (name, name.replace("_", " "))
        )
    return [(region, zones) for region, zones in groups.items()]


def _country_label(class_name: str) -> str:
    # The holidays registry names countries by class ("UnitedKingdom"): split the words.
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)


@lru_cache(maxsize=1)
def holiday_countries() -> dict[str, str]:
    """ISO code → country name for every country the `holidays` package has a calendar for."""
    supported = holidays.list_supported_countries(include_aliases=False)
    names = {entry[1]: _country_label(entry[0]) for entry in COUNTRIES.values()}
    return {code: names.get(code, code) for code in supported}


def holiday_country_choices() -> list[tuple[str, str]]:
    """(code, "Name (code)") sorted by name, for a select."""
    countries = holiday_countries()
    ordered = sorted(countries.items(), key=lambda item: item[1])
    return [(code, f"{name} ({code})") for code, name in ordered]


def holiday_subdivisions(country: str) -> dict[str, str]:
    """Subdivision code → name for one country ({} when it has none or is unknown)."""
    codes = holidays.list_supported_countries(include_aliases=False).get(country, [])
    if not codes:
        return {}
    aliases = getattr(holidays.country_holidays(country), "subdivisions_aliases", {}) or {}
    names: dict[str, str] = {}
    for name, code in aliases.items():
        names.setdefault(code, name)
    return {code: names.get(code, code) for code in codes}


# How far "covering for" reaches: an absent person's delegate, and when that delegate is away
# too, the delegate's own delegate. Further than that, nobody answers for them: what they owe
# escalates instead (and a cycle of delegates ends here).
COVER_HOPS = 2


def person_present(person: User | None, at: dt.datetime) -> bool:
    """Active and not out of office at `at`: someone who can answer."""
    return person is not None and person.is_active and not person.is_out_of_office(at)


def stand_in(person: User, at: dt.datetime) -> User | None:
    """Who answers for `person` at `at`: the first present person along their delegates
    (`COVER_HOPS` of them), never `person` again; None when nobody is. The follow-up engine
    routes asks by it, and the profile names it."""
    seen = {person.pk}
    current = person.delegate
    for _ in range(COVER_HOPS):
        if current is None or current.pk in seen:
            return None
        if person_present(current, at):
            return current
        seen.add(current.pk)
        current = current.delegate
    return None


def absence_cover_words(user: User, at: dt.datetime) -> str:
    """Who covers for the user's absence at `at` (its start when it is still to come), as
    their profile's status says it: "Tomasz Nowak covers for you", or, when the delegate is
    away then too, who really does ("Sofia Lindqvist covers for you (Tomasz Nowak, your
    delegate, is away then)"); "" without a delegate."""
    delegate = user.delegate
    if delegate is None:
        return ""
    cover = stand_in(user, at)
    if cover is not None and cover.pk == delegate.pk:
        return f"{cover} covers for you"
    why = f"{delegate}, your delegate, is {'away' if delegate.is_active else 'deactivated'} then"
    if cover is None:
        return f"nobody covers for you ({why}): what you owe escalates"
    return f"{cover} covers for you ({why})"


def user_delegate_candidates(*, user: User) -> QuerySet[User]:
    """Who may take over the user's asks while they are away: any other active person."""
    return (
        User.objects.filter(is_active=True)
        .exclude(pk=user.pk)
        .order_by(*by_name("full_name"), "email")
    )


def admins_named() -> QuerySet[User]:
    """The organisation's active admins by name: whom a refusal sends someone to for what only
    an admin may do."""
    return User.objects.filter(is_active=True, is_admin=True).order_by(*by_name("full_name"), "pk")


PEOPLE_SUGGESTED = 10  # names offered as someone types one
# Past this many active people, a form's person fields are typed (an email or a name, with the
# matching people offered as one types) instead of listing everyone: at 352 people each list
# was 24 KB, and with three of them the job form was 140 KB.
PEOPLE_LISTED_MOST = 50


def people_typed() -> bool:
    """Whether forms type their people rather than list them (a big organisation)."""
    return User.objects.filter(is_active=True).count() > PEOPLE_LISTED_MOST


# The person fields outside a job's roles that are typed in a big organisation, and who each
# may name: a profile's delegate (anyone else active); an agreement's escalation contact, an
# invited person's manager, a mentorship's mentor and mentee (anyone active).
TYPED_PEOPLE_FIELDS = ("delegate", "escalation_contact", "manager", "mentor", "mentee")


def people_for_field(*, field: str, user: User) -> QuerySet[User]:
    """Who `field` (one of TYPED_PEOPLE_FIELDS) may name, as `user` fills it in: the rule
    its app registered (`hooks.people_field_register`), else every active person."""
    if field == "delegate":
        return user_delegate_candidates(user=user)
    if (registered := people_field_rule(field)) is not None:
        return registered(user=user)
    return User.objects.filter(is_active=True)


def people_suggest(people: QuerySet[User], *, words: str) -> list[User]:
    """The first of `people` whose name or email contains `words`, by name (nothing for fewer
    than two characters, or for what no name or email holds)."""
    words = words.strip()
    if not 2 <= len(words) <= 254 or "\x00" in words:
        return []
    matching = Q(full_name__icontains=words) | Q(email__icontains=words)
    return list(
        people.filter(matching)
        .only("pk", "email", "full_name")
        .order_by(*by_name("full_name"), "email")[:PEOPLE_SUGGESTED]
    )


def user_zone(user: User) -> dt.tzinfo:
    """The person's time zone, or the site's when the stored name is unusable.

    Pages render times in it; a bad value (say, typed into the admin before validation
    existed) must degrade to the default zone, never to an error page.
    """
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


@dataclass(frozen=True)
class SignedInSession:
    """One of a person's sessions, as their profile lists it."""

    signed_in_at: dt.datetime | None
    device: str
    expires_at: dt.datetime
    current: bool


def sessions_of(*, user: User, current_key: str | None) -> list[SignedInSession]:
    """The person's live sessions, the current one first, then the newest."""
    rows = Session.objects.filter(user=user, expire_date__gt=timezone.now())
    found = []
    for row in rows:
        data = row.get_decoded()
        signed_in = data.get(SIGNED_IN_AT)
        found.append(
            SignedInSession(
                signed_in_at=dt.datetime.fromisoformat(signed_in) if signed_in else None,
                device=data.get(DEVICE) or "Unknown device",
                expires_at=row.expire_date,
                current=row.session_key == current_key,
            )
        )
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda s: (not s.current, -(s.signed_in_at or oldest).timestamp()))


def invitation_pending_for(email: str) -> Invitation | None:
    """The pending invitation for this address (not accepted, withdrawn or expired), if any:
    a sign-in that proves the address (single sign-on) may accept it with
    `accounts.people.invitation_accept(invitation=..., password=None)`."""
    return (
        Invitation.objects.select_related("user")
        .filter(
            email__iexact=(email or "").strip(),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )


# The words `accounts.services.FIELD_LABELS` gives the calendar's fields in the
# `closeloop.user.profile_updated` activity: a save that changed one of them set the calendar.
CALENDAR_LABELS = frozenset({"time zone", "working days", "working hours", "public holidays"})


def _days_words(days: list[int]) -> str:
    """The working days in words: "Mon–Fri" for a run, else one by one ("Mon, Wed, Fri")."""
    names = dict(WEEKDAYS)
    days = sorted({day for day in days if day in names})
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[days[0]]}–{names[days[-1]]}"
    return ", ".join(names[day] for day in days) or "no working day"


def user_calendar_words(user: User) -> str:
    """The person's working calendar in one line, as due times use it: "Europe/Berlin,
    Mon–Fri 09:00–17:00, public holidays of Germany (Bayern)" (or "no public holidays")."""
    hours = f"{user.work_start:%H:%M}–{user.work_end:%H:%M}"
    words = f"{user.time_zone.replace('_', ' ')}, {_days_words(user.work_days)} {hours}"
    country = holiday_countries().get(user.holiday_country, user.holiday_country)
    if not country:
        return f"{words}, no public holidays"
    region = holiday_subdivisions(user.holiday_country).get(user.holiday_subdivision, "")
    region = region or user.holiday_subdivision
    return f"{words}, public holidays of {country}" + (f" ({region})" if region else "")


def user_calendar_set(user: User) -> bool:
    """Whether the person's working calendar was set rather than left as every account
    starts (UTC, Mon–Fri 09:00–17:00, no public holidays, when nobody chose otherwise): a
    public-holiday country chosen, or a change to the calendar saved on the profile."""
    if user.holiday_country:
        return True
    saves = Activity.objects.filter(kind="closeloop.user.profile_updated", data__user=user.pk)
    return any(
        CALENDAR_LABELS & set(changed.get("changed") or [])
        for changed in saves.values_list("data", flat=True)
        if isinstance(changed, dict)
    )


def admins_active() -> list[User]:
    """The active admins, by name: whom a person locked out is told to ask."""
    return list(
        User.objects.filter(is_active=True, is_admin=True).order_by(
            *by_name("full_name"), "email", "pk"
        )
    )


def deactivated_account(*, email: str, password: str) -> User | None:
    """The deactivated account of `email` when `password` is its own, else None.

    Only a correct password earns the answer "deactivated": it proves the person is who
    the account names, so it tells nothing to someone guessing addresses or passwords.
    """
    user = User.objects.filter(email__iexact=email, is_active=False).first()
    if user is None or not user.check_password(password):
        return None
    return user


# --- People as the reader reads them ------------------------------------------------------


def is_reader(person: User | None, reader: User | None) -> bool:
    """Whether `person` is the one reading (who is then "you")."""
    return person is not None and reader is not None and person.pk == reader.pk


def person_for(person: User | None, *, reader: User | None, short: bool = False) -> str:
    """A person named for whoever reads the page or message: "you" for themselves, else
    their full name (their short name with `short`; "" for nobody)."""
    if person is None:
        return ""
    if is_reader(person, reader):
        return "you"
    return person.short_name if short else str(person)


def possessive_for(person: User | None, *, reader: User | None) -> str:
    """Whose, for the reader: "your" for themselves, else "Hank's" (the short name)."""
    if person is None:
        return ""
    return "your" if is_reader(person, reader) else f"{person.short_name}'s"


def _reader_first(people: Iterable[User], reader: User | None) -> list[User]:
    return sorted(people, key=lambda person: not is_reader(person, reader))


def people_for(people: Iterable[User], *, reader: User | None) -> str:
    """A list of people for whoever reads it: "you, Jonas Weber and Sofia Lindqvist" (the
    reader first, as "you"), else their names as listed ("Ivy Morgan and Jonas Weber")."""
    return listed(person_for(person, reader=reader) for person in _reader_first(people, reader))


def people_possessive_for(people: Iterable[User], *, reader: User | None) -> str:
    """Whose, for a list: "yours and Jonas Weber’s" to a reader among them, else "Ivy
    Morgan’s and Jonas Weber’s"."""
    return listed(
        "yours" if is_reader(person, reader) else f"{person}’s"
        for person in _reader_first(people, reader)
    )
