"""The organisation at a glance, for admins on their home page.

Three bounded lists — overdue asks by person, escalations that reached the admin, jobs at
risk — each computed with aggregates in a fixed number of queries whatever the number of
asks, and each with its full count. Only admins see any of it: the permission rule is
`org_overview_can_view`, and every selector here checks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.followups.business_time import calendar_for, overdue_words
from closeloop.followups.models import Ask, AskStatus, Notice
from closeloop.followups.selectors import (
    ESCALATION_ROLES,
    AskRow,
    ask_rows,
    ask_title_for,
    ask_urls,
    asks_escalated_to_ids,
)
from closeloop.jobs.models import Job, JobStatus, StageKind
from closeloop.lib.pages import page_get
from closeloop.lib.timefmt import absolute
from closeloop.pipeline.models import Application, ApplicationStatus, StageChange
from closeloop.pipeline.selectors import ANY_SCOPE, QueueScope, applications_with_move_wait

if TYPE_CHECKING:
    from django.core.paginator import Page
    from django.db.models import QuerySet

OVERVIEW_TOP = 5  # rows per list on the home page; the counts say how many there are in all
PERSON_ASKS_LIMIT = 200  # one person's overdue asks on their own page
# A job whose candidates have not moved for this long has a stalled pipeline.
STALLED_AFTER_DAYS = 14
# The fill-date projection: offers per week over this many weeks (the intake's drift watch
# projects the same way; a test keeps the two in step).
VELOCITY_WEEKS = 8
FILL_NEAR_DAYS = 42  # with no offers at all, the target is at risk once it is this close


def org_overview_can_view(user: User) -> bool:
    """Only admins see the organisation's overview (not recruiters who see every job)."""
    return bool(user.is_authenticated and user.is_active and user.is_admin)


def _overdue(person: User, due_at: dt.datetime, now: dt.datetime) -> str:
    """How late, in the person's own working calendar: "4 business days overdue", or
    "overdue since Fri 04 Dec 17:00" (as My queue says it)."""
    return overdue_words(calendar_for(person), due_at, now)


# --- Overdue asks by person -----------------------------------------------------------------


@dataclass
class OverduePerson:
    """One person who owes overdue asks: how many, and how late the oldest is."""

    person: User
    count: int
    oldest_due_at: dt.datetime
    oldest_overdue: str  # "4 business days overdue", in the person's calendar


def _overdue_asks(now: dt.datetime) -> QuerySet[Ask]:
    # An ask on hold has its clock stopped: it is never overdue (followups.services.ask_hold).
    return Ask.objects.filter(status=AskStatus.OPEN, due_at__lte=now, held_at__isnull=True)


def overdue_by_person(
    *, user: User, now: dt.datetime, top: int = OVERVIEW_TOP
) -> tuple[list[OverduePerson], int, int]:
    """Who owes the most overdue asks, worst first: (top rows, people in all, asks in all).

    Worst = most overdue asks, then the oldest due time. Three queries.
    """
    if not org_overview_can_view(user):
        return [], 0, 0
    grouped = (
        _overdue_asks(now)
        .values("owner")
        .annotate(n=Count("pk"), oldest=Min("due_at"))
        .order_by("-n", "oldest", "owner")[:top]
    )
    rows = list(grouped)
    totals = _overdue_asks(now).aggregate(asks=Count("pk"), people=Count("owner", distinct=True))
    people = User.objects.in_bulk([row["owner"] for row in rows])
    result = [
        OverduePerson(
            person=people[row["owner"]],
            count=row["n"],
            oldest_due_at=row["oldest"],
            oldest_overdue=_overdue(people[row["owner"]], row["oldest"], now),
        )
        for row in rows
    ]
    return result, totals["people"], totals["asks"]


@dataclass
class PersonOverdue:
    """One person's overdue asks, for the page an overview row links to."""

    person: User
    rows: list[AskRow]
    total: int


def overdue_asks_of(*, user: User, person_pk: int, now: dt.datetime | None = None) -> PersonOverdue:
    """Every overdue ask one person owes, oldest due first; 404 for anyone but an admin."""
    if not org_overview_can_view(user):
        raise Http404("No such page.")
    person = User.objects.filter(pk=person_pk).first()
    if person is None:
        raise Http404("No such person.")
    now = now or timezone.now()
    asks = (
        _overdue_asks(now)
        .filter(owner=person)
        .select_related("job", "owner", "application__candidate", "original_owner")
        .order_by("due_at", "pk")
    )
    shown = list(asks[:PERSON_ASKS_LIMIT])
    return PersonOverdue(person=person, rows=ask_rows(shown, now, reader=user), total=asks.count())


