"""Reads of candidates and applications, with every permission filter on them.

An interviewer sees only the applications they interview on; the hiring team sees every
application of its jobs; admins see everything. A guessed id answers 404.

See docs/architecture.md#security-and-permissions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page
from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, Greatest, Least, RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.accounts.selectors import admins_named, is_reader, person_for, possessive_for
from closeloop.activity.models import Activity
from closeloop.followups.business_time import (
    business_days_before,
    calendar_for,
    people_off_time,
    wait_words,
    working_time_between,
    working_time_words,
)
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.policies import move_kinds
from closeloop.followups.selectors import (
    ask_overdue_q,
    ask_shown_q,
    asks_escalated_to_ids,
    covering_words,
)
from closeloop.followups.subjects import subject_key
from closeloop.jobs.models import Job, JobStatus, MoveOwner, Stage, StageKind
from closeloop.jobs.selectors import (
    StageOccupancy,
    job_can_decide,
    job_can_manage,
    job_is_on_team,
    team_job_ids,
    team_q,
    user_sees_everything,
)
from closeloop.lib.folding import Folded, by_name
from closeloop.lib.idsets import AmongIds
from closeloop.lib.pages import Shown, first_shown, page_get
from closeloop.lib.text import listed, round_label
from closeloop.lib.timefmt import absolute
from closeloop.pipeline.interview_source import interview_source
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    Candidate,
    CandidateTag,
    Question,
    StageChange,
    Submission,
    SubmissionDecision,
    Tag,
)
from closeloop.pipeline.policies import ANSWER_QUESTION

if TYPE_CHECKING:
    from closeloop.interviews.models import Interview


# The list view's sorts, each an ORDER BY the database runs (the page reads its 50 rows).
# Names sort as people read them, case and accents aside ("alice", "Åsa Ek", "Émile Zola"
# among the a's and e's: `lib.folding`), the name as written breaking ties.
_NAME = Folded("candidate__full_name")
APPLICATION_SORTS: dict[str, tuple[Any, ...]] = {
    "waiting": ("entered_stage_at",),
    "-waiting": ("-entered_stage_at",),
    "name": (_NAME.asc(), "candidate__full_name"),
    "-name": (_NAME.desc(), "-candidate__full_name"),
    "stage": ("stage__position",),
    "-stage": ("-stage__position",),
    "owner": ("next_move_owner__full_name",),
    "-owner": ("-next_move_owner__full_name",),
}


# The filters below are conditions on the application row itself, never a join in the outer
# query (so no DISTINCT): its job is on the user's team (`job_id IN` the few jobs read by the
# team columns' indexes), or the user holds a panel seat on it (the interviews app keeps one
# `PanelSeat` row per person on some live interview of the application: an EXISTS on its unique
# (user, application) index, reached by relation name since interviews sit a layer above).
# Fetching one application is its primary key lookup plus a few index lookups, whatever the
# organisation's size. See docs/architecture.md#security-and-permissions.


def _panel_seats() -> QuerySet[Any, Any]:
    """The interviews app's `PanelSeat` rows, reached through the relation it declares on
    Application (pipeline sits below interviews and never imports it). Read alone, not
    joined to the applications: the (user, application) index answers without the table."""
    seats = Application._meta.get_field("panel_seats").related_model
    return seats._default_manager.all()


def _interviewed_ids(user: User) -> QuerySet[Any, Any]:
    """The applications whose live (not cancelled) interviews the user sits on, read from
    the user's panel seats: a set, for `pk__in`."""
    return _panel_seats().filter(user=user).values("application_id")


def _interviews_it_q(user: User) -> Q:
    """The application (the row being filtered) has an interview with the user on its panel:
    the user holds a seat on it (one probe of the unique (user, application) index)."""
    return Q(Exists(_panel_seats().filter(user=user, application=OuterRef("pk"))))


def _covering_ids(user: User | int) -> QuerySet[Ask, Any]:
    """The applications the user covers for someone out of office: those of the open asks
    handed to them as the delegate (a few rows, by the asks' owner index)."""
    return (
        Ask.objects.filter(
            owner=user,
            status=AskStatus.OPEN,
            original_owner__isnull=False,
            application__isnull=False,
        )
        .order_by()  # a set (and a part of a UNION, where SQLite refuses an ORDER BY)
        .values("application_id")
    )


def _escalated_ids(user: User) -> QuerySet[Ask, Any]:
    """The applications of the open asks whose escalation reached the user by name: a
    manager off the job's team, told that a review is late, opens the candidate the message
    links to while the ask is open (a few rows, by the notices' recipient index)."""
    return (
        Ask.objects.filter(
            pk__in=asks_escalated_to_ids(user),
            status=AskStatus.OPEN,
            application__isnull=False,
        )
        .order_by()  # a set
        .values("application_id")
    )


def applications_held_ids(user: User) -> QuerySet[Any, Any]:
    """The applications someone outside the team may open while an open ask puts them in
    front of them: those they cover as a delegate, and those an escalation named them for
    (application ids, for `application__in`: the interviews app's debriefs read it)."""
    return _covering_ids(user).union(_escalated_ids(user))


def application_escalated_to(*, user: User, application: Application) -> bool:
    """Whether an open ask about the application escalated to the user by name: they read
    who owes what on it, as the hiring team does (the reason they were told)."""
    return _escalated_ids(user).filter(application=application).exists()


def application_visible_q(user: User) -> Q:
    """The filter for applications a user may see: those of the jobs on their team, those
    they interview, those they cover as a delegate and those an escalation named them for,
    while the ask is open. Checked per row: for a fetch and for a bounded page."""
    if user_sees_everything(user):
        return Q()
    return (
        Q(job__in=team_job_ids(user))
        | _interviews_it_q(user)
        | Q(pk__in=_covering_ids(user))
        | Q(pk__in=_escalated_ids(user))
    )


def application_visible_in_job_q(user: User, job: Job) -> Q:
    """`application_visible_q` for the applications of one job: nothing to check for the
    job's hiring team and admins, who see every candidate of it (its four subqueries were
    built and compiled for each of a job page's lists); the whole rule for anyone else (an
    interviewer, a delegate, someone an escalation named)."""
    if job_is_on_team(user=user, job=job):
        return Q()
    return application_visible_q(user)


def application_team_q(user: User) -> Q:
    """Applications the user sees as a member of the hiring team (not only as an interviewer)."""
    if user_sees_everything(user):
        return Q()
    return Q(job__in=team_job_ids(user))


def job_list_counts(user: User, now: dt.datetime) -> dict[str, Coalesce]:
    """The jobs list's numbers per job row (jobs reads them through `job_counts_register`):
    the active applications the user may see, those waiting on the job's HM, and the stale
    ones. Each is a correlated COUNT on the job's applications (the (job, status) index), so a
    page of jobs costs a range scan per job listed, not a join of every job with every
    application and a COUNT(DISTINCT)."""
    stale_before = now - dt.timedelta(days=settings.STALE_AFTER_DAYS)
    active = Application.objects.filter(
        application_visible_q(user), job=OuterRef("pk"), status=ApplicationStatus.ACTIVE
    )

    def counted(rows: QuerySet[Application]) -> Coalesce:
        number = rows.order_by().values("job").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(number, output_field=IntegerField()), Value(0))

    return {
        "visible_active": counted(active),
        "waiting_on_hm": counted(active.filter(next_move_owner=OuterRef("hiring_manager"))),
        "stale": counted(active.filter(entered_stage_at__lte=stale_before)),
    }


def application_base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "candidate", "job", "stage", "next_move_owner", "job__hiring_manager", "job__recruiter"
    )


def application_get(*, user: User, pk: int) -> Application:
    """One application the user may see, or 404."""
    application = application_base().filter(application_visible_q(user), pk=pk).first()
    if application is None:
        raise Http404("No such candidate.")
    return application


def application_can_read(*, user: User, pk: int) -> bool:
    """Whether the user may open the application now (`application_get` without the 404):
    a delegate's or an escalation's access ends with the ask that gave it."""
    return Application.objects.filter(application_visible_q(user), pk=pk).exists()


@dataclass(frozen=True)
class Neighbours:
    """The candidates before and after one on its job's pipeline, for "previous" / "next"."""

    previous: Application | None
    next: Application | None


def application_neighbours(*, user: User, application: Application) -> Neighbours:
    """The active candidates next to `application` on its job, in the board's order (stage
    by stage, the longest waiting first), among those the user may see: two keyset queries
    on the job's index, whatever the pipeline's size."""
    position, entered = application.stage.position, application.entered_stage_at
    after = (
        Q(stage__position__gt=position)
        | Q(stage__position=position, entered_stage_at__gt=entered)
        | Q(stage__position=position, entered_stage_at=entered, pk__gt=application.pk)
    )
    before = (
        Q(stage__position__lt=position)
        | Q(stage__position=position, entered_stage_at__lt=entered)
        | Q(stage__position=position, entered_stage_at=entered, pk__lt=application.pk)
    )
    # The links read the id and the candidate's name: only those (a candidate's every
    # column, résumé text included, was fetched twice for two names).
    rows = (
        Application.objects.filter(
            application_visible_in_job_q(user, application.job),
            job_id=application.job_id,
            status=ApplicationStatus.ACTIVE,
        )
        .select_related("candidate")
        .only("pk", "candidate__full_name")
    )
    order = ("stage__position", "entered_stage_at", "pk")
    return Neighbours(
        previous=rows.filter(before).order_by(*(f"-{key}" for key in order)).first(),
        next=rows.filter(after).order_by(*order).first(),
    )


# The job page's pipeline panel stays small whatever the job's size: each board column shows
# its longest-waiting cards, the closed group its latest, the list a page at a time; the rest
# is one link away. With the job page's other panels, seven full columns come to ~95 KB of
# HTML (a card is ~0.5 KB), under the ~100 KB every page keeps to.
BOARD_COLUMN_CARDS = 15
BOARD_CLOSED_ROWS = 10
LIST_PAGE_SIZE = 50

OPEN_STATUSES = (ApplicationStatus.ACTIVE, ApplicationStatus.HIRED)
CLOSED_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
# The list view's status filter: the statuses each choice shows ("open" by default).
LIST_STATUSES: dict[str, tuple[str, ...]] = {
    "open": OPEN_STATUSES,
    "closed": CLOSED_STATUSES,
    "all": OPEN_STATUSES + CLOSED_STATUSES,
}
# What a card or a list row shows, and nothing else (a candidate's links and résumé, a job's
# whole row are not read for each of a page's rows).
ROW_FIELDS = (
    "candidate",
    "candidate__full_name",
    "candidate__current_title",
    "candidate__current_company",
    "next_move_owner",
    "next_move_owner__full_name",
    "next_move_owner__email",
    "job",
    "stage",
    "status",
    "entered_stage_at",
    "next_move_since",
    "closed_reason",
    "closed_note",
    "closed_at",
)


def _job_rows(*, user: User, job: Job, statuses: tuple[str, ...]) -> QuerySet[Application]:
    """The job's applications in `statuses` that the user may see, loaded as page rows."""
    return (
        Application.objects.filter(
            application_visible_in_job_q(user, job), job=job, status__in=statuses
        )
        .select_related("candidate", "next_move_owner")
        .only(*ROW_FIELDS)
    )


def _as_rows(
    applications: Iterable[Application], job: Job, stages: dict[int, Stage], now: dt.datetime
) -> list[Application]:
    """The rows with their job and stage from memory (loaded once per page), aged like cards,
    each knowing whether a submission waits for the HM (`submission_pending`).

    The pending submissions are read for the rows shown only, in one query: as a column of
    the rows' own query it would be computed for every row sorted or numbered, not only for
    those on the page.
    """
    stale_days = settings.STALE_AFTER_DAYS
    rows = [_age(application, now, stale_days) for application in applications]
    # A closed application may have ended in a stage removed from the plan since: read those
    # (one query, only when a row needs it) so the row still says where it was.
    removed = {row.stage_id for row in rows} - set(stages)
    if removed:
        stages = {**stages, **Stage.with_removed.in_bulk(removed)}
    active = [row.pk for row in rows if row.is_active]
    pending = set(
        Submission.objects.filter(
            application__in=active, decision=SubmissionDecision.PENDING
        ).values_list("application_id", flat=True)
    )
    # The queue's clock: whose interview the candidate waits for, or since when they wait.
    _clocks_set(rows, now)
    for row in rows:
        row.job = job
        row.stage = stages[row.stage_id]
        row.submission_pending = row.pk in pending  # type: ignore[attr-defined]  # for the template
        # Booked, so not stuck: the queue never flags it stale either.
        if row.awaits_interview:  # type: ignore[attr-defined]
            row.is_stale = False  # type: ignore[attr-defined]
    return rows


def _queue_clocks(
    ids: list[int], now: dt.datetime
) -> dict[int, tuple[bool, dt.datetime | None, dt.datetime | None, bool]]:
    """{application id: (awaits an interview, its start (its end when under way), waited
    since, an interview has begun)} for the rows shown, by the queue's own rules
    (`_queue_annotate`), in one query: a card says "Ivy's interview Mon 09:00" where the
    queue does, not that Ivy's move has waited a week."""
    if not ids:
        return {}
    # The annotations.
    names = ("awaits_interview", "interview_ahead_at", "waited_since", "interview_started")
    rows = _queue_annotate(Application.objects.filter(pk__in=ids), now).only("pk")
    return {row.pk: tuple(getattr(row, name) for name in names) for row in rows}


PERSON_NAME = ("full_name", "email")  # what a person's name reads (User.__str__, short_name)


