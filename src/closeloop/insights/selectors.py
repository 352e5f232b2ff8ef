"""Responsiveness: how fast each person answers what they owe, against the agreed service level.

Every figure a page, its chart and its CSV show comes from here, so they never disagree. The
counts are one grouped query; the median and the 90th percentile are read by a window query
that returns at most four rows per group (the ranks the two percentiles fall between), so
the number of queries is the same for ten asks or a million, on SQLite and PostgreSQL alike
(SQLite has no `percentile_cont`). Permissions are decided here too (`record_scope`).

See docs/architecture.md#insights.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import RowNumber, TruncWeek
from django.http import Http404
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.followups.business_time import calendar_for, working_time_taken_words
from closeloop.followups.models import NUDGE_NOW_GAP, NUDGE_NOW_STEP, Ask, AskStatus, Nudge
from closeloop.followups.policies import ask_kind_choices
from closeloop.followups.selectors import ask_overdue_q, ask_shown_q, ask_title_for
from closeloop.jobs.models import Job
from closeloop.jobs.selectors import team_q
from closeloop.lib.folding import by_name, name_key
from closeloop.pipeline.selectors import (
    QueueItem,
)

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

SNOOZED = "closeloop.ask.snoozed"  # the activity `followups.services.ask_snooze` records
PERCENTILES = (0.5, 0.9)
MOST_WEEKS = 54


@dataclass(frozen=True)
class Period:
    """[start, end): asks answered at or after `start` and before `end` count."""

    start: dt.datetime
    end: dt.datetime


@dataclass
class Figures:
    """One person's responsiveness, for one kind of ask or all of them (`kind` "")."""

    owner_id: int
    kind: str = ""
    answered: int = 0
    within: int = 0  # answered by the due time
    open: int = 0  # now, whatever the period
    overdue: int = 0  # now
    escalated: int = 0  # answered in the period or open now, having reached level 1 or more
    snoozes: int = 0  # times the person snoozed an ask in the period (all kinds)
    median_seconds: float | None = None
    p90_seconds: float | None = None
    # The due time the answered asks ran under, as agreed for their job (or the
    # organisation's, or the default): "2 business days", or "mostly …" when they differ.
    # Only for one kind of ask: a due time across kinds means nothing.
    agreed: str = ""

    @property
    def within_share(self) -> float | None:
        """Share of the answered asks answered by their due time (None when none answered)."""
        return self.within / self.answered if self.answered else None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind) if self.kind else "All asks"


def kind_label(kind: str) -> str:
    """A kind of ask in words ("Review a submitted candidate"), as its filter offers it."""
    return dict(ask_kind_choices()).get(kind, kind)


@dataclass
class PersonFigures:
    """A row of the people table: the person and their figures over every kind."""

    person: User
    figures: Figures
    median_words: str = ""
    p90_words: str = ""


# --- Who sees whose record ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordScope:
    """Whose record, and which of their asks the reader may count (`jobs` None: all)."""

    person: User
    jobs: QuerySet[Job, Any] | None = None

    @property
    def is_partial(self) -> bool:
        return self.jobs is not None


def insights_admin_check(user: User) -> None:
    """The organisation's tables are for active admins; anyone else sees no such page."""
    if not (user.is_active and user.is_admin):
        raise Http404("No such page.")


def _shared_jobs(viewer: User, person: User) -> QuerySet[Job, Any]:
    """Jobs on whose hiring team both sit in a deciding role (recruiter, hiring manager,
    coordinator, escalation contact): where each has promised the other an answer."""
    return Job.objects.filter(team_q(viewer)).filter(team_q(person)).values("pk")


def record_scope(*, viewer: User, pk: int) -> RecordScope:
    """Person `pk`'s record as `viewer` may read it: their own or (admins) anyone's whole
    record, a deactivated person's included (what they answered stays on the record); a
    teammate's on the jobs they share only, while the teammate is active. Anyone else: 404,
    so a guessed id tells nothing about who exists."""
    person = User.objects.filter(pk=pk).first()
    if person is None or not viewer.is_active:
        raise Http404("No such person.")
    if viewer.is_admin:
        return RecordScope(person)
    if not person.is_active:
        raise Http404("No such person.")
    if person.pk == viewer.pk:
        return RecordScope(person)
    shared = _shared_jobs(viewer, person)
    if not shared.exists():
        raise Http404("No such person.")
    return RecordScope(person, shared)