# --- Escalations that reached the admin -------------------------------------------------------


@dataclass
class EscalationRow:
    """An open ask escalated to the admin, or whose escalation named them."""

    ask: Ask
    title: str  # for the reader: "Answer your question about …" to the one who asked
    url: str
    overdue: str  # "2 business days overdue"; "" when not due yet
    reached_at: dt.datetime | None  # the latest escalation notice to this reader
    # How it reached this reader: as an admin (the admins' rung), else named by it (the
    # escalation contact, a manager, the hiring manager). Read from the role of the latest
    # notice to them; an admin no notice reached (not yet told) has it by the ask's rung.
    as_admin: bool

    @property
    def admins_too(self) -> bool:
        """Named by the escalation, and the ask has since reached the admins' rung too."""
        return not self.as_admin and self.ask.level >= 2


def _escalated_by_name(user: User) -> Q:
    return Q(pk__in=asks_escalated_to_ids(user))


def _escalated_to(user: User) -> Q:
    return Q(level__gte=2) | _escalated_by_name(user)


def _escalations(user: User) -> QuerySet[Ask]:
    """The open asks escalated to `user`: to the admins (for an admin) or to them by name."""
    # A held ask waits on someone else; its escalations resume with it.
    reached = _escalated_to(user) if org_overview_can_view(user) else _escalated_by_name(user)
    return Ask.objects.filter(reached, status=AskStatus.OPEN, held_at__isnull=True)


def _escalation_rows(user: User, asks: QuerySet[Ask]) -> QuerySet[Ask]:
    """`asks` in the order the lists show them (most overdue first), each with the latest
    escalation notice that reached `user` (when, and in which role)."""
    latest_notice = Notice.objects.filter(
        nudge__ask=OuterRef("pk"), recipient=user, role__in=ESCALATION_ROLES
    ).order_by("-created_at", "-pk")
    return (
        asks.annotate(
            reached_at=Subquery(latest_notice.values("created_at")[:1]),
            reached_role=Subquery(latest_notice.values("role")[:1]),
        )
        .select_related("owner", "original_owner", "job", "application__candidate")
        .order_by("due_at", "pk")
    )


def _escalation_list(asks: list[Ask], now: dt.datetime, reader: User) -> list[EscalationRow]:
    """The rows of `asks` read by `_escalation_rows` (their links read for the list at once),
    worded for `reader`."""
    urls = ask_urls(asks)
    rows = []
    for ask in asks:
        role = vars(ask)["reached_role"]  # an annotation: a plain attribute of the row
        rows.append(
            EscalationRow(
                ask=ask,
                title=ask_title_for(ask, reader=reader),
                url=urls[ask.pk],
                overdue=_overdue(ask.owner, ask.due_at, now) if ask.due_at <= now else "",
                reached_at=vars(ask)["reached_at"],
                as_admin=role == "admin" if role else ask.level >= 2,
            )
        )
    return rows


def escalations_reaching(
    *, user: User, now: dt.datetime, top: int = OVERVIEW_TOP, scope: QueueScope = ANY_SCOPE
) -> tuple[list[EscalationRow], int]:
    """Open asks escalated to the admins (for an admin) or to this person by name (an
    escalation contact, a manager), most overdue first (one query when there are none, as
    for most people; two, plus what the features need to build the asks' links, otherwise). The
    reminders that say "the rest are in your queue" count these, so every queue lists them;
    the first `top` show there, every one on `escalations_page`. Within My queue's filters
    (`scope`), as its other lists are."""
    asks = scope.asks(_escalations(user), now)
    total = asks.count()
    if not total:
        return [], 0
    return _escalation_list(list(_escalation_rows(user, asks)[:top]), now, user), total


def escalations_reaching_count(*, user: User) -> int:
    """How many open escalations reached `user`, whatever the queue's filters (one query)."""
    return _escalations(user).count()


@dataclass
class EscalationsPage:
    """One page of every open escalation that reached the reader."""

    page: Page
    rows: list[EscalationRow]
    admin_rung: bool  # the reader is an admin: every ask at the admins' rung is theirs too


def escalations_page(
    *, user: User, now: dt.datetime, value: object, scope: QueueScope = ANY_SCOPE
) -> EscalationsPage:
    """The page `value` of the escalations that reached `user`, in the order and by the
    rules of `escalations_reaching`, within My queue's filters (two queries, plus what the
    features need to build the asks' links, whatever the number of rows)."""
    page = page_get(_escalation_rows(user, scope.asks(_escalations(user), now)), value)
    rows = _escalation_list(list(page.object_list), now, user)
    return EscalationsPage(page, rows, admin_rung=org_overview_can_view(user))