def _covering_for_rows(rows: list[Application]) -> dict[int, User]:
    """{application id: the delegate covering its move} for the rows whose move's owner is
    away and handed an ask about them over, as the queue says (`_handed_over_asks`): the
    card names who the candidate waits on now. Read for the rows shown only."""
    owners = {row.pk: row.next_move_owner_id for row in rows if row.next_move_owner_id}
    if not owners:
        return {}
    handed = (
        Ask.objects.filter(
            application__in=owners, status=AskStatus.OPEN, original_owner__isnull=False
        )
        .select_related("owner")
        .only("application_id", "original_owner_id", *(f"owner__{name}" for name in PERSON_NAME))
        .order_by("opened_at", "pk")
    )
    covering: dict[int, User] = {}
    for ask in handed:
        if ask.original_owner_id == owners.get(ask.application_id or 0):
            covering.setdefault(ask.application_id or 0, ask.owner)
    return covering


def _age(application: Application, now: dt.datetime, stale_days: int) -> Application:
    """Mark an application with its days in stage and staleness, from its stored stage time."""
    application.days_in_stage = (now - application.entered_stage_at).days  # type: ignore[attr-defined]  # for the template
    application.is_stale = application.is_active and application.days_in_stage >= stale_days  # type: ignore[attr-defined]
    return application


def _job_stages(job: Job) -> dict[int, Stage]:
    return {stage.pk: stage for stage in job.stages.order_by("position")}


@dataclass
class BoardColumn:
    stage: Stage
    cards: list[Application] = field(default_factory=list)
    # Every card of the stage the user may see; `cards` holds the longest-waiting ones.
    count: int = 0

    @property
    def hidden(self) -> int:
        """The cards not shown (the "Show all" link lists them)."""
        return self.count - len(self.cards)


@dataclass
class Board:
    columns: list[BoardColumn]
    closed: list[Application]  # the most recently closed, at most BOARD_CLOSED_ROWS
    closed_count: int
    stale_after_days: int

    @property
    def card_total(self) -> int:
        return sum(column.count for column in self.columns)

    @property
    def closed_hidden(self) -> int:
        return self.closed_count - len(self.closed)


def job_closed_count(*, user: User, job: Job) -> int:
    """How many of the job's candidates the user may see are closed (rejected or withdrawn):
    said where a pipeline with nobody in play would otherwise read as never started (a job
    reopened after its close)."""
    return Application.objects.filter(
        application_visible_in_job_q(user, job), job=job, status__in=CLOSED_STATUSES
    ).count()