def record_partners(*, user: User) -> QuerySet[User]:
    """The people whose record `user` may read on the jobs they share, by name."""
    jobs = Job.objects.filter(team_q(user))
    roles = ("recruiter", "hiring_manager", "coordinator", "escalation_contact")
    on_team = Q()
    for role in roles:
        on_team |= Q(pk__in=jobs.values(role))
    return (
        User.objects.filter(on_team, is_active=True)
        .exclude(pk=user.pk)
        .order_by(*by_name("full_name"), "pk")
    )


# --- The figures ----------------------------------------------------------------------------


def _asks(
    owners: Iterable[int] | None, jobs: QuerySet[Job, Any] | None, kind: str = ""
) -> QuerySet[Ask]:
    asks = Ask.objects.order_by()
    if kind:
        asks = asks.filter(kind=kind)
    if owners is not None:
        asks = asks.filter(owner__in=list(owners))
    return asks if jobs is None else asks.filter(job__in=jobs)


def _answered_q(period: Period) -> Q:
    return Q(status=AskStatus.DONE, closed_at__gte=period.start, closed_at__lt=period.end)


def _counts(asks: QuerySet[Ask], period: Period, now: dt.datetime, by: Sequence[str]) -> Any:
    answered = _answered_q(period)
    # Open as the queue shows it: a quiet kind (news on a schedule) counts once it is due.
    opened = Q(status=AskStatus.OPEN) & ask_shown_q(now)
    return (
        asks.filter(answered | opened)
        .values(*by)
        .annotate(
            answered=Count("pk", filter=answered),
            within=Count("pk", filter=answered & Q(closed_at__lte=F("due_at"))),
            open=Count("pk", filter=opened),
            overdue=Count("pk", filter=opened & ask_overdue_q(now)),
            escalated=Count("pk", filter=Q(level__gt=0)),
        )
    )


def _rank_at(size: Combinable, share: float, *, upper: bool) -> Any:
    """The 1-based rank at which the `share` percentile sits among `size` sorted values, the
    one below (`upper` False) or above: `percentile_cont` interpolates between the two.
    Whole-number arithmetic in tenths, identical in SQLite and PostgreSQL."""
    tenths = round(share * 10)
    below = (size - 1) * tenths
    return (below + (9 if upper else 0)) / 10 + 1


def _rank_bounds() -> dict[str, Any]:
    """r0l, r0u, r1l, r1u: the ranks below and above each percentile, named for the filter."""
    return {
        f"r{i}{side}": _rank_at(F("size"), share, upper=side == "u")
        for i, share in enumerate(PERCENTILES)
        for side in "lu"
    }


def _percentile_rows(asks: QuerySet[Ask], period: Period, by: Sequence[str]) -> Any:
    """For each group, only the rows at the ranks the percentiles need (at most four)."""
    part = [F(name) for name in by]
    size = Window(Count("pk"), partition_by=part, output_field=IntegerField())
    ranked = (
        asks.filter(_answered_q(period), response_seconds__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=part, order_by=[F("response_seconds").asc(), F("pk")]
            ),
            size=size,
        )
        .annotate(**_rank_bounds())
    )
    wanted = Q()
    for i, _share in enumerate(PERCENTILES):
        wanted |= Q(rank=F(f"r{i}l")) | Q(rank=F(f"r{i}u"))
    return ranked.filter(wanted).values_list(*by, "rank", "size", "response_seconds")


def _interpolate(values: dict[int, int], size: int, share: float) -> float:
    """`percentile_cont(share)` from the values at the two ranks around it."""
    # In tenths, as the query picked the ranks: a float product could land just below a
    # whole rank and ask for one that was not fetched.
    tenths = (size - 1) * round(share * 10)
    lower, rest = divmod(tenths, 10)
    low = values[lower + 1]
    return float(low) if not rest else low + (values[lower + 2] - low) * rest / 10


