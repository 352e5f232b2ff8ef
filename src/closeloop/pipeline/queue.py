"""My queue, bounded: the first rows of each list on the home page, every row on its own pages.

A busy person owes hundreds of moves and asks. The queue shows the most urgent `QUEUE_SHOWN`
of each list with its true count (computed in SQL) and a link to the list's own pages, so
the page stays small whatever the organisation's size, and the number of queries stays
fixed.

An ask "beside" a candidate is one the queue shows in that candidate's row instead of in a
list of its own: an ask about an application listed under "Waiting on you" (or "Waiting on
others") and owed by the person the candidate waits on. The rule is one SQL condition over
the whole list, not over the rows shown, so the counts on the queue and on the list pages
agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from closeloop.followups.selectors import (
    AskRow,
    ask_overdue_q,
    ask_rows,
    ask_rows_attach,
    asks_as_rows,
    asks_owed_by_rows,
    asks_owed_to_rows,
)
from closeloop.jobs.models import Job
from closeloop.lib.idsets import AmongIds
from closeloop.lib.pages import page_get
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import (
    ANY_SCOPE,
    QueueItem,
    QueueScope,
    QueueSets,
    queue_items,
    queue_rows,
    queue_sets,
    queue_sets_within,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.core.paginator import Page

    from closeloop.accounts.models import User
    from closeloop.followups.models import Ask

# Rows of each list on the queue itself; the rest are one click away on the list's pages.
# Ten, so a phone shows every list of a busy person's queue without a 10,000-pixel page.
QUEUE_SHOWN = 10


@dataclass
class QueueAsks:
    """The asks of one queue list: how many there are, and the first of those not shown
    beside a candidate (the others are attached to the candidates' rows on the page)."""

    rows: list[AskRow]  # listed on their own, first ones
    total: int  # every ask of the list, beside a candidate or not
    own_total: int  # those listed on their own
    overdue: int  # of all of them, wherever shown

    @property
    def beside(self) -> int:
        return self.total - self.own_total

    @property
    def more(self) -> bool:
        return self.own_total > len(self.rows)

    def __iter__(self) -> Iterator[AskRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class _AskList:
    """One list of asks and the condition that puts one of them beside a candidate, for the
    queue of `reader` (whom its rows name "you"). `beside_listed`: the same condition for an
    ask about a candidate known to be in the list (the rows shown), without the list's
    subquery."""

    asks: QuerySet[Ask]
    beside: Q
    reader: User  # whose queue: the rows' away notes say "you" to them
    beside_listed: Q

    def own(self) -> QuerySet[Ask]:
        return self.asks.exclude(self.beside)


def _asks_mine(
    user: User, sets: QueueSets, now: dt.datetime, scope: QueueScope = ANY_SCOPE
) -> _AskList:
    # Every candidate under "Waiting on you" waits on the user, who owns each of these asks.
    return _AskList(
        scope.asks(asks_owed_by_rows(user=user, now=now), now),
        Q(AmongIds("application", sets.mine_ids)),
        user,
        beside_listed=Q(),  # every ask of theirs about a candidate waiting on them
    )


def _asks_theirs(
    user: User, sets: QueueSets, now: dt.datetime, scope: QueueScope = ANY_SCOPE
) -> _AskList:
    # Owed by the person the candidate waits on: the move's owner, or their delegate. A
    # subquery on the ask's own candidate, run only for the asks about the listed ones:
    # joined, PostgreSQL hashed every application of the organisation to count a few hundred
    # asks (29 ms of the busy recruiter's queue at 100,000 candidates).
    holder = Application.objects.filter(pk=OuterRef("application_id")).filter(
        Q(next_move_owner=OuterRef("owner")) | Q(next_move_owner=OuterRef("original_owner"))
    )
    owed_by_holder = Q(Exists(holder))
    beside = Q(AmongIds("application", sets.owed_to_me_ids)) & owed_by_holder
    asks = scope.asks(asks_owed_to_rows(user=user, now=now), now)
    return _AskList(asks, beside, user, beside_listed=owed_by_holder)


def _attach(asks: _AskList, items: list[QueueItem], now: dt.datetime) -> None:
    """Put beside each row the asks that belong there (one query for the rows shown; the rows
    are the list's, so its subquery is not asked again)."""
    shown = [item.application.pk for item in items]
    beside = list(asks.asks.filter(asks.beside_listed, application__in=shown)) if shown else []
    ask_rows_attach(items, ask_rows(beside, now, reader=asks.reader))


def _queue_asks(asks: _AskList, items: list[QueueItem], now: dt.datetime) -> QueueAsks:
    _attach(asks, items, now)
    # The three numbers in one query; "beside" is counted (not its negation, which SQL's
    # NULLs would get wrong for asks about no candidate) and the rest are the others.
    counts = asks.asks.aggregate(
        total=Count("pk"),
        beside=Count("pk", filter=asks.beside),
        overdue=Count("pk", filter=ask_overdue_q(now)),
    )
    # The first rows' ids found without their relations, then those rows joined to what they
    # show: with the candidates and jobs joined to every ask of the list, PostgreSQL
    # (expecting a few thousand) hashed every application of the organisation to keep ten
    # (25 ms at 100,000 candidates). The ids as a list: as a subquery (a LIMIT inside IN),
    # PostgreSQL joined every open ask of the organisation to its relations before keeping
    # the ten (250 ms). None to show, no second query.
    first = list(asks.own().select_related(None).values_list("pk", flat=True)[:QUEUE_SHOWN])
    return QueueAsks(
        rows=ask_rows(list(asks_as_rows(first)) if first else [], now, reader=asks.reader),
        total=counts["total"],
        own_total=counts["total"] - counts["beside"],
        overdue=counts["overdue"],
    )


@dataclass
class QueueAsksBoth:
    mine: QueueAsks
    theirs: QueueAsks


def queue_asks(
    *,
    user: User,
    i_owe: list[QueueItem],
    owed_to_me: list[QueueItem],
    now: dt.datetime,
    scope: QueueScope = ANY_SCOPE,
    sets: QueueSets | None = None,
) -> QueueAsksBoth:
    """The follow-ups of the queue: those the user owes and those others owe in the user's
    jobs (within the queue's filters, `scope`), each beside its candidate's row when it is
    listed, the first of the rest on their own, with the true counts. `sets`: the queue's
    sets for this user, moment and scope, when the caller built them."""
    sets = sets or queue_sets(user=user, now=now, scope=scope)
    return QueueAsksBoth(
        mine=_queue_asks(_asks_mine(user, sets, now, scope), i_owe, now),
        theirs=_queue_asks(_asks_theirs(user, sets, now, scope), owed_to_me, now),
    )


def queue_jobs(
    *,
    user: User,
    now: dt.datetime,
    sets: QueueSets | None = None,
    scope: QueueScope = ANY_SCOPE,
) -> QuerySet[Job]:
    """The jobs the user's queue lists anything of (candidates or follow-ups, theirs or
    others') within `scope`: unfiltered, the choices of the queue's job filter, by title.
    `sets`: the queue's sets for this user, moment and scope, when the caller built them."""
    sets = sets or queue_sets(user=user, now=now, scope=scope)
    listed = (
        Q(AmongIds("pk", sets.job_ids))
        | Q(pk__in=scope.asks(asks_owed_by_rows(user=user, now=now), now).values("job_id"))
        | Q(pk__in=scope.asks(asks_owed_to_rows(user=user, now=now), now).values("job_id"))
    )
    return Job.objects.filter(listed).only("pk", "title").order_by("title", "pk")


def _grouped(scope: QueueScope) -> QueueScope:
    """The filters "By job" keeps: kind and overdue (its groups are the jobs)."""
    return QueueScope(kind=scope.kind, overdue=scope.overdue)


def queue_groups_count(*, user: User, now: dt.datetime, scope: QueueScope, listed: int) -> int:
    """How many groups "By job" shows within the kind and overdue filters of `scope`: the
    jobs the queue lists anything of under them. `listed`: how many the unfiltered queue
    lists (the job filter's choices), the answer when neither filter is in force; else one
    query."""
    grouped = _grouped(scope)
    if grouped == ANY_SCOPE:
        return listed
    return queue_jobs(user=user, now=now, scope=grouped).count()


@dataclass(frozen=True)
class JobCounts:
    """One job's share of the queue: what its heading in "By job" counts, one number for
    each of the queue's lists."""

    job: Job
    waiting_on_you: int
    waiting_on_others: int
    owed: int  # follow-ups the user owes on the job
    overdue: int  # of those, overdue
    interviews: int = 0  # candidates waiting for an interview of the user's
    theirs: int = 0  # follow-ups others owe on the job (one the user runs)

    @property
    def any(self) -> bool:
        return bool(
            self.waiting_on_you
            or self.interviews
            or self.waiting_on_others
            or self.owed
            or self.theirs
        )


def _per_job(rows: QuerySet[Any], **counts: Any) -> dict[int, dict[str, int]]:
    grouped = rows.order_by().values("job_id").annotate(**counts)
    return {row.pop("job_id"): row for row in grouped}


def queue_by_job(
    *,
    user: User,
    jobs: list[Job],
    now: dt.datetime,
    scope: QueueScope = ANY_SCOPE,
    unfiltered: QueueSets | None = None,
) -> list[JobCounts]:
    """The queue counted per job (five GROUP BY queries, whatever its size), within the
    kind and overdue filters of `scope`: every list of the queue counts, so a job the queue
    lists anything of has a group (as many as `queue_groups_count` says); the jobs with the
    most overdue follow-ups first, then the most candidates waiting on the user.
    `unfiltered`: the unfiltered queue's sets for this user and moment, reused when neither
    filter is in force."""
    scope = _grouped(scope)  # every job: that is the page
    sets = queue_sets_within(user=user, now=now, scope=scope, unfiltered=unfiltered)
    mine = _per_job(sets.i_owe, n=Count("pk"))
    interviews = _per_job(sets.interviews, n=Count("pk"))
    others = _per_job(sets.owed_to_me, n=Count("pk"))
    owed = _per_job(
        scope.asks(asks_owed_by_rows(user=user, now=now), now),
        n=Count("pk"),
        late=Count("pk", filter=ask_overdue_q(now)),
    )
    theirs = _per_job(scope.asks(asks_owed_to_rows(user=user, now=now), now), n=Count("pk"))
    rows = [
        JobCounts(
            job,
            waiting_on_you=mine.get(job.pk, {}).get("n", 0),
            waiting_on_others=others.get(job.pk, {}).get("n", 0),
            owed=owed.get(job.pk, {}).get("n", 0),
            overdue=owed.get(job.pk, {}).get("late", 0),
            interviews=interviews.get(job.pk, {}).get("n", 0),
            theirs=theirs.get(job.pk, {}).get("n", 0),
        )
        for job in jobs
    ]
    rows = [row for row in rows if row.any]
    return sorted(rows, key=lambda row: (-row.overdue, -row.waiting_on_you, row.job.title))


# The lists of the queue that have pages of their own, by the slug of their address.
QUEUE_LISTS = {
    "waiting-on-you": "Waiting on you",
    "your-interviews": "Waiting for your interview",
    "waiting-on-others": "Waiting on others",
    "follow-ups": "Follow-ups you owe",
    "others-follow-ups": "Follow-ups others owe in your jobs",
}


@dataclass
class QueueListPage:
    """One page of one of the queue's lists: candidates' rows or asks' rows."""

    slug: str
    title: str
    page: Page
    items: list[QueueItem] = field(default_factory=list)
    asks: list[AskRow] = field(default_factory=list)
    mine: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def _candidates_page(
    rows: QuerySet[Any], asks: _AskList, value: object, now: dt.datetime
) -> tuple[Page, list[QueueItem]]:
    page = page_get(rows, value)
    items = queue_items(page.object_list, now=now, reader=asks.reader)
    _attach(asks, items, now)
    return page, items


def queue_list_page(
    *,
    user: User,
    slug: str,
    value: object,
    now: dt.datetime,
    scope: QueueScope = ANY_SCOPE,
    unfiltered: QueueSets | None = None,
) -> QueueListPage:
    """The page `value` of the queue's list `slug` (KeyError for a slug that names none),
    within the queue's filters (`scope`; `unfiltered`: the unfiltered queue's sets for this
    user and moment, when the caller built them)."""
    title = QUEUE_LISTS[slug]
    sets = queue_sets_within(user=user, now=now, scope=scope, unfiltered=unfiltered)
    result = QueueListPage(slug=slug, title=title, page=page_get([], 1))
    if slug == "waiting-on-you":
        rows = queue_rows(sets.i_owe, now=now)
        mine = _asks_mine(user, sets, now, scope)
        result.page, result.items = _candidates_page(rows, mine, value, now)
    elif slug == "your-interviews":
        rows = queue_rows(sets.interviews, now=now, by_interview=True)
        mine = _asks_mine(user, sets, now, scope)
        result.page, result.items = _candidates_page(rows, mine, value, now)
    elif slug == "waiting-on-others":
        rows = queue_rows(sets.owed_to_me, now=now, interviews_last=True)
        theirs = _asks_theirs(user, sets, now, scope)
        result.page, result.items = _candidates_page(rows, theirs, value, now)
        result.mine = False
    else:
        mine_or_theirs = _asks_mine if slug == "follow-ups" else _asks_theirs
        asks = mine_or_theirs(user, sets, now, scope)
        result.page = page_get(asks.own(), value)
        result.asks = ask_rows(list(result.page.object_list), now, reader=user)
        result.mine = slug == "follow-ups"
    return result
