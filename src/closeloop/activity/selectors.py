"""Reading the activity log: a timeline a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from closeloop.activity.models import Activity
from closeloop.lib.ids import id_parse

# A timeline shows this many events at once; "Older events" shows the next ones.
TIMELINE_PAGE = 50
# The largest id a `before` may name (SQLite's integers are 64-bit: a longer number in the
# address must not reach the database).


@dataclass
class TimelinePage:
    """Some of a timeline's events, newest first, and where the next older ones start."""

    events: list[Activity]
    older: int | None  # the `before` of the next older events; None when there are none
    is_newest: bool  # whether these are the newest events (else the page links back to them)


def timeline_page(
    activities: QuerySet[Activity], *, before: object = None, limit: int = TIMELINE_PAGE
) -> TimelinePage:
    """The newest `limit` events of `activities`, or those older than the event `before` (an
    id from the query string) when that event is one of `activities`.

    `activities` is already narrowed to what the viewer may read, so a `before` naming any
    other event (mistyped, or one the viewer may not read) shows the newest events and
    reveals nothing. Paging follows the timeline's order (time, then id) from the event
    named: a page costs the same however far back it is, and events recorded meanwhile do
    not shift the pages. Two queries at most.
    """
    cursor = None
    pk = id_parse(before)
    if pk is not None:
        cursor = activities.filter(pk=pk).values_list("at", "pk").first()
    if cursor is not None:
        at, pk = cursor
        activities = activities.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    rows = list(activities.order_by("-at", "-pk")[: limit + 1])
    return TimelinePage(
        events=rows[:limit],
        older=rows[limit - 1].pk if len(rows) > limit else None,
        is_newest=cursor is None,
    )