def _percentiles(rows: Iterable[Sequence[Any]]) -> dict[tuple[Any, ...], tuple[float, float]]:
    grouped: dict[tuple[Any, ...], dict[int, int]] = defaultdict(dict)
    sizes: dict[tuple[Any, ...], int] = {}
    for *key, rank, size, seconds in rows:
        grouped[tuple(key)][rank] = seconds
        sizes[tuple(key)] = size
    return {
        key: (
            _interpolate(values, sizes[key], PERCENTILES[0]),
            _interpolate(values, sizes[key], PERCENTILES[1]),
        )
        for key, values in grouped.items()
    }


def _agreed(asks: QuerySet[Ask], period: Period, by: Sequence[str]) -> dict[tuple[Any, ...], str]:
    """The due time the answered asks of each group ran under, from the service level each
    ask recorded when it opened (`Ask.policy`), so a later change of agreement does not
    rewrite what was agreed: the one due time, or the most common one, "mostly …"."""
    rows = (
        asks.filter(_answered_q(period))
        .values(*by, due=KT("policy__due"))
        .annotate(n=Count("*"))
        .values_list(*by, "due", "n")
    )
    found: dict[tuple[Any, ...], list[tuple[int, str]]] = defaultdict(list)
    for *key, due, n in rows:
        if due:
            found[tuple(key)].append((n, due))
    return {
        key: dues[0][1] if len(dues) == 1 else f"mostly {max(dues)[1]}"
        for key, dues in found.items()
    }


def _snoozes(
    owners: Iterable[int] | None, jobs: QuerySet[Job, Any] | None, period: Period
) -> dict[int, int]:
    """Snoozes each person recorded in the period (the activity log keeps one per snooze;
    it names the ask but not its kind, so snoozes are counted per person only)."""
    events = Activity.objects.filter(kind=SNOOZED, at__gte=period.start, at__lt=period.end)
    if owners is not None:
        events = events.filter(actor__in=list(owners))
    if jobs is not None:
        events = events.filter(job__in=jobs)
    counted = events.order_by().values("actor").annotate(n=Count("pk"))
    return {row["actor"]: row["n"] for row in counted}


def responsiveness(
    *,
    period: Period,
    owners: Iterable[int] | None = None,
    jobs: QuerySet[Job, Any] | None = None,
    by_kind: bool = False,
    kind: str = "",
    now: dt.datetime | None = None,
) -> dict[tuple[int, str], Figures]:
    """The figures of each owner (all owners when `owners` is None), over their asks on
    `jobs` (all when None) and of `kind` (all when ""), keyed (owner id, kind), kind ""
    unless `by_kind`. Three queries whatever the number of asks or people, and a fourth for
    the agreed due times when the figures are of one kind (`by_kind`, or `kind` given)."""
    now = now or timezone.now()
    owners = None if owners is None else list(owners)
    asks = _asks(owners, jobs, kind)
    by = ("owner", "kind") if by_kind else ("owner",)
    found: dict[tuple[int, str], Figures] = {}
    for row in _counts(asks, period, now, by):
        key = (row.pop("owner"), row.pop("kind", ""))
        found[key] = Figures(owner_id=key[0], kind=key[1], **row)
    for key, (median, p90) in _percentiles(_percentile_rows(asks, period, by)).items():
        figures = found.setdefault(_key(key), Figures(owner_id=key[0], kind=_key(key)[1]))
        figures.median_seconds, figures.p90_seconds = median, p90
    if by_kind or kind:
        for key, agreed in _agreed(asks, period, by).items():
            if _key(key) in found:  # answered in the period, so counted
                found[_key(key)].agreed = agreed
    snoozes = _snoozes(owners, jobs, period)
    for figures in found.values():
        figures.snoozes = snoozes.get(figures.owner_id, 0)
    return found


def _key(key: tuple[Any, ...]) -> tuple[int, str]:
    return (key[0], key[1] if len(key) > 1 else "")