# --- Jobs at risk -----------------------------------------------------------------------------


@dataclass
class JobAtRisk:
    """An open job and why it is at risk, in sentences."""

    job: Job
    reasons: list[str] = field(default_factory=list)
    overdue_asks: int = 0
    stale: int = 0
    days_past_target: int = 0  # an unfilled job past its target fill date: by how many days

    @property
    def severity(self) -> tuple[int, int, int, int]:
        """A missed target ranks first (the longest missed first), then the most reasons."""
        return (self.days_past_target, len(self.reasons), self.overdue_asks, self.stale)


def _count(queryset: QuerySet, column: str) -> Coalesce:
    """A correlated COUNT(*) over `queryset`, grouped by `column` (0 when there is none)."""
    counted = queryset.values(column).annotate(c=Count("pk")).values("c")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _jobs_annotated(now: dt.datetime) -> QuerySet[Job]:
    """Open jobs with every figure the risk rules read, as correlated subqueries (one query)."""
    job = OuterRef("pk")
    active = Application.objects.filter(job=job, status=ApplicationStatus.ACTIVE)
    # Waiting by My queue's clock, not on an interview still to come: the queue, the board and
    # the weekly update flag the same candidates stale.
    waiting = applications_with_move_wait(active, now).filter(Q(awaits_interview=False))
    stale_before = now - dt.timedelta(days=settings.STALE_AFTER_DAYS)
    overdue = Ask.objects.filter(
        job=job,
        status=AskStatus.OPEN,
        due_at__lte=now,
        held_at__isnull=True,
        application__isnull=False,
    )
    offers = (
        StageChange.objects.filter(
            application__job=job,
            at__gte=now - dt.timedelta(weeks=VELOCITY_WEEKS),
            to_stage__kind__in=[StageKind.OFFER, StageKind.HIRED],
        )
        .values("application__job")
        .annotate(c=Count("application", distinct=True))
        .values("c")
    )
    last_move = (
        StageChange.objects.filter(application__job=job)
        .values("application__job")
        .annotate(m=Max("at"))
        .values("m")
    )
    oldest_wait = waiting.values("job").annotate(m=Min("waited_since")).values("m")
    return Job.objects.filter(status=JobStatus.OPEN).annotate(
        n_active=_count(active, "job"),
        n_overdue=_count(overdue, "job"),
        oldest_overdue=Subquery(overdue.values("job").annotate(m=Min("due_at")).values("m")),
        n_stale=_count(waiting.filter(Q(waited_since__lte=stale_before)), "job"),
        oldest_wait=Subquery(oldest_wait),
        n_hired=_count(Application.objects.filter(job=job, status=ApplicationStatus.HIRED), "job"),
        n_offers=Coalesce(Subquery(offers, output_field=IntegerField()), Value(0)),
        last_move=Subquery(last_move),
    )


def fill_date_projected(
    *, headcount: int, hired: int, offers: int, today: dt.date
) -> dt.date | None:
    """Offers per week over the last VELOCITY_WEEKS weeks → when the remaining hires land."""
    remaining = max(0, headcount - hired)
    per_week = offers / VELOCITY_WEEKS
    if not remaining or not per_week:
        return None
    return today + dt.timedelta(weeks=remaining / per_week)


@dataclass(frozen=True)
class _Figures:
    """A job's numbers as `_jobs_annotated` computed them, read once with their types."""

    active: int
    overdue: int
    oldest_overdue: dt.datetime | None
    stale: int
    oldest_wait: dt.datetime | None
    hired: int
    offers: int
    last_move: dt.datetime | None

    @classmethod
    def of(cls, job: Job) -> _Figures:
        row = vars(job)  # the annotations are plain attributes of the row
        return cls(
            active=row["n_active"],
            overdue=row["n_overdue"],
            oldest_overdue=row["oldest_overdue"],
            stale=row["n_stale"],
            oldest_wait=row["oldest_wait"],
            hired=row["n_hired"],
            offers=row["n_offers"],
            last_move=row["last_move"],
        )


def _days_past_target(job: Job, figures: _Figures, today: dt.date) -> int:
    """How many days an unfilled job is past its target fill date (0 when it is not)."""
    target = job.target_fill_date
    if target is None or job.headcount <= figures.hired or target >= today:
        return 0
    return (today - target).days