def job_board(
    *,
    user: User,
    job: Job,
    now: dt.datetime | None = None,
    per_column: int = BOARD_COLUMN_CARDS,
    closed_rows: int = BOARD_CLOSED_ROWS,
) -> Board:
    """The job's pipeline as columns per stage, longest in stage first; each card knows
    whether it is stale.

    Six queries whatever the job's size: the stages, the counts per stage and status (one
    grouped COUNT), the first `per_column` cards of every column at once (numbered per stage
    by a window function, SQLite 3.25+ and PostgreSQL), their pending submissions and the
    delegates covering their moves, and the latest closed applications.
    """
    now = now or timezone.now()
    stages = _job_stages(job)
    columns = {pk: BoardColumn(stage) for pk, stage in stages.items()}
    counts = (
        Application.objects.filter(application_visible_in_job_q(user, job), job=job)
        .values("stage_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    closed_count = 0
    for row in counts:
        if row["status"] in CLOSED_STATUSES:
            closed_count += row["n"]
        elif row["stage_id"] in columns:
            columns[row["stage_id"]].count += row["n"]
    in_stage_order = [F("entered_stage_at").asc(), F("pk").asc()]
    cards = (
        _job_rows(user=user, job=job, statuses=OPEN_STATUSES)
        .annotate(place=Window(RowNumber(), partition_by=[F("stage_id")], order_by=in_stage_order))
        .filter(place__lte=per_column)
        .order_by("entered_stage_at", "pk")
    )
    for card in _as_rows(cards, job, stages, now):
        columns[card.stage_id].cards.append(card)
    return Board(
        columns=list(columns.values()),
        closed=_as_rows(_latest_closed(user, job, closed_rows), job, stages, now),
        closed_count=closed_count,
        stale_after_days=settings.STALE_AFTER_DAYS,
    )


def _latest_closed(user: User, job: Job, rows: int) -> QuerySet[Application]:
    """The job's `rows` latest closed applications: chosen among the applications alone,
    then joined to their candidates and owners. Sorted with the joins in place, PostgreSQL
    hashed every candidate of the organisation to keep 10 of a job's 871 closed (25 ms at
    100,000 candidates; 5 ms at 10,000)."""
    latest: list[str | OrderBy] = [Coalesce("closed_at", "entered_stage_at").desc(), "-pk"]
    chosen = (
        Application.objects.filter(
            application_visible_in_job_q(user, job), job=job, status__in=CLOSED_STATUSES
        )
        .order_by(*latest)
        .values("pk")[:rows]
    )
    return (
        Application.objects.filter(pk__in=chosen)
        .select_related("candidate", "next_move_owner")
        .only(*ROW_FIELDS)
        .order_by(*latest)
    )


@dataclass
class ApplicationList:
    """One page of the job's list view: its rows (aged like cards) and what it shows."""

    page: Page[Application]
    stages: list[Stage]  # the job's stages, for the stage filter
    stale_after_days: int

    @property
    def rows(self) -> list[Application]:
        return list(self.page.object_list)


# The list view's "whose move" filter by side of the hiring team (a person's id is the other
# kind of value). Sides go by the move's owner of record, as the board's columns do; "me" is
# what My queue calls mine (a move handed to me while its owner is away counts, one handed
# away from me does not).
MOVE_SIDES = {
    "me": "Me",
    "recruiter": "Recruiting side",
    "hiring_manager": "Hiring manager",
    "interviewers": "Interviewers",
    "nobody": "Nobody",
}


@dataclass(frozen=True)
class ListFilters:
    """The list view's filters beyond stage and status (each optional); `applications`
    narrows a job's rows with conditions on the row itself or EXISTS probes of one index,
    never a join that repeats rows (no DISTINCT), so a page costs the same with them."""

    move: str = ""  # a MOVE_SIDES key
    person_id: int | None = None  # the candidate waits on this person
    waiting_days: int | None = None  # in stage longer than this many business days
    source: str = ""  # a Candidate.source value
    interviewer_id: int | None = None  # on the panel of one of the application's interviews
    tag_id: int | None = None  # the candidate has this tag

    @property
    def any(self) -> bool:
        return any((self.move, self.person_id, self.waiting_days, self.source)) or any(
            each is not None for each in (self.interviewer_id, self.tag_id)
        )

    def applications(
        self, rows: QuerySet[Application], *, user: User, job: Job, now: dt.datetime
    ) -> QuerySet[Application]:
        if self.move:
            rows = rows.filter(_move_side_q(self.move, user=user, job=job, now=now))
        if self.person_id is not None:
            rows = rows.filter(_waits_on_q(self.person_id, now))
        if self.waiting_days:
            since = business_days_before(calendar_for(user), now, self.waiting_days)
            rows = rows.filter(entered_stage_at__lt=since)
        if self.source:
            rows = rows.filter(candidate__source=self.source)
        if self.interviewer_id is not None:
            seats = _panel_seats().filter(user=self.interviewer_id, application=OuterRef("pk"))
            rows = rows.filter(Exists(seats))
        if self.tag_id is not None:
            tagged = CandidateTag.objects.filter(
                candidate=OuterRef("candidate_id"), tag=self.tag_id
            )
            rows = rows.filter(Exists(tagged))
        return rows


NO_FILTERS = ListFilters()


def _move_side_q(side: str, *, user: User, job: Job, now: dt.datetime) -> Q:
    """Applications whose move is on `side` (a MOVE_SIDES key) of the job's team."""
    recruiting = {job.recruiter_id, job.coordinator_id} - {None}
    deciding = {job.hiring_manager_id}
    if side == "me":
        return _waits_on_q(user, now)
    if side == "recruiter":
        return Q(next_move_owner__in=recruiting)
    if side == "hiring_manager":
        return Q(next_move_owner__in=deciding)
    if side == "interviewers":
        return Q(next_move_owner__isnull=False) & ~Q(next_move_owner__in=recruiting | deciding)
    return Q(next_move_owner__isnull=True)


@dataclass
class ListFilterChoices:
    """What the list's filters offer on this job: people the candidates may wait on (with,
    for a delegate, whom they cover for: "covering for Hank Hill"), the interviewers on its
    panels, the tags its candidates carry (four queries)."""

    people: list[User]
    interviewers: list[User]
    tags: list[Tag]
    covers: dict[int, str] = field(default_factory=dict)


def job_list_filter_choices(*, user: User, job: Job) -> ListFilterChoices:
    """The choices of the job's list filters, as far as the user may know them: the hiring
    team sees everyone on the job's panels; an interviewer who is not on the team is offered
    only themselves (their colleagues' seats are not theirs to see).

    The people include whoever covers a candidate's move for its absent owner (the delegate
    the job page's "who the pipeline waits on" names, `move_holder`): their filter is the
    moves they hold (`_waits_on_q`), so each person the pipeline waits on can be picked."""
    team = {pk for pk in (job.recruiter_id, job.hiring_manager_id, job.coordinator_id) if pk}
    on_team = user_sees_everything(user) or user.pk in {*team, job.escalation_contact_id}
    if on_team:
        seats = _panel_seats().filter(job=job).values("user_id")
        interviewers = list(User.objects.filter(pk__in=seats).order_by(*by_name("full_name"), "pk"))
    else:
        interviewers = [user]
    on_job = Application.objects.filter(application_visible_in_job_q(user, job), job=job)
    covers = _move_covers(on_job.filter(status=ApplicationStatus.ACTIVE), user)
    shown = {person.pk for person in interviewers} | team | set(covers)
    people = list(User.objects.filter(pk__in=shown).order_by(*by_name("full_name"), "pk"))
    # A deactivated person's moves went to their successor (offered as "covering for"
    # them): offered still only while some candidate waits on them.
    active_on_job = on_job.filter(status=ApplicationStatus.ACTIVE)
    people = [
        person
        for person in people
        if person.is_active or active_on_job.filter(_waits_on_q(person)).exists()
    ]
    used = CandidateTag.objects.filter(
        tag=OuterRef("pk"), candidate__in=on_job.values("candidate_id")
    )
    tags = list(Tag.objects.filter(Exists(used)).order_by("name", "pk")[:200])
    return ListFilterChoices(people=people, interviewers=interviewers, tags=tags, covers=covers)


def _move_covers(applications: QuerySet[Application], reader: User) -> dict[int, str]:
    """{delegate id: "covering for <absent owner>"} for the delegates holding the moves of
    `applications` while their owners are away (`_handed_over`'s asks; one query)."""
    handed = (
        Ask.objects.filter(
            application__in=applications.values("pk"),
            status=AskStatus.OPEN,
            original_owner=F("application__next_move_owner"),
        )
        .select_related("original_owner")
        .order_by("opened_at", "pk")
    )
    covers: dict[int, str] = {}
    for ask in handed:
        if ask.original_owner is not None and ask.owner_id not in covers:
            covers[ask.owner_id] = f"covering for {person_for(ask.original_owner, reader=reader)}"
    return covers


def tags_by_candidate(candidate_ids: Iterable[int]) -> dict[int, list[Tag]]:
    """{candidate id: their tags by name}, for a page of rows (one query)."""
    found: dict[int, list[Tag]] = {}
    links = (
        CandidateTag.objects.filter(candidate__in=list(candidate_ids))
        .select_related("tag")
        .order_by("tag__name", "pk")
    )
    for link in links:
        found.setdefault(link.candidate_id, []).append(link.tag)
    return found


def job_application_page(
    *,
    user: User,
    job: Job,
    sort: str = "waiting",
    stage: Stage | None = None,
    status: str = "open",
    number: int = 1,
    per_page: int = LIST_PAGE_SIZE,
    stages: list[Stage] | None = None,
    filters: ListFilters = NO_FILTERS,
    now: dt.datetime | None = None,
) -> ApplicationList:
    """Page `number` of the job's applications the user may see, in `stage` (else every
    stage) and `status` (a LIST_STATUSES key), sorted by an APPLICATION_SORTS key.

    `filters` narrow it further (`ListFilters`). A number past the last page gives the
    first page, as every paged list does (`closeloop.lib.pages`; `page.number` says which).
    Six queries whatever the job's size and filters: the stages (unless the caller has
    them), the count, the rows, their pending submissions, the delegates covering their
    moves and the candidates' tags.
    """
    now = now or timezone.now()
    by_pk = {each.pk: each for each in stages} if stages is not None else _job_stages(job)
    rows = _job_rows(user=user, job=job, statuses=LIST_STATUSES.get(status, OPEN_STATUSES))
    if stage is not None:
        rows = rows.filter(stage=stage)
    rows = filters.applications(rows, user=user, job=job, now=now)
    rows = rows.order_by(*APPLICATION_SORTS.get(sort, APPLICATION_SORTS["waiting"]), "pk")
    page = page_get(rows, number, per_page=per_page)
    page.object_list = _as_rows(page.object_list, job, by_pk, now)
    tags = tags_by_candidate(row.candidate_id for row in page.object_list)
    for row in page.object_list:
        row.tags = tags.get(row.candidate_id, [])  # type: ignore[attr-defined]  # for the template
    return ApplicationList(
        page=page, stages=list(by_pk.values()), stale_after_days=settings.STALE_AFTER_DAYS
    )


def candidate_visible_q(user: User) -> Q:
    """Candidates with at least one application the user may see: an EXISTS on the
    candidate's own applications (the candidate index), so no join and no DISTINCT."""
    if user_sees_everything(user):
        return Q()
    seen = Application.objects.filter(application_visible_q(user), candidate=OuterRef("pk"))
    return Q(Exists(seen))


def candidate_visible_sets(user: User) -> list[QuerySet[Any, Any]] | None:
    """`candidate_visible_q` for checking thousands of candidates (a broad search's matches):
    the same rule, as sets of candidate ids read once from the user's side, or None when
    the user sees every candidate. A candidate is visible when its id is in any of them:

    - the candidates of the team's jobs, from the (job, candidate) index alone;
    - those of the applications the user holds a panel seat on outside those jobs, one
      primary key lookup per seat (a scalar subquery: as a join, PostgreSQL hashes every
      application to find them);
    - those of the applications the user covers while their ask is open, and of those an
      open ask's escalation named them for, a few rows.

    Each set is read once and held in memory (a hashed subplan on PostgreSQL, a temporary
    index on SQLite), so checking a match is a lookup instead of an EXISTS on the candidate's
    applications; a person's sets are the applications of their jobs, a few thousand rows.
    For one candidate or a page of them, `candidate_visible_q` reads less."""
    if user_sees_everything(user):
        return None
    # Unordered: the applications' default order would cost a sort, and a read of each row.
    applications = Application.objects.order_by()
    team = applications.filter(job__in=team_job_ids(user)).values("candidate_id")
    seat_candidate = applications.filter(pk=OuterRef("application_id")).values("candidate_id")
    # A seat on a job of the team adds nobody: most of a recruiter's seats (3,000 of 3,200 at
    # 100,000 candidates) are left out by the seats' (user, job) index before any lookup.
    elsewhere = _panel_seats().filter(user=user).exclude(job__in=team_job_ids(user))
    seated = elsewhere.values(seat_candidate=Subquery(seat_candidate))
    covered = applications.filter(pk__in=_covering_ids(user)).values("candidate_id")
    escalated = applications.filter(pk__in=_escalated_ids(user)).values("candidate_id")
    return [team, seated, covered, escalated]


def candidate_visible_many_q(user: User) -> Q:
    """`candidate_visible_sets` as a filter on the candidates: the id in any of the sets."""
    sets = candidate_visible_sets(user)
    if sets is None:
        return Q()
    return Q(*(Q(pk__in=ids) for ids in sets), _connector=Q.OR)


def candidate_get(*, user: User, pk: int) -> Candidate:
    """One candidate the user may see through at least one application, or 404."""
    candidate = Candidate.objects.filter(candidate_visible_q(user), pk=pk).first()
    if candidate is None:
        raise Http404("No such candidate.")
    return candidate


def candidate_applications(*, user: User, candidate: Candidate) -> QuerySet[Application]:
    """The candidate's applications the user may see."""
    return (
        application_base()
        .filter(application_visible_q(user), candidate=candidate)
        .order_by("-created_at")
    )


def candidate_find_by_email(*, email: str) -> Candidate | None:
    """The existing candidate with this address (case-insensitive), for duplicate detection."""
    if not email:
        return None
    return Candidate.objects.filter(email__iexact=email.strip()).first()


# Admins named in a refusal that sends someone to one of them; past these, "or another admin".
ADMINS_NAMED_MOST = 3


def candidate_add_refusal(*, user: User, candidate: Candidate) -> str:
    """Why the user may not add this person, found on file by the email typed, to a job: ""
    when they already read the whole record, private details included (`candidate_on_team`:
    the hiring team of one of its jobs, or an admin). Anyone else would reach the record by
    knowing an address (an interviewer who meets the candidate, by adding them to a job of
    their own, would reach their expected pay), so the words say nothing of it, only whom
    to ask."""
    if candidate_on_team(user=user, candidate=candidate):
        return ""
    names = [str(admin) for admin in admins_named()[: ADMINS_NAMED_MOST + 1]]
    if len(names) > ADMINS_NAMED_MOST:
        names[ADMINS_NAMED_MOST:] = ["another admin"]
    # Any one of them will do: "Ada Admin or Jonas Weber".
    named = " or ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))
    who = f"an admin ({named})" if named else "an admin"
    return (
        "Someone with this email is already a candidate in Closeloop, on a job whose hiring "
        f"team you are not on. Nothing was added: ask {who} to add them to this job."
    )


def candidate_timeline(*, user: User, candidate: Candidate) -> QuerySet[Activity]:
    """The candidate's activity that this user may read, newest first, each event with the
    detail the user may read as `detail_shown` (what the timeline prints).

    Interviewers who are not on the hiring team see only the applications they interview on,
    and none of the team's internal notes. Someone an open ask puts in front of the
    candidate (a delegate standing in for the absent hiring manager, a person an escalation
    named: `applications_held_ids`) reads that application's timeline as the team does,
    since it is what the ask's owner would read; the blindness below still applies to them.
    """
    activities = Activity.objects.filter(candidate=candidate).select_related(
        "actor", "job", "application"
    )
    if user_sees_everything(user):
        return _details_shown(activities, user=user, blind=[])
    team_ids = Application.objects.filter(application_team_q(user), candidate=candidate).values(
        "pk"
    )
    interview_ids = Application.objects.filter(
        candidate=candidate, pk__in=_interviewed_ids(user)
    ).values("pk")
    held_ids = Application.objects.filter(
        candidate=candidate, pk__in=applications_held_ids(user)
    ).values("pk")
    # The team's events about the candidate as a whole (a comment on the candidate, a tag)
    # name no application: they are the team's of any of the candidate's applications.
    readable = activities.filter(
        Q(application__in=team_ids)
        | Q(application__in=held_ids)
        | Q(application__in=interview_ids, team_only=False)
        | Q(application__isnull=True, team_only=False)
        | (
            Q(application__isnull=True, team_only=True)
            & (Q(Exists(team_ids)) | Q(Exists(held_ids)))
        )
    )
    # An interviewer still owing a scorecard does not read the submission's pitch, verdict
    # or questions in the timeline either (`application_review_blind`).
    blind = [
        application.pk
        for application in candidate.applications.filter(pk__in=_interviewed_ids(user))
        if application_review_blind(user=user, application=application)
    ]
    if blind:
        readable = readable.exclude(application__in=blind, kind__startswith=SUBMISSION_EVENTS)
    return _details_shown(readable, user=user, blind=blind)


# The events of a submission (its pitch, the HM's verdict, questions and answers).
SUBMISSION_EVENTS = "closeloop.submission."


def _details_shown(
    activities: QuerySet[Activity], *, user: User, blind: list[int]
) -> QuerySet[Activity]:
    """Each event's `detail_shown`: its detail, except on an application the user is blind
    on (`application_review_blind`), where they read what happened but no one's words on it
    but their own. A move's reason is the hiring manager's note on the candidate, as are a
    rejection's, a withdrawal's or a reopening's; the stage history hides them from the same
    reader, and so does the timeline, for every kind, present and to come."""
    if not blind:
        return activities.annotate(detail_shown=F("detail"))
    # Blind on one of the candidate's panels, they do not read the team's words on the
    # candidate as a whole either (a comment on the candidate: the comments' own rule).
    theirs = Q(application__in=blind) | Q(application__isnull=True, team_only=True)
    hidden = theirs & (Q(actor__isnull=True) | ~Q(actor=user))
    return activities.annotate(
        detail_shown=Case(
            When(hidden, then=Value("")), default=F("detail"), output_field=TextField()
        )
    )


def application_covered_by(*, user: User, application: Application) -> bool:
    """The user covers for the job's absent hiring manager on this candidate: an open ask
    about the application, handed from the hiring manager to the user as delegate."""
    return Ask.objects.filter(
        application=application,
        owner=user,
        original_owner_id=application.job.hiring_manager_id,
        status=AskStatus.OPEN,
    ).exists()


def application_move_covered_by(*, application: Application) -> User | None:
    """The delegate the candidate waits on while the move's owner is away (the owner of an
    open ask about the application handed over from the move's owner), or None."""
    return _covering_for_rows([application]).get(application.pk)


def applications_move_covered_by(*, applications: list[Application]) -> dict[int, User]:
    """`application_move_covered_by` for a list, in one query: {application id: the
    delegate covering its move's absent owner}, for the rows that have one."""
    return _covering_for_rows(applications)


def application_can_decide(*, user: User, application: Application) -> bool:
    """Who decides on the candidate (submissions, the debrief): the job's hiring manager or
    an admin, and while the manager is away, a delegate who is a hiring manager too, holding
    an ask handed over for it (the asks go to the delegate so that someone answers them; a
    delegate without that role gets no buttons, and the asks escalate as before)."""
    if not user.is_active:
        return False
    if job_can_decide(user=user, job=application.job):
        return True
    return user.is_hiring_manager and application_covered_by(user=user, application=application)


@dataclass(frozen=True)
class DecisionRight:
    """That `by` decides on one application (`application_can_decide`), found when their
    decision began. A decision made above the pipeline (the debrief's) closes the ask that
    let a delegate decide before the candidate moves; the pipeline then carries the move or
    the rejection out on this right (`application_move_decided`,
    `application_reject_decided`) rather than on the hiring team's rule, which a delegate
    off the team does not pass. Made only by `application_decision_right`."""

    by: User
    application_id: int


def application_decision_right(*, user: User, application: Application) -> DecisionRight | None:
    """The right to decide on the application (and carry the decision out), or None."""
    if not application_can_decide(user=user, application=application):
        return None
    return DecisionRight(by=user, application_id=application.pk)


def submission_can_decide(*, user: User, application: Application) -> bool:
    """Whether the user may still decide on the application's submissions: the one-click
    review links are issued and honoured only then."""
    return application_can_decide(user=user, application=application)


def submission_subject(submission: Submission) -> str:
    """The subject of a submission's review ask ("submission:<pk>")."""
    return subject_key("submission", submission.pk)


def submission_decision_known_to(*, user: User, submission: Submission) -> bool:
    """Whether a refusal may tell the user how the submission was decided: whoever decides
    on the candidate, whoever decided it, and the delegate who held its review for the
    job's hiring manager (her right to decide ended with that ask, when it was answered: a
    second tab of hers hears that it was decided, not that she may not decide). Anyone else
    is refused as before and learns nothing of the decision."""
    application = submission.application
    if submission.decided_by_id == user.pk:
        return True
    if application_can_decide(user=user, application=application):
        return True
    return Ask.objects.filter(
        kind="review_submission",
        subject=submission_subject(submission),
        owner=user,
        original_owner_id=application.job.hiring_manager_id,
    ).exists()


def submission_decided_words(*, submission: Submission, user: User) -> str:
    """The refusal of a second decision: what was decided and by whom."""
    if submission.decision == SubmissionDecision.CLOSED:
        why = f" ({submission.decision_note.lower()})" if submission.decision_note else ""
        return f"The application closed before a decision{why}."
    decided_by = submission.decided_by
    who = "you" if decided_by == user else str(decided_by) if decided_by else ""
    by_whom = f" by {who}" if who else ""
    return f"{submission.get_decision_display()} already{by_whom}."


def submission_link_problem(*, application: Application, user: User) -> str | None:
    """Why a review link can no longer act, in words; None while the decision is open."""
    submission = submission_current(application=application)
    if not submission_can_decide(user=user, application=application):
        return "You are no longer the hiring manager for this job."
    if not application.is_active or submission is None:
        return f"{application.candidate.full_name} is no longer waiting for a decision."
    if submission.decision != SubmissionDecision.PENDING:
        return (
            f"This submission was already answered ({submission.get_decision_display().lower()})."
        )
    return None


def candidate_waits_on_us(application: Application) -> bool:
    """Whether the candidate waits on us for news: while in play, or rejected and not yet
    told the outcome (told since it closed: nothing is owed any more, the loop is closed)."""
    if application.is_active:
        return True
    if application.status != ApplicationStatus.REJECTED or application.closed_at is None:
        return False
    told = application.candidate_updated_at
    return told is None or told < application.closed_at


def candidate_waiting(*, application: Application, now: dt.datetime | None = None) -> str:
    """How long the candidate has waited on us for news, in the recruiter's business time
    ("" when nothing waits: an erased candidate, nobody to tell; a closed application whose
    candidate heard the outcome or was never owed it)."""
    if application.candidate.erased_at is not None or not candidate_waits_on_us(application):
        return ""
    since = candidate_waiting_since(application)
    calendar = calendar_for(application.job.recruiter)
    span = working_time_between(calendar, since, now or timezone.now())
    return working_time_words(calendar, span, finest="day")


def candidate_waiting_since(application: Application) -> dt.datetime:
    """When the candidate last heard from us (else applied): their news clock's start."""
    return application.candidate_updated_at or application.created_at


def candidate_wait_words(
    *, application: Application, now: dt.datetime | None = None, zone: dt.tzinfo | None = None
) -> str:
    """The candidate's wait for news as messages say a wait (`wait_words`, as the digest
    says it of the news ask): "11 days (7 business days) since Mon 30 Nov 10:00", in the
    recruiter's business time; "" when nothing waits (`candidate_waiting`'s rule)."""
    if application.candidate.erased_at is not None or not candidate_waits_on_us(application):
        return ""
    calendar = calendar_for(application.job.recruiter)
    since = candidate_waiting_since(application)
    return wait_words(calendar, since, now or timezone.now(), zone=zone)


def candidate_waiting_by_application(*, applications: list[Application]) -> dict[int, str]:
    """The waiting clock per application, where it runs: in play, or owed the outcome."""
    return {
        application.pk: candidate_waiting(application=application)
        for application in applications
        if candidate_waits_on_us(application)
    }


def submission_state(
    *, submission: Submission, reader: User | None = None, covered_by: User | None = None
) -> str:
    """Where a submission stands, in words for its badge ("Waiting for the HM").

    While a question the HM asked is unanswered, the decision waits on the recruiter:
    "Waiting for Rita's answer" ("your answer" to Rita; the HM's review ask is on hold
    meanwhile). While the HM is away and `covered_by` (`application_move_covered_by`, as
    the page's "Whose move" reads it) holds their move, it waits on that delegate: "Waiting
    for you" to her, "Waiting for Grace Chen, covering for Hank Hill" to others.
    """
    pending = submission.decision == SubmissionDecision.PENDING
    application = submission.application
    if pending and any(question.answered_at is None for question in submission.questions.all()):
        whose = possessive_for(application.job.recruiter, reader=reader)
        return f"Waiting for {whose} answer"
    job = application.job
    if (
        pending
        and covered_by is not None
        and application.next_move_owner_id == job.hiring_manager_id
    ):
        if is_reader(covered_by, reader):
            return "Waiting for you"
        delegate, absent = person_for(covered_by, reader=reader), job.hiring_manager
        return f"Waiting for {delegate}, covering for {person_for(absent, reader=reader)}"
    return submission.get_decision_display()


@dataclass(frozen=True)
class MustHaveRow:
    """One line of a submission's must-haves checklist."""

    item: str
    met: bool
    added_since: bool = False  # on the job's list now, not when the recruiter checked it


def submission_must_haves(
    *, application: Application, submission: Submission | None
) -> list[MustHaveRow]:
    """The must-haves checklist of the submission, as the recruiter checked it: each of the
    job's must-haves then, met or not; those the agreement added since, neither (nobody was
    asked); one it has dropped since still shows, so the pitch reads as it was sent."""
    met = list(submission.must_haves_met) if submission else []
    now_listed = application.job.must_have_list
    listed = submission.must_haves_pitched(application.job) if submission else now_listed
    rows = [MustHaveRow(item, item in met) for item in listed]
    rows += [MustHaveRow(item, True) for item in met if item not in listed]
    rows += [MustHaveRow(item, False, True) for item in now_listed if item not in listed]
    return rows


def submission_current(*, application: Application) -> Submission | None:
    """The latest submission of the application, with its open questions."""
    return (
        application.submissions.select_related("submitted_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "questions", queryset=Question.objects.select_related("asked_by", "answered_by")
            )
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )


def submission_waiting(*, application: Application) -> bool:
    """Whether a submission of the application waits for the HM's decision."""
    return application.submissions.filter(decision=SubmissionDecision.PENDING).exists()


def submitted_by_move_allowed(*, application: Application) -> bool:
    """Whether a plain move may take the application into the Submitted stage. A submission
    enters it (with its pitch and the HM's review ask, due time and reminders); a move alone
    would leave the candidate on a hiring manager nobody asked, so it may only go back to a
    submission still waiting there for the HM's decision. The move service and the move
    forms read this one rule."""
    return submission_waiting(application=application)


def application_move_stages(*, application: Application) -> QuerySet[Stage]:
    """The stages a plain move may take the application to: every other stage of its job,
    Submitted only when `submitted_by_move_allowed`."""
    stages = application.job.stages.exclude(pk=application.stage_id).order_by("position")
    if submitted_by_move_allowed(application=application):
        return stages
    return stages.exclude(kind=StageKind.SUBMITTED)


# --- My queue (the home page) ---------------------------------------------------------------

# A wait this long turns amber in the queue; STALE_AFTER_DAYS (the board's rule) turns it red.
QUEUE_WARN_AFTER_DAYS = 2
QUEUE_INTERVIEW_DAYS = 14

# What the next move is, by stage kind and the side that owes it (when no submission or
# interview says something more precise).
STAGE_MOVES: dict[tuple[str, str], str] = {
    (StageKind.SOURCED, "recruiting"): "Submit or move on",
    (StageKind.SUBMITTED, "recruiting"): "Submit or move on",
    (StageKind.SUBMITTED, "hiring_manager"): "Review the candidate",
    (StageKind.HM_REVIEW, "recruiting"): "Schedule the interviews",
    (StageKind.HM_REVIEW, "hiring_manager"): "Review and decide",
    (StageKind.DEBRIEF, "hiring_manager"): "Decide after the debrief",
    (StageKind.DEBRIEF, "recruiting"): "Run the debrief",
    (StageKind.OFFER, "recruiting"): "Make the offer",
    (StageKind.OFFER, "hiring_manager"): "Approve the offer",
}
# The recruiting side's move where it would book interviews while the job is on hold.
HOLD_MOVE = "Keep the candidate posted: the job is on hold"
SIDE_MOVES = {
    "recruiting": "Move the candidate on",
    "hiring_manager": "Decide the next step",
    "other": "Take the next step",
}
# A question is quoted in the queue by its first words, enough to recognise it.
QUESTION_WORDS = 8
# The ask of an interviewer's scorecard owed, whose page is the form where they write it.
SCORECARD_KIND = "submit_scorecard"


@dataclass
class QueueItem:
    """One candidate waiting on someone: what the move is and how long it has waited."""

    application: Application
    move: str
    owner: User | None
    since: dt.datetime
    days: int
    urgency: str  # "", "warn" or "bad"
    # The open asks behind this move, when the follow-up engine tracks them (set by the view).
    ask_rows: list[Any] = field(default_factory=list)
    # When the move is to hold an interview that has not started: the candidate waits on the
    # interview, not on the interviewer, so nothing is late until it starts.
    interview_at: dt.datetime | None = None
    # The interview is under way with every scorecard in: `interview_at` is its end, when
    # the debrief opens.
    interview_under_way: bool = False
    # When the interview ahead falls outside the working time of someone on its panel (a
    # public holiday, before their hours), a short note: "Christmas Day for you".
    interview_off: str = ""
    # When the move is a pending action in its own right (a question to answer, a submission
    # to decide), the kind of ask that says the same thing; "" for a move read off the stage.
    move_kind: str = ""
    # What makes the move concrete: the first words of the question to answer.
    move_detail: str = ""
    # When `owner` is a delegate: the absent person whose move they cover.
    covers_for: User | None = None
    # When the move is an interview of several interviewers: all of them (`owner` is one).
    panel: tuple[User, ...] = ()
    # When the move answers a question (`move_kind` ANSWER_QUESTION): whose it is, so a
    # row kept for every reader (the insights' longest waits) is worded for each at render.
    move_asker: User | None = None
    # Who reads the row, and where they act when it waits on an interview of theirs (its
    # briefing, or its scorecard form once begun): "" leads to the application's page.
    reader_id: int | None = None
    acts_at: str = ""

    @property
    def url(self) -> str:
        """Where the row leads: where its reader acts when it waits on their interview (an
        interview over and completed has no scheduled one left: their scorecard ask beside
        the row says where its form is), else the application's page."""
        for row in self.ask_rows:
            if row.ask.kind == SCORECARD_KIND and row.ask.owner_id == self.reader_id:
                return str(row.url)
        return self.acts_at or reverse("pipeline:application-detail", args=[self.application.pk])

    def worded_for(self, reader: User | None) -> QueueItem:
        """The row as `reader` reads it ("Answer your question" to its asker): the move is
        the only words of a row that depend on who reads it."""
        if self.move_kind != ANSWER_QUESTION:
            return self
        return replace(self, move=_answer_move(self.move_asker, reader))

    @property
    def move_in_full(self) -> str:
        """The move worded for no one in particular (a download): whose question it is by
        full name ("Answer Hank Hill's question"), never "your"."""
        if self.move_kind != ANSWER_QUESTION:
            return self.move
        whose = f"{self.move_asker.full_name}'s" if self.move_asker else "the HM's"
        return f"Answer {whose} question"

    @property
    def owner_label(self) -> str:
        """Who owes the move, in words: the whole panel of the interview it waits for (not
        the one interviewer `next_move_owner` holds), else the owner; nobody ("") while the
        interview is under way with every scorecard in: only its end is ahead."""
        if self.interview_under_way:
            return ""
        return _names(self.panel or ([self.owner] if self.owner is not None else []))

    @property
    def owner_ids(self) -> tuple[int, ...]:
        """Whose asks sit beside the row: the owner's, and the absent owner's own."""
        ids = [person.pk for person in (self.owner, self.covers_for) if person is not None]
        return tuple(ids)

    @property
    def is_stale(self) -> bool:
        return self.urgency == "bad"

    @property
    def shows_move(self) -> bool:
        """Whether the row says its move besides the asks beside it.

        A move read off the stage ("Make the offer") is only a guess at what is owed, so any
        ask beside the row replaces it; a pending action (Hank's unanswered question) is owed
        whatever else is, and gives way only to an ask of its own kind, which says the same.
        """
        if not self.ask_rows:
            return True
        if not self.move_kind:
            return False
        return all(row.ask.kind != self.move_kind for row in self.ask_rows)


@dataclass
class Queue:
    """My queue: what I owe, oldest first, what others owe in the jobs I run, per-role extras.

    Candidates who wait for an interview of the user's that has not started are listed
    apart (soonest first) and counted apart: nothing is late until the interview starts.
    """

    i_owe: list[QueueItem]
    owed_to_me: list[QueueItem]
    i_owe_total: int = 0
    # The candidates who wait for an interview of the user's to happen, soonest first.
    i_owe_interviews: list[QueueItem] = field(default_factory=list)
    i_owe_awaiting_interview: int = 0
    owed_to_me_total: int = 0
    pending_submissions: int | None = None  # only for hiring managers
    upcoming_interviews: list[Interview] = field(default_factory=list)
    runs_jobs: bool = False  # on a hiring team, in any role
    # Runs a search (recruiter, coordinator or hiring manager): "Waiting on others" is theirs.
    runs_searches: bool = False
    stale_after_days: int = 7

    @property
    def i_owe_waiting(self) -> int:
        """Candidates who wait on the user now (not on an interview still to come)."""
        return self.i_owe_total

    @property
    def longest_waiting(self) -> QueueItem | None:
        return self.i_owe[0] if self.i_owe else None

    @property
    def next_interview(self) -> QueueItem | None:
        return self.i_owe_interviews[0] if self.i_owe_interviews else None

    @property
    def next_own_interview(self) -> Interview | None:
        """The user's next interview on any panel they sit on (whoever holds its move)."""
        return self.upcoming_interviews[0] if self.upcoming_interviews else None

    @property
    def i_owe_items(self) -> list[QueueItem]:
        """Every row listed under "Waiting on you" (the asks beside them attach to these)."""
        return self.i_owe + self.i_owe_interviews


def _queue_prefetch(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Load what `application_next_move` reads in a fixed number of queries."""
    return applications.prefetch_related(*_queue_prefetches())


def _queue_prefetches() -> tuple[Prefetch, ...]:
    """What a queue row reads besides its own columns and its stage: the candidate's name, the
    job and its two people's names, the pending submission and its open questions, the
    scheduled interviews."""
    open_questions = (
        Question.objects.filter(answered_at__isnull=True)
        .select_related("asked_by")
        .order_by("asked_at", "pk")
    )
    pending = (
        Submission.objects.filter(decision=SubmissionDecision.PENDING)
        .prefetch_related(Prefetch("questions", queryset=open_questions, to_attr="open_questions"))
        .order_by("-submitted_at", "-pk")
    )
    jobs = Job.objects.select_related("hiring_manager", "recruiter").only(*QUEUE_JOB_ONLY)
    return (
        Prefetch("candidate", queryset=Candidate.objects.only(*QUEUE_CANDIDATE_ONLY)),
        Prefetch("job", queryset=jobs),
        Prefetch("submissions", queryset=pending, to_attr="pending_submissions"),
        interview_source().scheduled_prefetch(),
    )


def _side(job: Job, person_id: int | None) -> str:
    if person_id is not None and person_id == job.hiring_manager_id:
        return "hiring_manager"
    if person_id is not None and person_id in (job.recruiter_id, job.coordinator_id):
        return "recruiting"
    return "other"


def _pending_submission(application: Application) -> Submission | None:
    if hasattr(application, "pending_submissions"):
        return application.pending_submissions[0] if application.pending_submissions else None
    return (
        application.submissions.filter(decision=SubmissionDecision.PENDING)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def question_asker(question: Question) -> str:
    """Whose question it is, by short name ("Hank"): whoever asked it, the hiring manager or
    their delegate while they are away ("the HM" when the asker's account is gone)."""
    return question.asked_by.short_name if question.asked_by else "the HM"


def _open_question(submission: Submission) -> Question | None:
    if hasattr(submission, "open_questions"):
        return submission.open_questions[0] if submission.open_questions else None
    return submission.questions.filter(answered_at__isnull=True).order_by("asked_at").first()


def _answer_move(asker: User | None, reader: User | None) -> str:
    # By ids (the asker is prefetched): a list names its reader with no query a row.
    whose = possessive_for(asker, reader=reader) or "the HM's"
    return f"Answer {whose} question"


def application_next_move(
    *, application: Application, now: dt.datetime | None = None, reader: User | None = None
) -> str:
    """What the person the candidate waits on has to do, in words ("Decide on submission"),
    for `reader` ("Answer your question" to the one who asked it).

    A pending submission says more than the stage does: the HM decides on it, unless the HM
    asked the recruiter something, then the recruiter answers first. Interview stages read
    the next scheduled interview. Otherwise the stage kind and the owner's side decide.
    """
    if not application.is_active or application.next_move_owner_id is None:
        return ""
    job, owner_id = application.job, application.next_move_owner_id
    side = _side(job, owner_id)
    submission = _pending_submission(application)
    if submission is not None:
        question = _open_question(submission)
        if question is not None and side == "recruiting":
            return _answer_move(question.asked_by, reader)
        if side == "hiring_manager":
            return "Decide on submission"
    if application.stage.move_owner == MoveOwner.INTERVIEWERS:
        return _interview_move(application, side, now or timezone.now())
    if (application.stage.kind, side) == (StageKind.HM_REVIEW, "recruiting"):
        return _booking_move(job)
    return STAGE_MOVES.get((application.stage.kind, side), SIDE_MOVES[side])


def _interview_move(application: Application, side: str, now: dt.datetime) -> str:
    interview = interview_source().next_scheduled(application)
    if interview is None:
        # The rounds are held. An interviewer who still owes a scorecard holds the move
        # (`interviews.services.common._refresh_next_move`): their feedback is owed. Else the
        # hiring manager's move is the round's decision (a debrief hands it to them), the
        # recruiting side's the next booking.
        owed = _owed_round(application, now)
        if owed is not None:
            return f"Give feedback on the {round_label(owed, 'interview')}"
        if side == "hiring_manager":
            return STAGE_MOVES[(StageKind.DEBRIEF, side)]
        return _booking_move(application.job)
    label = round_label(interview.round_name, "interview")
    if interview.starts_at > now:
        return f"Hold the {label}"
    if _interview_cards_in(application):
        # Under way with every scorecard in: nobody owes feedback, and the round's debrief
        # opens when it ends (interviews' worker step), for the hiring manager to decide.
        return f"Scorecards in: the debrief opens when the {label} ends"
    return f"Give feedback on the {label}"


def _booking_move(job: Job) -> str:
    """The recruiting side's move to book interviews, unless the job is on hold: then nothing
    is booked (its interviews were called off) and what the candidate is owed is news."""
    return HOLD_MOVE if job.status == JobStatus.ON_HOLD else "Schedule the interviews"


def _owed_round(application: Application, now: dt.datetime) -> str | None:
    """The round of the move owner's interview whose scorecard they still owe (read for the
    rows `queue_rows` lists; else one query, kept on the row: the move's words and its kind
    both ask)."""
    if application.stage.move_owner != MoveOwner.INTERVIEWERS:
        return None
    if not hasattr(application, "owed_round"):
        owed = interview_source().owner_owed_round(now)
        rounds = Application.objects.filter(pk=application.pk).annotate(owed_round=owed)
        application.owed_round = rounds.values_list("owed_round", flat=True).first()  # type: ignore[attr-defined]
    owed_round: str | None = application.owed_round  # type: ignore[attr-defined]
    return owed_round


def _interview_cards_in(application: Application) -> bool:
    """Whether the interviews that have begun have every scorecard in (`_queue_annotate`'s
    `interview_feedback_due`, read for the rows the queue lists)."""
    return getattr(application, "interview_feedback_due", True) is False


def _with_interview_ahead(
    applications: QuerySet[Application], now: dt.datetime
) -> QuerySet[Application]:
    """Annotate when the next move is an interview of the owner's still ahead.

    `interview_ahead_at` is when the candidate's wait on the owner's interviews ends: the
    start of their next scheduled one, or the end of one under way whose scorecards are all
    in. `interview_started` says whether any scheduled one has begun, and
    `interview_feedback_due` whether one that has begun still misses a scorecard (then
    feedback is owed).
    """
    source = interview_source()
    return applications.annotate(
        interview_ahead_at=source.owner_next_at(now),
        interview_started=source.started(now),
        interview_feedback_due=source.feedback_due(now),
    )


def _awaits_interview_q(now: dt.datetime) -> Q:
    """The rule of `_interview_ahead` in SQL (for counts over more rows than are listed).

    The stage's column first, on its own: a database evaluates the conditions inside a
    CASE in order and stops at the first false one, so a candidate in any other stage (most
    of them) never runs the two interview subqueries. (Keywords in one Q are sorted by name,
    which put the stage last.)"""
    return (
        Q(stage__move_owner=MoveOwner.INTERVIEWERS)
        & Q(interview_ahead_at__gt=now)
        & Q(interview_feedback_due=False)
    )


def _with_awaits(applications: QuerySet[Application], now: dt.datetime) -> QuerySet[Application]:
    """Annotate the interview ahead and `awaits_interview` (true or false, never NULL, so
    filtering or counting on it either way is safe)."""
    awaits = Case(
        When(_awaits_interview_q(now), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return _with_interview_ahead(applications, now).annotate(awaits_interview=awaits)


def applications_with_move_wait(
    applications: QuerySet[Application], now: dt.datetime
) -> QuerySet[Application]:
    """Each row with the queue's own clock, for pages that list applications beside it:
    `waited_since`, and `awaits_interview` with `interview_ahead_at` when the move is an
    interview still to come (nothing is owed, or late, before it)."""
    return _queue_annotate(applications, now)


def _queue_annotate(applications: QuerySet[Application], now: dt.datetime) -> QuerySet[Application]:
    """What the queue's rows and counts read in SQL: `_with_awaits`'s and `waited_since`."""
    ahead = _with_awaits(applications, now)
    return _with_waited_since(ahead, now)


# Later than any moment a row holds: the side of a LEAST that never wins.
NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def _with_waited_since(
    applications: QuerySet[Application], now: dt.datetime
) -> QuerySet[Application]:
    """Annotate `waited_since`: since when the candidate has waited on the move's owner.

    That is when the move became theirs, or earlier when the ask that is that move
    (`followups.policies.move_kinds`: the review, the answer, the scorecard, the decision)
    opened earlier: a review the hiring manager takes up again after the recruiter's answer
    is owed since the submission, as its ask and its reminders say. Any other ask they owe
    about the candidate (news overdue since before the move was handed to them, an action
    item) is late on its own clock, shown beside the row: it never dates the move back, so
    a hand-off never reads as the new owner having kept the candidate waiting for days.

    An interviewer's move is theirs from the booking, but what they owe, the scorecard, is
    owed from the end of their interview (`owner_owed_since`; from `now` while it runs, as
    nothing is late before it ends): the week the candidate waited for the interview to
    take place is nobody's, so the wait on them starts no earlier than that end — the
    moment their scorecard ask opens, read before the worker has opened it.
    """
    became = Coalesce("next_move_since", "entered_stage_at")
    # The stage's column first: a database stops at a CASE's first false condition, so only
    # a candidate in an interview stage (few of them) runs the interview subquery.
    owed = Case(
        When(
            Q(stage__move_owner=MoveOwner.INTERVIEWERS),
            then=interview_source().owner_owed_since(now),
        ),
        default=None,
        output_field=DateTimeField(),
    )
    moved = Greatest(became, Coalesce(owed, became))
    first_ask = (
        Ask.objects.filter(
            Q(owner=OuterRef("next_move_owner")) | Q(original_owner=OuterRef("next_move_owner")),
            kind__in=move_kinds(),
            application=OuterRef("pk"),
            status=AskStatus.OPEN,
        )
        .order_by("opened_at")
        .values("opened_at")[:1]
    )
    # Without an ask the move's own time: NEVER loses to it, so `moved` (and the interview
    # subquery in it) is written into the SQL once, not once more as the fallback.
    never = Value(NEVER, output_field=DateTimeField())
    return applications.annotate(waited_since=Least(moved, Coalesce(Subquery(first_ask), never)))


def _interview_ahead(application: Application, now: dt.datetime) -> dt.datetime | None:
    """When the interview the candidate waits for starts (or, under way with its scorecards
    in, ends), when nothing else is owed first."""
    ahead = getattr(application, "interview_ahead_at", None)
    if application.stage.move_owner != MoveOwner.INTERVIEWERS or ahead is None:
        return None
    if getattr(application, "interview_feedback_due", True) or ahead <= now:
        return None
    return ahead


@dataclass(frozen=True)
class MoveWait:
    """How long the candidate has waited on the move's owner, by the queue's own clock."""

    since: dt.datetime | None = None  # None: nobody owes a move
    # The start of the owner's interview when that is what the candidate waits for: nothing
    # is owed, or late, before it.
    interview_at: dt.datetime | None = None
    # Under way with every scorecard in: `interview_at` is its end, when the debrief opens.
    interview_under_way: bool = False
    # The interviewers of the interview still to come, when there are several: the move is
    # each one's, not only the owner's.
    panel: tuple[User, ...] = ()

    @property
    def panel_names(self) -> str:
        return _names(self.panel)


def _names(people: Sequence[User]) -> str:
    """ "Ivy Morgan", "Sofia Lindqvist and Ivy Morgan", "A, B and C"."""
    return listed(str(person) for person in people)


def _panel_ahead(
    application: Application, interview_at: dt.datetime | None, under_way: bool
) -> tuple[User, ...]:
    """The panel of the interview the candidate waits for, when it has several interviewers
    and has not begun (from the scheduled interviews' prefetch when loaded)."""
    if interview_at is None or under_way:
        return ()
    upcoming = interview_source().next_scheduled(application)
    panel = tuple(upcoming.interviewers.all()) if upcoming is not None else ()
    return panel if len(panel) > 1 else ()


def application_move_wait(*, application: Application, now: dt.datetime | None = None) -> MoveWait:
    """The wait the application page shows, read exactly as the queues read it (one query):
    an application page and a queue never disagree on how long someone has waited."""
    if application.next_move_owner_id is None or not application.is_active:
        return MoveWait()
    now = now or timezone.now()
    rows = Application.objects.filter(pk=application.pk).select_related("stage")
    annotated = _queue_annotate(rows, now).first()
    if annotated is None:
        return MoveWait()
    interview_at = _interview_ahead(annotated, now)
    under_way = interview_at is not None and annotated.interview_started  # type: ignore[attr-defined]  # _queue_annotate
    return MoveWait(
        since=annotated.waited_since,  # type: ignore[attr-defined]  # _queue_annotate
        interview_at=interview_at,
        interview_under_way=under_way,
        panel=_panel_ahead(annotated, interview_at, under_way),
    )


def _question_words(text: str, words: int = QUESTION_WORDS) -> str:
    """The first words of a question, enough to recognise it: "Has Sam run the on-call…"."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _move_owed(application: Application, now: dt.datetime) -> tuple[str, str]:
    """(move_kind, move_detail) of the move when it is a pending action in its own right.

    The kinds are the follow-up engine's names for the asks that say the same thing.
    """
    if not application.is_active or application.next_move_owner_id is None:
        return "", ""
    side = _side(application.job, application.next_move_owner_id)
    submission = _pending_submission(application)
    if submission is not None:
        question = _open_question(submission)
        if question is not None and side == "recruiting":
            return ANSWER_QUESTION, _question_words(question.text)
        if side == "hiring_manager":
            return "review_submission", ""
    if application.stage.move_owner == MoveOwner.INTERVIEWERS:
        interview = interview_source().next_scheduled(application)
        if interview is not None and interview.starts_at <= now:
            return ("", "") if _interview_cards_in(application) else (SCORECARD_KIND, "")
        if interview is None and _owed_round(application, now) is not None:
            return SCORECARD_KIND, ""  # a held interview's scorecard
    return "", ""


def _acts_at(application: Application, now: dt.datetime, reader: User | None) -> str:
    """Where the reader acts on the candidate when the move is the interview panel's and they
    sit on it ("": the move is not theirs to hold there, the row leads to the application)."""
    if reader is None or application.stage.move_owner != MoveOwner.INTERVIEWERS:
        return ""
    return interview_source().acts_at(reader, application, now)


def _queue_item(
    application: Application, now: dt.datetime, stale_days: int, reader: User | None
) -> QueueItem:
    since: dt.datetime = application.waited_since  # type: ignore[attr-defined]  # _queue_annotate
    days = max(0, (now - since).days)
    interview_at = _interview_ahead(application, now)
    urgency = "bad" if days >= stale_days else "warn" if days >= QUEUE_WARN_AFTER_DAYS else ""
    move_kind, move_detail = _move_owed(application, now)
    asker = _question_asker(application) if move_kind == ANSWER_QUESTION else None
    under_way = interview_at is not None and getattr(application, "interview_started", False)
    return QueueItem(
        panel=_panel_ahead(application, interview_at, under_way),
        application=application,
        move=application_next_move(application=application, now=now, reader=reader),
        owner=application.next_move_owner,
        since=since,
        days=days,
        urgency="" if interview_at else urgency,
        interview_at=interview_at,
        interview_under_way=under_way,
        interview_off=_interview_off(application, interview_at, under_way, reader),
        move_kind=move_kind,
        move_detail=move_detail,
        reader_id=reader.pk if reader is not None else None,
        acts_at=_acts_at(application, now, reader),
        move_asker=asker,
    )


def _interview_off(
    application: Application, interview_at: dt.datetime | None, under_way: bool, reader: User | None
) -> str:
    """The note a row waiting on an interview ahead carries when it falls outside the working
    time of someone on its panel (from the scheduled interviews' prefetch when loaded)."""
    if interview_at is None or under_way:
        return ""
    upcoming = interview_source().next_scheduled(application)
    if upcoming is None:
        return ""
    panel = upcoming.interviewers.all()
    said = people_off_time(panel, upcoming.starts_at, upcoming.ends_at, reader=reader)
    return "; ".join(off.note for off in said)


def _question_asker(application: Application) -> User | None:
    """Who asked the open question the move answers (prefetched by the queue's rows)."""
    submission = _pending_submission(application)
    question = _open_question(submission) if submission is not None else None
    return question.asked_by if question is not None else None


def interview_upcoming_for(
    *, user: User, now: dt.datetime | None = None, days: int = QUEUE_INTERVIEW_DAYS
) -> list[Interview]:
    """The user's scheduled interviews that have not ended yet, for the next `days` days."""
    return interview_source().upcoming_for(user, now or timezone.now(), days)


@dataclass
class QueueSets:
    """The queue's sets: the one definition of who is listed where, for the queue and for
    each list's own pages. Read as `{application id: job id}` (`_read_once`); the lists as
    querysets annotated for their rows and counts are built when a page asks for them (My
    queue itself reads the ids only: building the annotations cost 10 ms a request)."""

    # The applications of `mine` and `owed_to_me` with their jobs, read once: what other
    # queries name them by.
    mine_jobs: dict[int, int]
    owed_to_me_jobs: dict[int, int]
    now: dt.datetime

    @cached_property
    def mine(self) -> QuerySet[Application]:
        """The user's move: `i_owe` and `interviews` together."""
        return application_base().filter(AmongIds("pk", self.mine_jobs))

    @cached_property
    def _mine_annotated(self) -> QuerySet[Application]:
        return _queue_annotate(self.mine, self.now)

    @cached_property
    def i_owe(self) -> QuerySet[Application]:
        """Waiting on the user now (listed and counted apart from `interviews`, so the
        headline and each list's number count the same candidates)."""
        # Annotations are filtered through Q (the type checker reads keywords as fields).
        return self._mine_annotated.filter(Q(awaits_interview=False))

    @cached_property
    def interviews(self) -> QuerySet[Application]:
        """Waiting for an interview of the user's."""
        return self._mine_annotated.filter(Q(awaits_interview=True))

    @cached_property
    def owed_to_me(self) -> QuerySet[Application]:
        """In the jobs the user runs, someone else's move."""
        rows = application_base().filter(AmongIds("pk", self.owed_to_me_jobs))
        return _queue_annotate(rows, self.now)

    @property
    def mine_ids(self) -> list[int]:
        return list(self.mine_jobs)

    @property
    def owed_to_me_ids(self) -> list[int]:
        return list(self.owed_to_me_jobs)

    @property
    def job_ids(self) -> set[int]:
        """The jobs of the candidates listed."""
        return {*self.mine_jobs.values(), *self.owed_to_me_jobs.values()}


def _handed_over_asks() -> QuerySet[Ask]:
    """The open asks about the application (the outer row) that went from the move's owner,
    out of office, to their delegate."""
    # "Handed over" said outright, though the match on the move's owner implies it: then the
    # database reads these few asks by their own index (`ask_handed_over_idx`) when it hashes
    # them, instead of every open ask of the organisation (17 ms at 100,000 candidates, a few
    # times a queue page).
    return Ask.objects.filter(
        application=OuterRef("pk"),
        status=AskStatus.OPEN,
        original_owner__isnull=False,
        original_owner=OuterRef("next_move_owner"),
    )


def _handed_over(owner: Any = None) -> Exists:
    """The move's owner is away and an ask about the candidate went to their delegate (to
    `owner`, when given): the candidate waits on the delegate meanwhile."""
    handed = _handed_over_asks()
    return Exists(handed.filter(owner=owner) if owner is not None else handed)


def _covering_owner() -> Subquery:
    """The delegate a candidate waits on instead of the move's absent owner (or NULL)."""
    return Subquery(_handed_over_asks().order_by("opened_at", "pk").values("owner")[:1])


def move_holder() -> Coalesce:
    """Whom the candidate (the outer row, an application) waits on now, as SQL: the delegate
    covering the move's absent owner, else the move's owner (My queue's rule)."""
    return Coalesce(_covering_owner(), "next_move_owner", output_field=BigIntegerField())


def _waits_on_q(user: User | int, now: dt.datetime | None = None) -> Q:
    """The candidate waits on the user: their move (unless handed to a delegate while they
    are away), a move they cover as the delegate (found by the few asks handed to them), or
    an interview still to come whose panel they sit on beside the move's owner.

    `next_move_owner` holds one person, the panel's first interviewer; the interview is
    every panel member's to hold, so each of them finds the candidate in their queue."""
    now = now or timezone.now()
    own = Q(next_move_owner=user) & ~Q(_handed_over())
    covering = Q(pk__in=_covering_ids(user)) & Q(_handed_over(user))
    source = interview_source()
    panel = Q(stage__move_owner=MoveOwner.INTERVIEWERS) & Q(source.on_owner_panel(user, now))
    # The applications with an interview of theirs still to come, read by the panels' user
    # index: of all the applications they sit on a panel of (a busy recruiter's 3,200 at
    # 100,000 candidates), only these can be waiting on their panel.
    ahead = source.panel_ahead_ids(user, now)
    theirs = _or_covered(Application.objects.filter(next_move_owner=user), user).union(ahead)
    return Q(pk__in=theirs) & (own | covering | panel)


def _or_covered(applications: QuerySet[Application], user: User | int) -> QuerySet[Any, Any]:
    """The ids of `applications` and of those the user covers as a delegate: a set read by
    index, put before an "own or covering" rule. Without it that OR is a filter PostgreSQL
    checks on every row of the organisation (40,000 active applications at 100,000
    candidates: 30 ms a queue list)."""
    return applications.order_by().values("pk").union(_covering_ids(user))


def _runs_q(user: User, prefix: str = "") -> Q:
    """Jobs whose search the user runs: recruiter, coordinator or hiring manager."""
    return (
        Q(**{f"{prefix}recruiter": user})
        | Q(**{f"{prefix}coordinator": user})
        | Q(**{f"{prefix}hiring_manager": user})
    )


@dataclass(frozen=True)
class QueueScope:
    """My queue's filters: one job, one kind of ask, overdue asks only (all optional)."""

    job_id: int | None = None
    kind: str = ""
    overdue: bool = False

    def asks(self, asks: QuerySet[Ask], now: dt.datetime) -> QuerySet[Ask]:
        """The asks within the scope."""
        if self.job_id is not None:
            asks = asks.filter(job_id=self.job_id)
        if self.kind:
            asks = asks.filter(kind=self.kind)
        if self.overdue:
            asks = asks.filter(ask_overdue_q(now))
        return asks

    def applications(
        self, applications: QuerySet[Application], now: dt.datetime
    ) -> QuerySet[Application]:
        """The candidates within the scope: of the job; with a kind or "overdue", those with
        such an ask owed by the person they wait on (the asks a queue row shows beside it)."""
        if self.job_id is not None:
            applications = applications.filter(job_id=self.job_id)
        if not (self.kind or self.overdue):
            return applications
        owed = Ask.objects.filter(
            Q(owner=OuterRef("next_move_owner")) | Q(original_owner=OuterRef("next_move_owner")),
            ask_shown_q(now),
            application=OuterRef("pk"),
            status=AskStatus.OPEN,
        )
        return applications.filter(Exists(self.asks(owed, now)))


ANY_SCOPE = QueueScope()


def _read_once(rows: QuerySet[Application]) -> dict[int, int]:
    """{application id: job id} of `rows`, read now.

    My queue reads each of its sets a dozen times a request (its lists, their counts, the
    asks shown beside their rows, the job filter's choices). Written into each of those
    queries, the set's condition (who may see the candidate, whose move it is, cover, panels)
    was built and compiled each time, which cost more than running it; read once, the later
    queries find the rows by their ids (`lib.idsets`). The set is this moment's: the queue
    is built per request, never kept."""
    return dict(rows.order_by().values_list("pk", "job_id"))


def _sets_of(mine: dict[int, int], owed_to_me: dict[int, int], now: dt.datetime) -> QueueSets:
    """The queue's sets of these applications ({id: job id}, from `_read_once`)."""
    return QueueSets(mine_jobs=mine, owed_to_me_jobs=owed_to_me, now=now)


def queue_sets(*, user: User, now: dt.datetime, scope: QueueScope = ANY_SCOPE) -> QueueSets:
    """The queue's lists, within `scope` (the queue's filters)."""
    active = scope.applications(application_base().filter(status=ApplicationStatus.ACTIVE), now)
    mine = _read_once(active.filter(application_visible_q(user)).filter(_waits_on_q(user, now)))
    # The jobs the user runs, read first as a list: their applications are found by the
    # job's index. (An OR over the joined job's three roles was checked on every active
    # application; as a subquery, PostgreSQL misjudged it and filtered all 38,000 active
    # applications with an owner at 100,000 candidates: 30 ms for the busy recruiter's.)
    runs = Q(job_id__in=list(Job.objects.filter(_runs_q(user)).values_list("pk", flat=True)))
    owed_to_me = _read_once(
        active.filter(runs, next_move_owner__isnull=False).exclude(_waits_on_q(user, now))
    )
    return _sets_of(mine, owed_to_me, now)


def queue_sets_within(
    *, user: User, now: dt.datetime, scope: QueueScope, unfiltered: QueueSets | None
) -> QueueSets:
    """The queue's sets within `scope`: `unfiltered` (built for this user and moment) when no
    filter is in force, as a page that read its filters from them need not build them again
    (built three times a request, they were a fifth of the queue page's time); when only the
    job filter is, the unfiltered sets' rows of that job (read with their jobs, no query)."""
    if unfiltered is not None and scope == ANY_SCOPE:
        return unfiltered
    if unfiltered is not None and scope == QueueScope(job_id=scope.job_id):
        mine = _of_job(unfiltered.mine_jobs, scope.job_id)
        return _sets_of(mine, _of_job(unfiltered.owed_to_me_jobs, scope.job_id), now)
    return queue_sets(user=user, now=now, scope=scope)


def _of_job(rows: dict[int, int], job_id: int | None) -> dict[int, int]:
    return {pk: job for pk, job in rows.items() if job == job_id}


# A queue row's stage is joined (the list's filters read it); its candidate and job, with the
# job's hiring manager and recruiter, are read for the rows listed only (`_queue_prefetches`).
# Joined, PostgreSQL sorted every candidate waiting on a busy recruiter with those five tables
# attached, and misjudging how many there were, looped over all 1,000 jobs once per row:
# 70 ms of a 10-row list at 100,000 candidates, 11 ms at 10,000.
QUEUE_ROW_RELATED = ("stage",)
# The columns a row reads: the application's own and its stage's. Only these: every column of
# the joined tables (a candidate's résumé text, a job's agreement fields, the people's password
# hashes) was fetched and built for each row listed.
QUEUE_ROW_ONLY = (
    *(field.name for field in Application._meta.concrete_fields),
    *(f"stage__{field.name}" for field in Stage._meta.concrete_fields),
)
# What a row reads of its candidate and job (the job's title, status and roles, and the names
# of its hiring manager and recruiter).
QUEUE_CANDIDATE_ONLY = ("pk", "full_name")
QUEUE_JOB_ONLY = (
    "pk", "title", "status", "recruiter", "hiring_manager", "coordinator",
    *(f"{role}__{name}" for role in ("hiring_manager", "recruiter") for name in PERSON_NAME),
)  # fmt: skip


def queue_rows(
    applications: QuerySet[Application],
    *,
    now: dt.datetime,
    by_interview: bool = False,
    interviews_last: bool = False,
    prefetch: bool = True,
) -> QuerySet[Application]:
    """A list of the queue in its order (oldest wait, or soonest interview, first; with
    `interviews_last`, those waiting for an interview still to come after the others, as
    their rows show the interview, not a wait), with what its rows read loaded in a fixed
    number of queries: for slicing into a page. Without `prefetch`, the caller loads that
    with `queue_items_of` (several lists' rows in one go)."""
    if by_interview:
        order: tuple[str, ...] = ("interview_ahead_at", "pk")
    elif interviews_last:
        soonest = Case(
            When(Q(awaits_interview=True), then=F("interview_ahead_at")),
            default=F("waited_since"),
        )
        applications = applications.annotate(queue_order=soonest)
        order = ("awaits_interview", "queue_order", "pk")
    else:
        order = ("waited_since", "pk")
    covered = applications.annotate(
        covering_owner_id=_covering_owner(), owed_round=_owed_round_of_row(now)
    )
    # The move's owner is read with the delegates by `queue_items`, not joined here: joined,
    # PostgreSQL walked every active application in owner order to merge with the people
    # (60 ms for a recruiter running 50 jobs at 100,000 candidates) instead of her jobs' index.
    unjoined = covered.select_related(None).select_related(*QUEUE_ROW_RELATED).only(*QUEUE_ROW_ONLY)
    ordered = unjoined.order_by(*order)
    return _queue_prefetch(ordered) if prefetch else ordered


def _owed_round_of_row(now: dt.datetime) -> Case:
    """`_owed_round` in SQL, for the rows listed: the stage's column first, so only a
    candidate in an interview stage runs the interview subquery."""
    return Case(
        When(
            Q(stage__move_owner=MoveOwner.INTERVIEWERS),
            then=interview_source().owner_owed_round(now),
        ),
        default=None,
        output_field=CharField(),
    )


def queue_items(
    applications: Iterable[Application], *, now: dt.datetime, reader: User | None = None
) -> list[QueueItem]:
    """The rows of a page of a queue list (`applications` from `queue_rows`), worded for
    `reader`; a candidate whose absent owner's move a delegate covers waits on the delegate
    (the move's owners and the delegates in one query)."""
    return _queue_items(list(applications), now, reader)


def queue_items_of(
    lists: Sequence[Iterable[Application]], *, now: dt.datetime, reader: User | None = None
) -> list[list[QueueItem]]:
    """The rows of several queue lists (each from `queue_rows(…, prefetch=False)`, sliced),
    with what they read loaded once for all of them: My queue's three lists cost the queries
    of one (each list loaded its own submissions, questions, interviews and people)."""
    fetched = [list(rows) for rows in lists]
    every = [row for rows in fetched for row in rows]
    prefetch_related_objects(every, *_queue_prefetches())
    items = _queue_items(every, now, reader)
    shown, start = [], 0
    for rows in fetched:
        shown.append(items[start : start + len(rows)])
        start += len(rows)
    return shown


def _queue_items(rows: list[Application], now: dt.datetime, reader: User | None) -> list[QueueItem]:
    stale_days = settings.STALE_AFTER_DAYS
    delegates = {getattr(row, "covering_owner_id", None) for row in rows} - {None}
    owners = {row.next_move_owner_id for row in rows} - {None}
    covering = User.objects.in_bulk(delegates | owners) if delegates | owners else {}
    owner_field = Application._meta.get_field("next_move_owner")
    for row in rows:  # fill the relation's cache: reading `row.next_move_owner` costs nothing
        if row.next_move_owner_id is not None:
            owner_field.set_cached_value(row, covering[row.next_move_owner_id])
    items = []
    for application in rows:
        item = _queue_item(application, now, stale_days, reader)
        delegate = covering.get(getattr(application, "covering_owner_id", None))
        if delegate is not None:
            item.owner, item.covers_for = delegate, application.next_move_owner
        items.append(item)
    return items


@dataclass(frozen=True)
class _Ranked:
    """One part of a queue set, by its clocks: the ids of its first rows, in order, and how
    many rows it has."""

    first: list[int]
    total: int


def _ranked(ids: list[int], now: dt.datetime, limit: int) -> dict[bool, _Ranked]:
    """A queue set's rows ranked by their clocks in one query, apart by whether they wait
    for an interview still to come (True) or on someone now (False): the first `limit` of
    each (the longest wait first; the soonest interview first) and each part's count.

    The database works each clock out once, ranks and counts; only the first rows' ids come
    back. (Every clock read into Python to sort and count there: a busy recruiter's 3,000
    rows, two times each, parsed and sorted, were a fifth of her queue's time.) The ranking
    is written around the clocks' compiled query, not through the ORM's `Window`: that
    writes the clock (subqueries over asks and interviews) into the statement three times,
    and compiling it three times cost more than the rows it saved."""
    parts = {False: _Ranked([], 0), True: _Ranked([], 0)}
    if not ids:
        return parts
    rows = _queue_annotate(Application.objects.filter(AmongIds("pk", ids)), now)
    soonest = Case(
        When(Q(awaits_interview=True), then=F("interview_ahead_at")),
        default=F("waited_since"),
    )
    clocks = (
        rows.annotate(queue_order=soonest)
        .order_by()
        .values("pk", "awaits_interview", "queue_order")
    )
    inner, params = clocks.query.sql_with_params()
    # The aliases are the `values` names the ORM writes ("pk" AS "pk" …); only integers and
    # booleans come back, so no database's conversion of times is needed.
    sql = (
        "SELECT awaits_interview, queue_rank, pk, part_total FROM ("  # noqa: S608
        " SELECT c.pk, c.awaits_interview,"
        " ROW_NUMBER() OVER (PARTITION BY c.awaits_interview ORDER BY c.queue_order, c.pk)"
        " AS queue_rank,"
        " COUNT(*) OVER (PARTITION BY c.awaits_interview) AS part_total"
        f" FROM ({inner}) c) ranked WHERE queue_rank <= %s"
    )
    with connections[clocks.db].cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        ranked = cursor.fetchall()
    for awaits, _, pk, total in sorted(ranked):
        shown = parts[bool(awaits)]
        parts[bool(awaits)] = _Ranked([*shown.first, pk], total)
    return parts


def _rows_of(lists: list[list[int]], now: dt.datetime) -> list[list[Application]]:
    """The applications of each list of ids, in its order, as `queue_rows` loads a row (one
    query for all the lists)."""
    shown = [pk for ids in lists for pk in ids]
    annotated = _queue_annotate(Application.objects.filter(AmongIds("pk", shown)), now)
    by_pk = {row.pk: row for row in queue_rows(annotated, now=now, prefetch=False)}
    return [[by_pk[pk] for pk in ids if pk in by_pk] for ids in lists]


def queue_for(
    *,
    user: User,
    limit: int = 100,
    now: dt.datetime | None = None,
    scope: QueueScope = ANY_SCOPE,
    sets: QueueSets | None = None,
) -> Queue:
    """Applications waiting on the user, and on others in the jobs the user runs: the first
    `limit` of each list, with each list's true count (within the queue's filters, `scope`).
    `sets`: the queue's sets for this user, moment and scope, when the caller built them.

    The number of queries does not depend on the number of rows (the page test guards it).
    """
    now = now or timezone.now()
    sets = sets or queue_sets(user=user, now=now, scope=scope)
    roles = Job.objects.filter(team_q(user)).aggregate(
        team=Count("pk"), runs=Count("pk", filter=_runs_q(user))
    )
    # Each set ranked by its clocks once: the lists' first rows and their counts.
    mine = _ranked(sets.mine_ids, now, limit)
    i_owe, interviews = mine[False], mine[True]
    # Waiting on others: those waiting for an interview last, soonest first (their rows show
    # the interview, not a wait), as `queue_rows(…, interviews_last=True)` orders them.
    others_now, others_ahead = _ranked(sets.owed_to_me_ids, now, limit).values()
    theirs = [*others_now.first, *others_ahead.first][:limit]
    # The rows shown, then what they read for all of them at once.
    waiting, others, ahead = queue_items_of(
        _rows_of([i_owe.first, theirs, interviews.first], now), now=now, reader=user
    )
    return Queue(
        i_owe=waiting,
        owed_to_me=others,
        i_owe_total=i_owe.total,
        i_owe_interviews=ahead,
        i_owe_awaiting_interview=interviews.total,
        owed_to_me_total=others_now.total + others_ahead.total,
        # The tiles follow the job filter too (the page says the counts do).
        pending_submissions=submission_pending_count(user=user, job_id=scope.job_id)
        if user.is_hiring_manager
        else None,
        upcoming_interviews=[
            interview
            for interview in interview_upcoming_for(user=user, now=now)
            if scope.job_id is None or interview.application.job_id == scope.job_id
        ],
        runs_jobs=roles["team"] > 0,
        runs_searches=roles["runs"] > 0,
        stale_after_days=settings.STALE_AFTER_DAYS,
    )


def applications_stale(
    *, applications: QuerySet[Application], limit: int = 100, now: dt.datetime | None = None
) -> list[QueueItem]:
    """The active ones among `applications` that My queue flags stale, longest waiting first.

    The queue's own rule decides (`QueueItem.is_stale`: waiting STALE_AFTER_DAYS or more, and
    not on an interview still to come); the query only narrows to rows that waited that long
    and do not await an interview, so `limit` counts stale rows.
    """
    now = now or timezone.now()
    stale_days = settings.STALE_AFTER_DAYS
    active = _queue_annotate(applications.filter(status=ApplicationStatus.ACTIVE), now)
    waited = active.filter(
        Q(awaits_interview=False, waited_since__lte=now - dt.timedelta(days=stale_days))
    ).select_related("candidate", "job", "stage", "next_move_owner")
    items = queue_items(queue_rows(waited, now=now)[:limit], now=now)
    return [item for item in items if item.is_stale]


def submission_pending_count(*, user: User, job_id: int | None = None) -> int:
    """Submissions waiting for this hiring manager's decision (not those where he waits on
    the recruiter's answer to his question: his review is on hold), of one job if given."""
    open_question = Question.objects.filter(submission=OuterRef("pk"), answered_at__isnull=True)
    # A review handed to a delegate while the manager is away is the delegate's to decide.
    handed = Ask.objects.filter(
        application=OuterRef("application"),
        status=AskStatus.OPEN,
        original_owner=OuterRef("application__job__hiring_manager"),
    )
    own = Q(application__job__hiring_manager=user) & ~Q(Exists(handed))
    covering = Q(application__in=_covering_ids(user)) & Q(Exists(handed.filter(owner=user)))
    his = _or_covered(Application.objects.filter(job__hiring_manager=user), user)
    submissions = Submission.objects.filter(application__in=his)
    if job_id is not None:
        submissions = submissions.filter(application__job_id=job_id)
    return (
        submissions.filter(own | covering)
        .filter(decision=SubmissionDecision.PENDING, application__status=ApplicationStatus.ACTIVE)
        .exclude(Exists(open_question))
        .count()
    )


# --- Candidate and application pages (added for the candidate/application views) ----------


def candidate_edit_refusal(*, user: User, candidate: Candidate) -> str:
    """Why the user may not edit the candidate ("" when they may): the recruiting side
    (recruiter or coordinator) of any of the candidate's jobs edits them; nobody edits an
    erased candidate (there is nothing left of them to edit), not even an admin."""
    if candidate.erased_at is not None:
        return (
            f"This candidate was erased on {absolute(candidate.erased_at)}; "
            "there is nothing left of them to edit."
        )
    if user_sees_everything(user):
        return ""
    recruiting = (
        Application.objects.filter(candidate=candidate)
        .filter(Q(job__recruiter=user) | Q(job__coordinator=user))
        .exists()
    )
    return "" if recruiting else "Only the recruiting side of this candidate's jobs edits them."


def candidate_can_edit(*, user: User, candidate: Candidate) -> bool:
    return not candidate_edit_refusal(user=user, candidate=candidate)


def candidate_on_team(*, user: User, candidate: Candidate) -> bool:
    """True when the user sits on the hiring team of one of the candidate's jobs.

    Team members see private details (expected compensation); interviewers who only meet the
    candidate do not need them.
    """
    if user_sees_everything(user):
        return True
    return Application.objects.filter(application_team_q(user), candidate=candidate).exists()


def candidate_applications_shown(
    *, user: User, candidate: Candidate, limit: int
) -> Shown[Application]:
    """The candidate's latest `limit` applications the user may see, and how many there are,
    each with whose move it is by the queue's clock (as on the board and the application
    page: a delegate covering, an interview still to come, the wait since it began)."""
    shown = first_shown(candidate_applications(user=user, candidate=candidate), limit)
    _clocks_set(shown.rows, timezone.now())
    return shown


def _clocks_set(rows: list[Application], now: dt.datetime) -> None:
    """Put the queue's clock and the covering delegate on application rows, for
    `jobs/_move.html` (two queries for the rows, whatever their number)."""
    active = [row for row in rows if row.is_active]
    covering = _covering_for_rows(active)
    clocks = _queue_clocks([row.pk for row in active], now)
    for row in rows:
        row.covered_by = covering.get(row.pk)  # type: ignore[attr-defined]  # for the template
        awaits, ahead, since, begun = clocks.get(row.pk, (False, None, row.next_move_since, False))
        row.awaits_interview = awaits  # type: ignore[attr-defined]  # for the template
        row.interview_ahead_at = ahead  # type: ignore[attr-defined]
        row.waited_since = since  # type: ignore[attr-defined]
        # Awaiting an interview that has begun: it is under way, its scorecards in, and the
        # card gives its end.
        row.interview_under_way = awaits and begun  # type: ignore[attr-defined]
    applications_panel_set(rows)


def _awaits_interview_to_come(row: Application) -> bool:
    return getattr(row, "awaits_interview", False) and not getattr(
        row, "interview_under_way", False
    )


def applications_panel_set(rows: Sequence[Application]) -> None:
    """Put on rows read with the queue's clock (`awaits_interview`, `interview_ahead_at`,
    `interview_under_way`) the whole panel of the interview each waits for when it has
    several interviewers and has not begun (`panel`, `panel_names`; empty otherwise): the
    move is every interviewer's, not only the one `next_move_owner` holds. The panels are
    read for those rows only, two queries when there are any."""
    ahead = [row for row in rows if _awaits_interview_to_come(row)]
    if ahead:
        prefetch_related_objects(ahead, interview_source().scheduled_prefetch())
    waiting = {row.pk for row in ahead}
    for row in rows:
        at = getattr(row, "interview_ahead_at", None) if row.pk in waiting else None
        row.panel = _panel_ahead(row, at, under_way=False)  # type: ignore[attr-defined]  # for the template
        row.panel_names = _names(row.panel)  # type: ignore[attr-defined]


def application_stage_history(*, application: Application, limit: int) -> Shown[StageChange]:
    """The application's latest `limit` stage changes, oldest first (as the history reads),
    and how many there are, in one query (two when there are more)."""
    latest = application.stage_changes.select_related("from_stage", "to_stage", "by").order_by(
        "-at", "-pk"
    )
    shown = first_shown(latest, limit)
    shown.rows.reverse()
    return shown


def application_timeline(*, user: User, application: Application) -> QuerySet[Activity]:
    """The activity of one application that this user may read, newest first."""
    return candidate_timeline(user=user, candidate=application.candidate).filter(
        application=application
    )


def application_in_job(*, job: Job, email: str) -> Application | None:
    """The application of the candidate with this email on this job, if there is one.

    Used to point a recruiter who adds someone twice at the existing application.
    """
    candidate = candidate_find_by_email(email=email)
    if candidate is None:
        return None
    return Application.objects.filter(candidate=candidate, job=job).first()


def applications_same_name(*, job: Job, full_name: str, email: str = "") -> list[Application]:
    """The applications on this job of other people with this name (spaces and case aside),
    the person with this email apart, oldest first: the add page's warning and
    `candidate_add`'s refusal read the same list, so a second card for one person is only
    added when the recruiter confirms it is someone else."""
    name = " ".join(full_name.split())
    if not name:
        return []
    rows = (
        Application.objects.filter(job=job, candidate__full_name__iexact=name)
        .select_related("candidate", "stage")
        .order_by("created_at", "pk")
    )
    if email.strip():
        rows = rows.exclude(candidate__email__iexact=email.strip())
    return list(rows)


SAME_NAME_ELSEWHERE_SHOWN = 5


def candidates_same_name_elsewhere(
    *, user: User, job: Job, full_name: str, email: str = ""
) -> list[Candidate]:
    """Other people with this name the user may see who are not on this job (a few, newest
    first), each with the applications the user sees as `applications_seen`: shown beside
    the add page's warning, so a person already on file elsewhere is found by email."""
    name = " ".join(full_name.split())
    if not name:
        return []
    rows = (
        Candidate.objects.filter(candidate_visible_q(user), full_name__iexact=name)
        .exclude(applications__job=job)
        .order_by("-created_at", "-pk")
    )
    if email.strip():
        rows = rows.exclude(email__iexact=email.strip())
    candidates = list(rows[:SAME_NAME_ELSEWHERE_SHOWN])
    seen = (
        Application.objects.filter(application_visible_q(user), candidate__in=candidates)
        .select_related("job", "stage")
        .order_by("created_at", "pk")
    )
    by_candidate: dict[int, list[Application]] = {}
    for application in seen:
        by_candidate.setdefault(application.candidate_id, []).append(application)
    for candidate in candidates:
        candidate.applications_seen = by_candidate.get(candidate.pk, [])  # type: ignore[attr-defined]  # for the template
    return candidates


def application_advance_stage(*, application: Application) -> Stage | None:
    """The stage an advance moves the application to: the next one in the job's plan (None
    after the last). The HM's advance moves there; the one-click page names it."""
    return (
        application.job.stages.filter(position__gt=application.stage.position)
        .order_by("position")
        .first()
    )


def question_get(*, user: User, pk: int) -> Question:
    """A question on a submission the user sees as a member of the hiring team, or 404."""
    team_ids = Application.objects.filter(application_team_q(user)).values("pk")
    question = (
        Question.objects.filter(pk=pk, submission__application__in=team_ids)
        .select_related("submission__application")
        .first()
    )
    if question is None:
        raise Http404("No such question.")
    return question


# --- Job page (added by the jobs-pages work) -----------------------------------------------


@dataclass
class WaitingOn:
    """One person (or nobody) the job's pipeline waits on, and for how many candidates; or,
    with `interview_next`, the candidates waiting for an interview still to come, who wait
    on no one yet (as in everyone's queue)."""

    person_id: int | None
    name: str
    role: str  # on the job's team: "hiring manager" (said in brackets after the name)
    count: int
    since: dt.datetime | None
    interview_next: dt.datetime | None = None
    # A delegate off the team: whom they cover for, said after a comma, not in brackets (its
    # own brackets say why: "covering for Hank Hill (out of office until Fri 11 Dec)").
    covering: str = ""


def _team_role(job: Job, person_id: int | None) -> str:
    roles = {
        job.hiring_manager_id: "hiring manager",
        job.coordinator_id: "coordinator",
        job.recruiter_id: "recruiter",
    }
    if person_id is None:
        return ""
    return roles.get(person_id, "interviewer")


def job_waiting_on(*, user: User, job: Job, now: dt.datetime | None = None) -> list[WaitingOn]:
    """Who the job's active candidates wait on, most candidates first (three queries at
    most, whoever they are): the move's owner, or the delegate covering for them while they
    are away. Candidates waiting for an interview that has not started wait on no one yet:
    they are counted on a row of their own, last, with the next interview's start.

    Counts only the applications the user may see, so an interviewer's summary never
    reveals candidates they do not interview. `since` is the longest wait by the queue's
    clock (`waited_since`), so the job page and each person's queue never disagree.
    """
    now = now or timezone.now()
    active = Application.objects.filter(
        application_visible_in_job_q(user, job), job=job, status=ApplicationStatus.ACTIVE
    )
    waits_on = Coalesce(_covering_owner(), F("next_move_owner"), output_field=BigIntegerField())
    rows = list(
        _queue_annotate(active, now)
        .annotate(waits_on=waits_on)
        .values("waits_on", "awaits_interview")
        .annotate(n=Count("pk"), since=Min("waited_since"), next_at=Min("interview_ahead_at"))
        .order_by("awaits_interview", "-n", "since", "waits_on")
    )
    waiting = [row for row in rows if not row["awaits_interview"]]
    people = User.objects.in_bulk({row["waits_on"] for row in waiting} - {None})
    outside = {pk for pk in people if _team_role(job, pk) == "interviewer"}
    covering = _covering_on(job, outside)
    found = [_waiting_row(job, row, people.get(row["waits_on"]), covering, user) for row in waiting]
    ahead = [row for row in rows if row["awaits_interview"]]
    if ahead:
        found.append(
            WaitingOn(
                person_id=None,
                name="An interview still to come",
                role="",
                count=sum(row["n"] for row in ahead),
                since=None,
                interview_next=min(row["next_at"] for row in ahead),
            )
        )
    return found


def _waiting_row(
    job: Job,
    row: Mapping[str, Any],
    person: User | None,
    covering: dict[int, User],
    reader: User,
) -> WaitingOn:
    role, covers = _team_role(job, row["waits_on"]), ""
    if person is not None and role == "interviewer" and person.pk in covering:
        role, covers = "", covering_words(covering[person.pk], reader)
    return WaitingOn(
        person_id=row["waits_on"],
        name=(person.full_name or person.email) if person is not None else "Nobody",
        role=role,
        count=row["n"],
        since=row["since"],
        covering=covers,
    )


def _covering_on(job: Job, people: set[int]) -> dict[int, User]:
    """{delegate: whom they cover for} among `people` who hold open asks on the job handed
    over from someone away or gone (one query for all of them: one each grew the job page
    with the people its candidates wait on)."""
    if not people:
        return {}
    handed = Ask.objects.filter(
        job=job, owner__in=people, status=AskStatus.OPEN, original_owner__isnull=False
    ).select_related("original_owner")
    covering: dict[int, User] = {}
    for ask in handed.order_by("opened_at", "pk"):
        if ask.original_owner is not None:
            covering.setdefault(ask.owner_id, ask.original_owner)
    return covering


@dataclass
class ApplicationActions:
    """What the viewer may do on an application page right now (the page shows only these)."""

    on_team: bool = False
    submit: bool = False
    move: bool = False
    reject: bool = False
    withdraw: bool = False
    reopen: bool = False
    reopen_stage: Stage | None = None  # where reopening puts them (`application_reopen_stage`)
    # Why a closed candidate cannot be reopened when the job ended (`job_ended_refusal`),
    # said where the button would be, so nobody fills in a reason the service then refuses.
    reopen_refusal: str = ""
    decide: bool = False
    answer: bool = False

    @property
    def any(self) -> bool:
        return any((self.submit, self.move, self.reject, self.withdraw, self.reopen, self.decide))


def job_ended_refusal(*, job: Job, to_do: str) -> str:
    """Why a search that ended (Filled or Closed) cannot `to_do` ("add candidates to it"),
    or "" while it runs: the services refuse with it and the pages say it before asking."""
    if not job.has_ended:
        return ""
    return f"{job.title} is {job.get_status_display().lower()}; set it Open again to {to_do}."


def job_fill_shortfall(*, job: Job) -> tuple[int, list[Application]]:
    """How many the job has hired, and its active candidates at Offer or a later stage (in
    the plan's order, furthest first): the hire not recorded yet that setting the job Filled
    would reject with the rest. A plan without an Offer stage counts from Hired."""
    hired = Application.objects.filter(job=job, status=ApplicationStatus.HIRED).count()
    offer = (
        Stage.objects.filter(job=job, kind__in=[StageKind.OFFER, StageKind.HIRED])
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    if offer is None:
        return hired, []
    far = list(
        Application.objects.filter(
            job=job, status=ApplicationStatus.ACTIVE, stage__position__gte=offer
        )
        .select_related("candidate", "stage")
        .order_by("-stage__position", "candidate__full_name", "pk")
    )
    return hired, far


def application_reopen_stage(application: Application) -> Stage | None:
    """The stage a reopened application goes back to: the one it was closed in, or, when
    that stage was removed from the plan since or is one it may not re-enter, the stage
    before its place (else the first). Never Hired: reopening hires nobody; nor Submitted,
    which only a submission enters (`submitted_by_move_allowed`): closed there, its
    submission was passed or closed, and back in Submitted the candidate would wait on a
    hiring manager with nothing to decide. None for a job without stages."""
    stage = application.stage
    plan = application.job.stages.exclude(kind=StageKind.HIRED)
    if not submitted_by_move_allowed(application=application):
        plan = plan.exclude(kind=StageKind.SUBMITTED)
    if stage.removed_at is None and plan.filter(pk=stage.pk).exists():
        return stage
    before = plan.filter(position__lt=stage.position).order_by("-position").first()
    return before or plan.order_by("position").first()


def stage_occupancy_counts(stage_ids: list[int]) -> dict[int, StageOccupancy]:
    """Per stage, the applications standing in it as its board column counts them (active,
    or hired in Hired) and the closed ones that ended there: one grouped query (jobs'
    `stage_occupancy` source, registered in PipelineConfig.ready)."""
    rows = (
        Application.objects.filter(stage_id__in=stage_ids)
        .order_by()
        .values("stage_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)),
        )
    )
    return {row["stage_id"]: StageOccupancy(row["open"], row["closed"]) for row in rows}


def application_past_review(application: Application) -> bool:
    """Whether the application already sits in a stage after the job's Submitted stage.

    Such a candidate was advanced (or moved on by hand): submitting them again would drag
    them back to Submitted and ask the HM for a decision already made.
    """
    submitted = (
        application.job.stages.filter(kind=StageKind.SUBMITTED)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    return submitted is not None and application.stage.position > submitted


def application_actions(
    *, user: User, application: Application, submission: Submission | None
) -> ApplicationActions:
    """The actions open to the user, mirroring the checks the pipeline services make.

    Interviewers who are not on the hiring team get none: they read the page only.
    """
    job = application.job
    if application.candidate.erased_at is not None:
        # An erased candidate's application is an anonymous record: nothing more to do.
        return ApplicationActions(on_team=job_is_on_team(user=user, job=job))
    manage = job_can_manage(user=user, job=job)
    decide = job_can_decide(user=user, job=job)
    active = application.is_active
    closed = application.status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
    pending = submission is not None and submission.decision == SubmissionDecision.PENDING
    # A delegate covering for the absent hiring manager decides the submission (not more).
    covering = not decide and pending and application_can_decide(user=user, application=application)
    may_reopen = manage and closed
    reopen_refusal = job_ended_refusal(job=job, to_do="reopen a candidate") if may_reopen else ""
    reopen_stage = (
        application_reopen_stage(application) if may_reopen and not reopen_refusal else None
    )
    return ApplicationActions(
        on_team=job_is_on_team(user=user, job=job) or decide,
        submit=manage and active and not pending and not application_past_review(application),
        move=(manage or decide) and active,
        reject=(manage or decide) and active,
        withdraw=manage and active,
        reopen=reopen_stage is not None,
        reopen_stage=reopen_stage,
        reopen_refusal=reopen_refusal,
        decide=(decide or covering) and active and pending,
        answer=manage,
    )


# What an interviewer who still owes a scorecard does not read yet (as with comments).
REVIEW_BLIND = (
    "The hiring team's review of this candidate (the pitch, the must-haves checklist, the "
    "hiring manager's decision and questions, the pay they expect) opens to you once your "
    "scorecards on them are in, so that nothing in it sways yours."
)


def application_review_blind(*, user: User, application: Application) -> bool:
    """Whether the user sits on the candidate's interview panel and still owes a scorecard:
    the submission's assessment is hidden from them until it is in (the scorecards' one
    blindness rule; the hiring team reads everything)."""
    return interview_source().blind(user, application)


def application_review_open(*, user: User, application: Application, on_team: bool) -> bool:
    """Whether the user reads the hiring team's review of the candidate on this application
    and the pay they expect: the team (`on_team`: who runs or decides it) and anyone on its
    interview panel, once their scorecards on the candidate are in (`application_review_blind`,
    the one rule every part of the review follows)."""
    if application_review_blind(user=user, application=application):
        return False
    return on_team or _panel_seats().filter(user=user, application=application).exists()


def candidate_pay_visible(*, user: User, candidate: Candidate) -> bool:
    """Whether the candidate's page shows the pay they expect: to the hiring team of one of
    their jobs, and to an interviewer once every scorecard they owe on the candidate is in
    (`application_review_open`); never while one is owed, which the pay could sway."""
    if candidate_on_team(user=user, candidate=candidate):
        return True
    seated = list(
        Application.objects.filter(pk__in=_interviewed_ids(user), candidate=candidate)
        .select_related("job")
        .order_by()
    )
    return bool(seated) and all(
        application_review_open(user=user, application=application, on_team=False)
        for application in seated
    )


# What an application's removal may take or carry over: its moves and follow-ups go with
# it, its activity moves to the entry that stays. Rows of any other kind (a submission,
# interviews, a debrief, a quality check-in, whatever a new feature adds) are a record of
# its own that a merge never deletes.
ENTRY_TRAIL = frozenset({"stage_changes", "asks", "activities"})


@dataclass(frozen=True)
class EntryFold:
    """On a job both records of one person are on: the entry that stays and the one removed."""

    job: Job
    stays: Application
    goes: Application


@dataclass(frozen=True)
class MergePlan:
    """What merging `duplicate` into `keep` does on the jobs both are on, or why it cannot."""

    folds: list[EntryFold]
    refusal: str = ""


def application_has_record(application: Application) -> bool:
    """Whether the entry holds anything beyond its moves, follow-ups and activity (one query
    per relation: a merge's question, asked rarely)."""
    for relation in Application._meta.related_objects:
        if relation.get_accessor_name() in ENTRY_TRAIL:
            continue
        rows = relation.related_model._base_manager.filter(**{relation.field.name: application})
        if rows.exists():
            return True
    return False


def _entry_rank(application: Application, has_record: bool) -> tuple[bool, bool, int]:
    """Which of two entries on one job stays: the one with a record of its own, then an
    active one, then the one further along."""
    return (has_record, application.is_active, application.stage.position)


def candidates_merge_plan(*, keep: Candidate, duplicate: Candidate) -> MergePlan:
    """On each job both records are on, one entry stays (by `_entry_rank`; the record
    kept's on a tie) and the other is removed; refused when both hold a record of their own
    there (submissions or interviews on each), which no merge may delete."""
    ours = {
        application.job_id: application
        for application in keep.applications.select_related("job", "stage")
    }
    folds = []
    theirs = duplicate.applications.filter(job_id__in=list(ours)).select_related("job", "stage")
    for their in theirs.order_by("job__title", "pk"):
        our = ours[their.job_id]
        our_record, their_record = application_has_record(our), application_has_record(their)
        if our_record and their_record:
            return MergePlan(
                [],
                f"Both records have their own history on {their.job.title} (a submission or "
                "interviews on each), so they cannot be merged.",
            )
        ahead = _entry_rank(their, their_record) > _entry_rank(our, our_record)
        stays, goes = (their, our) if ahead else (our, their)
        folds.append(EntryFold(job=their.job, stays=stays, goes=goes))
    return MergePlan(folds)
