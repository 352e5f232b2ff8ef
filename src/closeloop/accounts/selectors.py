"""Reads about people and the calendars they work in (time zones, public holidays)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays
from django.utils import timezone
from holidays.registry import COUNTRIES

from closeloop.accounts.models import User

if TYPE_CHECKING:
    from django.db.models import QuerySet

# Canonical IANA regions. Legacy aliases ("US/Pacific", "GB", "EST5EDT") still validate, but
# the picker offers the names people recognise.
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


@lru_cache(maxsize=1)
def time_zone_options() -> list[tuple[str, str]]:
    """Zones as one flat, sorted list for a select (canonical "Region/City" names and UTC)."""
    names = sorted(n for n in time_zone_names() if "/" in n or n == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


def time_zone_choices(current: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Zones grouped by region for a select; the user's current zone is always offered."""
    groups: dict[str, list[tuple[str, str]]] = {"": [("UTC", "UTC")]}
    for name in sorted(time_zone_names()):
        region = name.split("/", 1)[0]
        if region in TIME_ZONE_REGIONS and "/" in name:
            groups.setdefault(region, []).append((name, name.replace("_", " ")))
    if (
        current
        and current != "UTC"
        and not any(current == v for g in groups.values() for v, _ in g)
    ):
        groups[""].append((current, current))
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


def user_delegate_candidates(*, user: User) -> QuerySet[User]:
    """Who may take over the user's asks while they are away: any other active person."""
    return User.objects.filter(is_active=True).exclude(pk=user.pk).order_by("full_name", "email")


def user_zone(user: User) -> dt.tzinfo:
    """The person's time zone, or the site's when the stored name is unusable.

    Pages render times in it; a bad value (say, typed into the admin before validation
    existed) must degrade to the default zone, never to an error page.
    """
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()
