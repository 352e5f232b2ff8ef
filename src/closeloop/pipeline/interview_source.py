"""What the queue reads about interviews, registered by the interviews app.

Interviews sit a layer above the pipeline, so the queue never imports them: the interviews
app registers one `InterviewSource` from its `AppConfig.ready` and the queue's selectors read
through it (docs/architecture.md, "Registries and hooks"). The queue keeps its own rules and
words ("Hold the Technical interview", nothing is late before the interview starts); the
source only answers the questions about interviews they need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Prefetch, QuerySet
    from django.db.models.expressions import BaseExpression

    from closeloop.accounts.models import User
    from closeloop.interviews.models import Interview
    from closeloop.pipeline.models import Application


@dataclass(frozen=True)
class InterviewSource:
    # Loads what `next_scheduled` reads, so a page of applications costs one query more.
    scheduled_prefetch: Callable[[], Prefetch]
    # The application's next scheduled interview (soonest first), or None.
    next_scheduled: Callable[[Application], Interview | None]
    # SQL per application row: when the candidate's wait on the next-move owner's scheduled
    # interviews ends at `now` (OuterRef "pk" and "next_move_owner"): the start of their next
    # one, or the end of one under way whose every scorecard is in; NULL without any.
    owner_next_at: Callable[[dt.datetime], BaseExpression]
    # SQL per application row: the user sits beside the next move's owner on the panel of a
    # scheduled interview of the candidate's that has not begun by `now` (OuterRef "pk" and
    # "next_move_owner"): the move is the whole panel's, though the row names one of them.
    on_owner_panel: Callable[[User | int, dt.datetime], BaseExpression]
    # The ids (a values() query of "application_id") of the applications with a scheduled
    # interview not begun by `now` whose panel the user sits on: every row `on_owner_panel`
    # can hold for them, found by index before that per-row condition is checked.
    panel_ahead_ids: Callable[[User | int, dt.datetime], QuerySet[Any, Any]]
    # SQL per application row: since when the next-move owner owes feedback at `now` (OuterRef
    # "pk" and "next_move_owner"): the end of the earliest of their scheduled interviews
    # begun by `now` that misses a scorecard, `now` while it is under way; NULL without any.
    owner_owed_since: Callable[[dt.datetime], BaseExpression]
    # SQL per application row: the round of the next-move owner's earliest interview begun by
    # `now` (under way or held) that misses their scorecard: what they owe once nothing is
    # scheduled any more; NULL without any.
    owner_owed_round: Callable[[dt.datetime], BaseExpression]
    # SQL per application row: whether any scheduled interview has begun by `now`.
    started: Callable[[dt.datetime], BaseExpression]
    # SQL per application row: whether a scheduled interview that has begun by `now` still
    # misses a scorecard (then feedback is owed; all in, only its end is ahead).
    feedback_due: Callable[[dt.datetime], BaseExpression]
    # The user's scheduled interviews of active applications not ended by `now` that start
    # within `days`, soonest first; each with `under_way` (begun by `now`).
    upcoming_for: Callable[[User, dt.datetime, int], list[Interview]]
    # Whether the user sits on the application's panel and still owes a scorecard there, so
    # is blind to what the team said of the candidate (the scorecards' one blindness rule).
    blind: Callable[[User, Application], bool]
    # Where the user acts on the application's interviews at `now`: the briefing of their
    # soonest scheduled interview of it, at its scorecard form once it has begun; "" when they
    # sit on none (read from `scheduled_prefetch` when loaded).
    acts_at: Callable[[User, Application, dt.datetime], str]


_registered: list[InterviewSource] = []


def interview_source_register(source: InterviewSource) -> None:
    """Set the source (registering again, as a second `ready()` does, replaces it)."""
    _registered[:] = [source]


def interview_source() -> InterviewSource:
    if not _registered:
        raise ImproperlyConfigured("The queue reads interviews: install closeloop.interviews.")
    return _registered[0]