def seconds_words(person: User, seconds: float | None) -> str:
    """A response time in the owner's business time ("1 business day 3 h"), "—" for none."""
    if seconds is None:
        return "—"
    return working_time_taken_words(calendar_for(person), dt.timedelta(seconds=seconds))


# --- My record ------------------------------------------------------------------------------


@dataclass
class Record:
    """One person's record: a row per kind of ask, the total, and the weekly trend."""

    scope: RecordScope
    rows: list[Figures]
    total: Figures
    weeks: list[Week] = field(default_factory=list)


@dataclass(frozen=True)
class Week:
    starts: dt.date
    answered: int
    within: int

    @property
    def within_share(self) -> float | None:
        return self.within / self.answered if self.answered else None


def _weeks(scope: RecordScope, period: Period, zone: dt.tzinfo) -> list[Week]:
    """Asks answered and answered in time per week (weeks start Monday in `zone`), every
    week of the period listed, empty ones too."""
    if period.end - period.start > MOST_WEEKS * dt.timedelta(days=7):
        raise ValueError("A trend covers at most a year of weeks.")  # the forms keep to one
    answered = _answered_q(period)
    rows = (
        _asks([scope.person.pk], scope.jobs)
        .filter(answered)
        .annotate(week=TruncWeek("closed_at", tzinfo=zone))
        .values("week")
        .annotate(n=Count("pk"), within=Count("pk", filter=Q(closed_at__lte=F("due_at"))))
    )
    counted = {_as_date(row["week"], zone): (row["n"], row["within"]) for row in rows}
    first = period.start.astimezone(zone).date()
    first -= dt.timedelta(days=first.weekday())
    last = (period.end - dt.timedelta(microseconds=1)).astimezone(zone).date()
    weeks = []
    while first <= last:
        n, within = counted.get(first, (0, 0))
        weeks.append(Week(first, n, within))
        first += dt.timedelta(days=7)
    return weeks


def _as_date(value: dt.datetime | dt.date, zone: dt.tzinfo) -> dt.date:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value, zone) if timezone.is_aware(value) else value).date()
    return value


def record_get(
    *, scope: RecordScope, period: Period, zone: dt.tzinfo, now: dt.datetime | None = None
) -> Record:
    """A person's record as the scope allows: per kind, all kinds, and week by week."""
    owners = [scope.person.pk]
    per_kind = responsiveness(period=period, owners=owners, jobs=scope.jobs, by_kind=True, now=now)
    total = responsiveness(period=period, owners=owners, jobs=scope.jobs, now=now)
    rows = sorted(per_kind.values(), key=lambda figures: figures.kind_label)
    empty = Figures(owner_id=scope.person.pk)
    return Record(scope, rows, total.get((scope.person.pk, ""), empty), _weeks(scope, period, zone))


# --- The organisation's table ---------------------------------------------------------------

ROLE_FLAGS = {
    "recruiter": "is_recruiter",
    "hiring_manager": "is_hiring_manager",
    "interviewer": "is_interviewer",
    "admin": "is_admin",
}
SORTS = {
    "name": lambda row: (*name_key(row.person.full_name), row.person.pk),
    "median": lambda row: _last_if_none(row.figures.median_seconds),
    "within": lambda row: _last_if_none(row.figures.within_share),
    "open": lambda row: (0, row.figures.open),
    "overdue": lambda row: (0, row.figures.overdue),
}


def _last_if_none(value: float | None) -> tuple[int, float]:
    return (1, 0.0) if value is None else (0, value)


