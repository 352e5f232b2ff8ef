"""Sections that apps above touch-bases add to an agenda and to the weekly update.

Touch-bases build their own sections from the pipeline, interviews and intake; an app on a
higher layer (partnership: calibration, pulses) registers a source here from its
`AppConfig.ready()` instead of being imported by touch-bases. A source is a plain function;
what it returns is rendered by the same templates as the built-in sections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job
    from closeloop.touchbases.models import Touchbase


def agenda_item(
    text: str,
    *,
    detail: str = "",
    url: str = "",
    at: dt.datetime | None = None,
    at_label: str = "",
    flag: str = "",
    to_reader: dict[int, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """One line of an agenda, JSON-ready: the held meeting stores it as its snapshot.
    `at_label` says what the moment is ("due", "since", "submitted"; none for a meeting's
    own time), as the sections' moments differ. `to_reader`: the words a line that names
    someone says to that person instead, by their id ({rita.pk: {"text": "…: waiting for
    you"}}), with "lead" set when that line comes first to them ("You: 3 overdue"); the page
    reads them for its viewer (`selectors.agenda_for_page`)."""
    item: dict[str, Any] = {
        "text": text,
        "detail": detail,
        "url": url,
        "at": at.isoformat() if at else "",
        "at_label": at_label,
        "flag": flag,
    }
    if to_reader:
        item["you"] = {str(pk): words for pk, words in to_reader.items()}
    return item


@dataclass(frozen=True)
class AgendaSource:
    """A section of every touch-base agenda: `build(touchbase, since, now)` returns its items
    (made with `agenda_item`); `since` is when the previous meeting was held.

    `can_see(user, job)`, when given, says who may read the section: a touch-base is open to
    the whole hiring team, but a section may carry figures its own app shows to fewer people
    (the pulse scores, the calibration figure). The page leaves it out for anyone else, the
    held meeting's snapshot included."""

    key: str
    title: str
    empty: str
    build: Callable[[Touchbase, dt.datetime, dt.datetime], list[dict[str, Any]]]
    can_see: Callable[[User, Job], bool] | None = None


@dataclass(frozen=True)
class WeeklyLine:
    text: str
    detail: str = ""
    url: str = ""  # absolute: the email is read outside the site


@dataclass(frozen=True)
class WeeklySource:
    """A section of the weekly update: `build(person, jobs, week_start, week_end)` returns
    its lines for that person's active jobs (none: the section is left out)."""

    key: str
    title: str
    build: Callable[[User, list[Job], dt.datetime, dt.datetime], list[WeeklyLine]]


AGENDA_SOURCES: list[AgendaSource] = []
WEEKLY_SOURCES: list[WeeklySource] = []


def agenda_source_register(source: AgendaSource) -> None:
    """Add a section to every agenda (once per key: a second `ready()` changes nothing)."""
    if all(known.key != source.key for known in AGENDA_SOURCES):
        AGENDA_SOURCES.append(source)


def agenda_sections_hidden(*, user: User, job: Job) -> set[str]:
    """The keys of the registered sections `user` may not read on this job's agenda."""
    return {
        source.key
        for source in AGENDA_SOURCES
        if source.can_see is not None and not source.can_see(user, job)
    }


def weekly_source_register(source: WeeklySource) -> None:
    """Add a section to every weekly update (once per key)."""
    if all(known.key != source.key for known in WEEKLY_SOURCES):
        WEEKLY_SOURCES.append(source)
