"""Where touch-base things appear elsewhere: personal calendar feeds and the ask registry."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.selectors import series_moved_meetings, series_skipped_starts
from closeloop.touchbases.services import series_event

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User
    from closeloop.calendars.sources import CalendarEvent
    from closeloop.followups.subjects import Subject


def touchbase_events(user: User, start: dt.datetime, end: dt.datetime) -> Iterable[CalendarEvent]:
    """The user's touch-base series as recurring events (one VEVENT per series, with RRULE,
    and one per meeting moved on its own, with its RECURRENCE-ID).

    A series that started before the window still recurs inside it, so only its start
    bounds the query.
    """
    series = list(
        TouchbaseSeries.objects.filter(Q(recruiter=user) | Q(hiring_manager=user), active=True)
        .filter(first_at__lt=end)
        .select_related("job", "recruiter", "hiring_manager")
    )
    ids = [row.pk for row in series]
    skipped = series_skipped_starts(series_ids=ids)
    moved = series_moved_meetings(series_ids=ids)
    return [
        series_event(row, skipped=skipped.get(row.pk, []), moved=moved.get(row.pk, []))
        for row in series
    ]


def action_url(subject: Subject) -> str | None:
    """An action_item ask ("action:<pk>") is answered on the item's page."""
    return reverse("touchbases:action-item", args=[subject.pk]) if subject.pk else None


def touchbase_url(subject: Subject) -> str | None:
    """A hold_touchbase ask ("touchbase:<pk>") is answered on the meeting's page."""
    return reverse("touchbases:touchbase-detail", args=[subject.pk]) if subject.pk else None