def people_responsiveness(
    *,
    viewer: User,
    period: Period,
    role: str = "",
    jobs: QuerySet[Job] | None = None,
    kind: str = "",
    sort: str = "name",
    now: dt.datetime | None = None,
) -> list[PersonFigures]:
    """Every active person (of `role`), and everyone deactivated who has figures in the
    period (what they answered before they left stays part of it), with their figures over
    the period (on `jobs` only when given; of one `kind` of ask when given, with the due
    time agreed), sorted by `sort` ("median", "-median", "within", "open", "overdue",
    "name"; a leading "-" reverses, people without a figure stay last). Admins only."""
    insights_admin_check(viewer)
    on = None if jobs is None else jobs.order_by().values("pk")
    found = responsiveness(period=period, jobs=on, kind=kind, now=now)
    counted = [owner for owner, _ in found]
    people = User.objects.filter(Q(is_active=True) | Q(pk__in=counted)).order_by(
        *by_name("full_name"), "pk"
    )
    if role in ROLE_FLAGS:
        people = people.filter(**{ROLE_FLAGS[role]: True})
    rows = [_person_row(person, found) for person in people]
    return _sorted(rows, sort)


def _person_row(person: User, found: dict[tuple[int, str], Figures]) -> PersonFigures:
    figures = found.get((person.pk, ""), Figures(owner_id=person.pk))
    return PersonFigures(
        person,
        figures,
        seconds_words(person, figures.median_seconds),
        seconds_words(person, figures.p90_seconds),
    )


def _sorted(rows: list[PersonFigures], sort: str) -> list[PersonFigures]:
    """`rows` in the order `sort` names (README "Insights"): people without the figure
    (no answer in the period, for the median and the share in time) last; among equal
    figures, people who answered in the period before those who did not, then by name. So
    the most overdue come first whether or not they answered anything: they are the
    bottleneck the order is for."""
    rows.sort(key=SORTS["name"])
    name = sort.removeprefix("-")
    if name not in SORTS or name == "name":
        return rows[::-1] if sort == "-name" else rows
    # Stable sorts: the name order holds within a tie, "answered first" above it.
    rows.sort(key=lambda row: not row.figures.answered)
    key = SORTS[name]
    if sort.startswith("-"):
        # Reverse the figure but keep people without one last.
        present = [row for row in rows if key(row)[0] == 0]
        missing = [row for row in rows if key(row)[0] == 1]
        return sorted(present, key=lambda row: key(row)[1], reverse=True) + missing
    return sorted(rows, key=key)


def insights_jobs(*, viewer: User) -> QuerySet[Job]:
    """The jobs the people table may be filtered by (an admin's: all of them)."""
    insights_admin_check(viewer)
    return Job.objects.order_by("title", "pk")


def insights_jobs_titled(*, viewer: User, words: str) -> QuerySet[Job]:
    """The jobs whose title contains `words` (any case), for the people table's filter."""
    return insights_jobs(viewer=viewer).filter(title__icontains=words)


# --- The bottleneck finder (the sums are in `insights.waits`) ----------------------------


@dataclass(frozen=True)
class WaitChase:
    """A wait listed with the open ask its owner owes about it (what "Nudge now" chases),
    and whether that ask is the reader's own (then there is no one to nudge)."""

    item: QueueItem
    ask: Ask | None
    own: bool
    nudged_at: dt.datetime | None = None  # reminded by hand within the last day: not again
    title: str = ""  # the ask's title as the reader reads it ("Answer your question…")


def waits_chased(*, viewer: User, items: list[QueueItem]) -> list[WaitChase]:
    """The waits listed as `viewer` reads them, each with its ask to chase (one query for
    the rows shown). The rows may be kept for every reader (`insights.kept`): only here are
    they worded for this one, so Hank reads "Answer your question", not "Hank's"."""
    asks = _waits_asks(items)
    rows = []
    for item in items:
        ask = asks.get(item.application.pk)
        own = ask is not None and ask.owner_id == viewer.pk
        title = ask_title_for(ask, reader=viewer) if ask is not None else ""
        worded = item.worded_for(viewer)
        rows.append(WaitChase(worded, ask, own, getattr(ask, "nudged_at", None), title))
    return rows