def _fill_reason(job: Job, figures: _Figures, today: dt.date) -> str:
    target = job.target_fill_date
    if target is None or job.headcount <= figures.hired:
        return ""
    when = f"{target:%a %d %b %Y}"
    projected = fill_date_projected(
        headcount=job.headcount, hired=figures.hired, offers=figures.offers, today=today
    )
    late = _days_past_target(job, figures, today)
    if late:
        missed = f"{_plural(late, 'day')} past its target of {when}"
        if projected is not None:
            return f"{missed}; projected to fill {projected:%a %d %b %Y}"
        return f"{missed}, with no offers in {VELOCITY_WEEKS} weeks"
    if projected is not None:
        if projected <= target:
            return ""
        return f"Projected to fill {projected:%a %d %b %Y}, after the target {when}"
    if (target - today).days <= FILL_NEAR_DAYS:
        return f"No offers in {VELOCITY_WEEKS} weeks and the target fill date is {when}"
    return ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _risk(job: Job, now: dt.datetime, today: dt.date) -> JobAtRisk:
    figures = _Figures.of(job)
    risk = JobAtRisk(
        job=job,
        overdue_asks=figures.overdue,
        stale=figures.stale,
        days_past_target=_days_past_target(job, figures, today),
    )
    if figures.overdue and figures.oldest_overdue is not None:
        # Owed by several people, each in their own calendar: the due time says it for all.
        risk.reasons.append(
            f"{_plural(figures.overdue, 'overdue ask')} on candidates "
            f"(the oldest due {absolute(figures.oldest_overdue)})"
        )
    if figures.stale and figures.oldest_wait is not None:
        days = (now - figures.oldest_wait).days
        risk.reasons.append(
            f"{_plural(figures.stale, 'candidate')} waiting {settings.STALE_AFTER_DAYS}+ days "
            f"for a move (the longest {_plural(days, 'day')})"
        )
    fill = _fill_reason(job, figures, today)
    if fill:
        risk.reasons.append(fill)
    still_since = figures.last_move or job.opened_at or job.created_at
    if (now - still_since).days >= STALLED_AFTER_DAYS:
        if figures.active:
            risk.reasons.append(
                f"Stalled: no candidate moved in {_plural((now - still_since).days, 'day')}"
            )
        else:
            risk.reasons.append("Stalled: no candidates in play")
    return risk


def jobs_at_risk(
    *, user: User, now: dt.datetime, top: int = OVERVIEW_TOP
) -> tuple[list[JobAtRisk], int]:
    """Open jobs at risk, worst first (past its target fill date, the longest missed first;
    then most reasons, then most overdue asks): one query.

    The reasons are worked out per open job from the aggregates (no query per job)."""
    if not org_overview_can_view(user):
        return [], 0
    today = timezone.localdate(now)
    still_before = now - dt.timedelta(days=STALLED_AFTER_DAYS)
    # Only jobs some rule could flag come back: the rules below then need no query.
    maybe = (
        Q(n_overdue__gt=0)
        | Q(n_stale__gt=0)
        | Q(target_fill_date__isnull=False)
        | Q(last_move__isnull=True)
        | Q(last_move__lte=still_before)
    )
    jobs = _jobs_annotated(now).filter(maybe).order_by("title", "pk")
    risks = [risk for risk in (_risk(job, now, today) for job in jobs) if risk.reasons]
    risks.sort(key=lambda risk: risk.severity, reverse=True)  # stable: by title within ties
    return risks[:top], len(risks)


# --- The whole overview -----------------------------------------------------------------------


@dataclass
class OrgOverview:
    overdue_people: list[OverduePerson]
    overdue_people_total: int
    overdue_asks_total: int
    escalations: list[EscalationRow]
    escalations_total: int
    jobs_at_risk: list[JobAtRisk]
    jobs_at_risk_total: int


def org_overview(
    *, user: User, now: dt.datetime | None = None, top: int = OVERVIEW_TOP
) -> OrgOverview | None:
    """The admin's view of the organisation; None for everyone else."""
    if not org_overview_can_view(user):
        return None
    now = now or timezone.now()
    people, people_total, asks_total = overdue_by_person(user=user, now=now, top=top)
    escalations, escalations_total = escalations_reaching(user=user, now=now, top=top)
    risks, risks_total = jobs_at_risk(user=user, now=now, top=top)
    return OrgOverview(
        overdue_people=people,
        overdue_people_total=people_total,
        overdue_asks_total=asks_total,
        escalations=escalations,
        escalations_total=escalations_total,
        jobs_at_risk=risks,
        jobs_at_risk_total=risks_total,
    )
