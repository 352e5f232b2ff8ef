"""Template filters for the account pages and for naming people to their reader:
`{% load account_tags %}`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import template
from django.utils.html import format_html

from closeloop.accounts.selectors import (
    people_for,
    people_possessive_for,
    person_for,
    possessive_for,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User

register = template.Library()


@register.filter
def minutes_label(value: dt.timedelta | None) -> str:
    """A lockout length in words: "15 minutes", "1 hour", "1 hour 30 minutes"."""
    if not value:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


@register.filter(name="person_for")
def person_for_filter(person: User | None, reader: User | None) -> str:
    """`{{ debrief.decided_by|person_for:user }}`: "you" for the reader, else the name."""
    return person_for(person, reader=reader)


@register.filter(name="short_person_for")
def short_person_for_filter(person: User | None, reader: User | None) -> str:
    """`{{ job.recruiter|short_person_for:reader }}`: "you" for the reader, else "Rita"."""
    return person_for(person, reader=reader, short=True)


@register.filter(name="possessive_for")
def possessive_for_filter(person: User | None, reader: User | None) -> str:
    """`{{ submission.decided_by|possessive_for:user }}`: "your" for the reader, else "Hank's"
    (the name escaped, the apostrophe kept as typed in the page's own words)."""
    words = possessive_for(person, reader=reader)
    if person is None or words == "your":
        return words
    return format_html("{}'s", person.short_name)


@register.filter(name="people_for")
def people_for_filter(people: Iterable[User], reader: User | None) -> str:
    """`{{ panel|people_for:recipient }}`: "you, Jonas Weber and Sofia Lindqvist"."""
    return people_for(people, reader=reader)


@register.filter(name="people_possessive_for")
def people_possessive_for_filter(people: Iterable[User], reader: User | None) -> str:
    """`{{ panel|people_possessive_for:user }}`: "yours and Jonas Weber’s"."""
    return people_possessive_for(people, reader=reader)