def _waits_asks(items: list[QueueItem]) -> dict[int, Ask]:
    """For each wait listed (by application), the open ask its owner owes about it, if any:
    what "Nudge now" chases (one query for the rows shown). Of several, the one overdue
    (due first), else the one that is the row's move, else the one due first: the button
    names it, and a reminder about something not yet due while news is days late would
    chase the wrong thing."""
    owners = {item.application.pk: item.owner.pk for item in items if item.owner is not None}
    if not owners:
        return {}
    now = timezone.now()
    asks = (
        Ask.objects.filter(
            status=AskStatus.OPEN, application_id__in=owners, owner_id__in=set(owners.values())
        )
        .select_related("owner")
        # When someone last reminded the owner by hand, if within the day (one a day).
        .annotate(nudged_at=Subquery(_nudged_by_hand_since(now - NUDGE_NOW_GAP)))
        .order_by("due_at", "pk")
    )
    moves = {item.application.pk: item.move_kind for item in items if item.move_kind}
    found: dict[int, Ask] = {}
    for ask in asks:  # due first: the first that ranks higher replaces
        application = ask.application_id
        if application is None or owners.get(application) != ask.owner_id:
            continue
        current = found.get(application)
        if current is None or _chase_rank(ask, moves, now) < _chase_rank(current, moves, now):
            found[application] = ask
    return found


def _chase_rank(ask: Ask, moves: dict[int, str], now: dt.datetime) -> tuple[bool, bool]:
    """Lower first: overdue, then the row's move ("Answer Hank's question")."""
    return (not ask.is_overdue(now), ask.kind != moves.get(ask.application_id or 0))


def _nudged_by_hand_since(since: dt.datetime) -> QuerySet[Nudge, Any]:
    """The last reminder sent by hand about the ask (the outer row) after `since`."""
    return (
        Nudge.objects.filter(ask=OuterRef("pk"), step__gte=NUDGE_NOW_STEP, created_at__gt=since)
        .order_by("-created_at")
        .values("created_at")[:1]
    )


def wait_ask_get(*, viewer: User, pk: int) -> Ask:
    """An open ask about a candidate the viewer may chase with "Nudge now", or 404: any, for
    an admin (the organisation's waits); for someone on a job's hiring team in a deciding
    role, one on that job (the job's waits, on its funnel page). Never one's own."""
    asks = Ask.objects.filter(pk=pk, status=AskStatus.OPEN, application__isnull=False)
    asks = asks.exclude(owner=viewer)  # one's own is in one's queue: nothing to chase
    if not (viewer.is_active and viewer.is_admin):
        asks = asks.filter(job__in=Job.objects.filter(team_q(viewer)))
    ask = asks.select_related("owner").first()
    if ask is None or not viewer.is_active:
        raise Http404("No such follow-up.")
    return ask


# --- The hiring team on the job page --------------------------------------------------------

JOB_ROLES = (
    ("recruiter", "Recruiter"),
    ("hiring_manager", "Hiring manager"),
    ("coordinator", "Coordinator"),
    ("escalation_contact", "Escalation contact"),
)


def job_team_responsiveness(
    *, viewer: User, job: Job, period: Period, now: dt.datetime | None = None
) -> list[tuple[str, PersonFigures]] | None:
    """The job's hiring team (recruiter, hiring manager, coordinator, escalation contact),
    each with their figures on this job's asks only, as (role, row); None when the viewer
    is neither on that team nor an admin (the same rule as `record_scope`)."""
    roles = [(getattr(job, f"{field}_id"), label) for field, label in JOB_ROLES]
    team_ids = [pk for pk, _label in roles if pk is not None]
    if not viewer.is_active or not (viewer.is_admin or viewer.pk in team_ids):
        return None
    people = User.objects.in_bulk(team_ids)
    jobs = Job.objects.filter(pk=job.pk).values("pk")
    found = responsiveness(period=period, owners=team_ids, jobs=jobs, now=now)
    return [(label, _person_row(people[pk], found)) for pk, label in roles if pk in people]


def records_readable(*, viewer: User, ids: Iterable[int]) -> set[int]:
    """Of these people, those whose record `viewer` may open (`record_scope`'s rule, for a
    page that links many names at once): so no link leads to a 404."""
    ids = set(ids)
    if viewer.is_active and viewer.is_admin:
        return ids
    partners = set(record_partners(user=viewer).filter(pk__in=ids).values_list("pk", flat=True))
    return partners | ({viewer.pk} & ids)
