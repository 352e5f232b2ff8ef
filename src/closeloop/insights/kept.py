"""The organisation's figures, kept a few minutes once counted.

Three insights pages add up the whole organisation: the waits (every waiting candidate's
business days, each in its owner's calendar), the jobs side by side (every job's moves in
the period) and responsiveness by person (every ask answered in the period). Their cost is
the organisation's size: the waits took about 300 ms at 100,000 candidates, and more as the
organisation grows. They are reports read to find a pattern, not a list of what is owed now,
so each set of figures, once counted, is kept for `INSIGHTS_KEPT_SECONDS` (five minutes by
default) and served again to whoever asks for the same figures. Each page says when its
figures were counted and links to count them again at once.

Live, never kept: My queue, every page about one job, candidate or application (a job's
funnel and waits included), a person's own record, and who was chased today (the "chased"
column beside the longest waits).

The key is everything the figures depend on besides the moment (the viewer's scope, the
filters, the period's bounds), so two admins asking for the same figures share them, and a
viewer who sees fewer jobs never gets figures counted for one who sees more. The cache is
Django's (`CACHES`; in-process memory by default, so each server process keeps its own).

Kept figures name candidates (the longest waits), so an erasure makes all of them stale at
once: the key also holds `pipeline.privacy.erasures_stamp`, read from the database before
counting. A bump sent from the erasing process would not reach the others' caches (retention
erases in the worker), and a stamp read before the count never files figures that still
name the person under the stamp of their erasure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from closeloop.insights.funnel import JobRow, jobs_compare
from closeloop.insights.selectors import (
    Period,
    PersonFigures,
    insights_admin_check,
    people_responsiveness,
)
from closeloop.insights.waits import WaitsNow, WaitSums, waits_now, waits_over_period
from closeloop.lib.pages import page_query
from closeloop.pipeline.privacy import erasures_stamp

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job

T = TypeVar("T")

# The address parameter that counts a page's figures again at once.
RECOUNT = "recount"


@dataclass(frozen=True)
class Kept(Generic[T]):
    """Figures and the moment they were counted (None: counted for this request, live)."""

    figures: T
    counted_at: dt.datetime | None = None


def insights_kept(
    what: str, key: Iterable[object], count: Callable[[], T], *, again: bool = False
) -> Kept[T]:
    """The figures `count` returns for `what` and `key`: kept ones while they are at most
    `INSIGHTS_KEPT_SECONDS` old, else (or `again`) counted now and kept."""
    seconds = settings.INSIGHTS_KEPT_SECONDS
    if seconds <= 0:
        return Kept(count())  # nothing kept: live, and the page says nothing of it
    name = _name(what, (*key, erasures_stamp()))
    if not again:
        found = cache.get(name)
        if isinstance(found, Kept):
            return found
    kept = Kept(count(), timezone.now())
    cache.set(name, kept, seconds)
    return kept


def recount_asked(query: Mapping[str, str]) -> bool:
    """The address (its query) asks for the figures counted again now."""
    return query.get(RECOUNT) == "1"


def recount_query(query: QueryDict) -> str:
    """The page's own address (its query string) asking for its figures counted again."""
    return page_query({**query.dict(), RECOUNT: "1"})


# --- The kept figures of each page ----------------------------------------------------------
# Each checks the viewer may read the figures before anything kept is looked up.


def waits_now_kept(*, viewer: User, again: bool = False) -> Kept[WaitsNow]:
    """The organisation's waits now (`waits.waits_now`): admins only."""
    insights_admin_check(viewer)
    return insights_kept("waits-now", (), lambda: waits_now(viewer=viewer), again=again)


def waits_over_period_kept(
    *, viewer: User, period: Period, job: Job | None = None, again: bool = False
) -> Kept[WaitSums]:
    """The waits over `period` (`waits.waits_over_period`): the organisation's kept (admins
    only), one job's counted live (its page checked the viewer may read the job)."""
    if job is not None:
        return Kept(waits_over_period(viewer=viewer, job=job, period=period))
    insights_admin_check(viewer)
    return insights_kept(
        "waits-period",
        (period.start, period.end),
        lambda: waits_over_period(viewer=viewer, period=period),
        again=again,
    )


def jobs_compare_kept(
    *, jobs: Sequence[Job], period: Period, again: bool = False
) -> Kept[list[JobRow]]:
    """`funnel.jobs_compare` of a page of jobs the caller may read (the figures of a job are
    the same whoever reads them; the key is the jobs shown, so a reader who sees fewer gets
    figures for exactly hers)."""
    return insights_kept(
        "jobs-compared",
        (tuple(job.pk for job in jobs), period.start, period.end),
        lambda: jobs_compare(jobs=jobs, period=period),
        again=again,
    )


def people_responsiveness_kept(
    *,
    viewer: User,
    period: Period,
    role: str = "",
    jobs: QuerySet[Job] | None = None,
    kind: str = "",
    sort: str = "name",
    again: bool = False,
) -> Kept[list[PersonFigures]]:
    """`selectors.people_responsiveness`, admins only; `jobs` is keyed by its SQL (one job,
    or the jobs whose title holds some words)."""
    insights_admin_check(viewer)
    on = None if jobs is None else str(jobs.query)
    return insights_kept(
        "people",
        (period.start, period.end, role, on, kind, sort),
        lambda: people_responsiveness(
            viewer=viewer, period=period, role=role, jobs=jobs, kind=kind, sort=sort
        ),
        again=again,
    )


def _name(what: str, key: Iterable[object]) -> str:
    # Hashed: a key holds titles and dates a person typed, and a cache key has a length limit.
    digest = hashlib.sha256(repr((what, *key)).encode()).hexdigest()
    return f"insights:{what}:{digest}"
