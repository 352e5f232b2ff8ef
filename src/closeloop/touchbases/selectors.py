"""Reads of touch-bases, agendas and action items, with their permission filters.

Who sees a touch-base: the job's hiring team (recruiter, HM, coordinator, escalation
contact) and admins. Who runs it (notes, action items, held/skipped): the recruiter, the
coordinator, the HM and admins. Whoever covers for the HM (their delegate while they are out
of office, whoever holds their asks on the job) sees it and takes the HM's part.
Interviewers and outsiders get 404: a guessed id learns nothing.
An action item is also visible to its owner, who may be any member of the team.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.http import Http404
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from closeloop.accounts.models import User
from closeloop.accounts.selectors import person_for, possessive_for
from closeloop.followups.business_time import (
    calendar_for,
    not_working_words,
    people_not_working,
    wait_words,
    waited_words,
)
from closeloop.followups.messages import business_wait
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.selectors import (
    ask_overdue_words,
    ask_title_for,
    ask_url,
    covering_words,
    held_subjects,
)
from closeloop.followups.subjects import subject_key
from closeloop.intake.selectors import DRIFT_RULES_NOW_ONLY, drift_flags
from closeloop.interviews.kinds import DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF
from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.jobs.hooks import EndingEffect
from closeloop.jobs.models import Job, JobStatus, StageKind
from closeloop.jobs.selectors import job_is_on_team, team_q, user_sees_everything
from closeloop.lib.folding import name_key
from closeloop.lib.pages import Shown, first_shown
from closeloop.lib.text import listed
from closeloop.lib.timefmt import zoned_unless_viewers
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    Question,
    Submission,
    SubmissionDecision,
)
from closeloop.pipeline.selectors import (
    applications_move_covered_by,
    candidate_wait_words,
    question_asker,
    submission_state,
)
from closeloop.touchbases.models import (
    AUTOMATIC_SKIPS,
    ActionItem,
    ActionItemStatus,
    Touchbase,
    TouchbaseSeries,
    TouchbaseStatus,
)
from closeloop.touchbases.sections import (
    AGENDA_SOURCES,
    AgendaSource,
    agenda_item,
    agenda_sections_hidden,
)
from closeloop.touchbases.slots import WEEKDAY_NAMES, slot_after, slot_before, zone_or_utc

logger = logging.getLogger(__name__)

# The hold reminder: a meeting counts as "this week's" until a day after it ended.
CURRENT_GRACE = dt.timedelta(days=1)
UPCOMING_INTERVIEW_DAYS = 7
# A section lists its first rows, the most urgent (its own order), and counts the rest: a
# 2,000-candidate search has a hundred decisions waiting, more than a meeting reads.
AGENDA_SECTION_ROWS = 15
# Asks whose candidate waits on us for news (the agenda's "Candidates waiting on us").
CANDIDATE_NEWS_KINDS = ("update_candidate", "inform_candidate")


# --- permissions ---------------------------------------------------------------------------


def _hm_covered_job_ids(user: User, now: dt.datetime | None = None) -> QuerySet[Any, Any]:
    """The jobs whose hiring manager the user covers for, as the agenda names them: their
    delegate while they are out of office, or whoever holds asks on the job handed over from
    them (a delegate, a successor after they left). A set, for `pk__in`."""
    now = now or timezone.now()
    away = (
        Job.objects.filter(
            hiring_manager__delegate=user,
            hiring_manager__out_of_office_from__lte=now,
            hiring_manager__out_of_office_until__gt=now,
        )
        .order_by()
        .values("pk")
    )
    held = (
        Ask.objects.filter(
            owner=user,
            status=AskStatus.OPEN,
            job__isnull=False,
            original_owner=F("job__hiring_manager"),
        )
        .order_by()
        .values("job_id")
    )
    return away.union(held)


def touchbase_covers_hm(*, user: User, job: Job) -> bool:
    """The user covers for the job's hiring manager (`_hm_covered_job_ids`), on this job."""
    if job.hiring_manager_id is None or user.pk == job.hiring_manager_id:
        return False
    manager = job.hiring_manager
    if manager.delegate_id == user.pk and manager.is_out_of_office():
        return True
    return Ask.objects.filter(
        owner=user, status=AskStatus.OPEN, job=job, original_owner_id=job.hiring_manager_id
    ).exists()


def touchbase_hm_covers(*, job: Job, now: dt.datetime | None = None) -> list[User]:
    """Who covers for the job's hiring manager now (`touchbase_covers_hm` of each): their
    delegate while they are out of office, and whoever holds their open asks on the job."""
    if job.hiring_manager_id is None:
        return []
    now = now or timezone.now()
    manager = job.hiring_manager
    people: dict[int, User] = {}
    delegate = manager.delegate
    if delegate is not None and manager.is_out_of_office(now):
        people[delegate.pk] = delegate
    holders = (
        Ask.objects.filter(status=AskStatus.OPEN, job=job, original_owner_id=manager.pk)
        .exclude(owner_id__in=[manager.pk, *people])
        .order_by()
        .values("owner_id")
    )
    for person in User.objects.filter(pk__in=holders).order_by("full_name", "pk"):
        people.setdefault(person.pk, person)
    return [person for person in people.values() if person.is_active and person.pk != manager.pk]


def touchbase_cover_words(*, covers: list[User], reader: User | None) -> str:
    """Who covers for the hiring manager, said after the two sides' names: " (Sofia
    Lindqvist covering)", " (you are covering)" to Sofia; "" when nobody does."""
    if not covers:
        return ""
    if len(covers) == 1 and reader is not None and covers[0].pk == reader.pk:
        return " (you are covering)"
    return f" ({listed(person_for(person, reader=reader) for person in covers)} covering)"


def touchbase_can_view(*, user: User, job: Job) -> bool:
    """The hiring team and admins read a job's touch-bases, and whoever covers for its
    hiring manager."""
    return job_is_on_team(user=user, job=job) or touchbase_covers_hm(user=user, job=job)


def touchbase_can_edit(*, user: User, job: Job) -> bool:
    """The two sides of the meeting (and the coordinator, and admins) run it; whoever covers
    for the hiring manager takes their part."""
    if user_sees_everything(user):
        return True
    if user.pk in {job.recruiter_id, job.hiring_manager_id, job.coordinator_id}:
        return True
    return user.is_active and touchbase_covers_hm(user=user, job=job)


# A meeting may be marked held from this long before it starts: a span, not "on the day",
# since the two sides may live in zones whose days begin hours apart.
HOLD_OPENS_BEFORE = dt.timedelta(hours=12)
# The rule in words, said the same on the page, in the refusal and in the README.
HOLD_OPENS_WORDS = f"from {HOLD_OPENS_BEFORE // dt.timedelta(hours=1)} hours before it starts"


def touchbase_hold_opens_at(touchbase: Touchbase) -> dt.datetime:
    return touchbase.scheduled_at - HOLD_OPENS_BEFORE


def touchbase_hold_refusal(*, touchbase: Touchbase, now: dt.datetime) -> str:
    """Why the meeting cannot be marked held now ("" when it can): the one rule the service
    enforces and the page reads to offer the button."""
    if touchbase.status != TouchbaseStatus.PLANNED:
        return f"This touch-base is already {touchbase.get_status_display().lower()}."
    if now < touchbase_hold_opens_at(touchbase):
        return f"This touch-base has not happened yet: it can be marked held {HOLD_OPENS_WORDS}."
    return ""


def touchbase_can_mark_held(
    *, user: User, touchbase: Touchbase, now: dt.datetime | None = None
) -> bool:
    """Whether to offer "Mark held": the user runs the meeting and the service would accept."""
    if not touchbase_can_edit(user=user, job=touchbase.job):
        return False
    return not touchbase_hold_refusal(touchbase=touchbase, now=now or timezone.now())


def action_item_add_refusal(*, job: Job) -> str:
    """Why no action item may be added to the job's touch-bases now ("" when one may): the
    rule the service enforces and the page reads to offer the form. A search that ended
    dropped its open items (`services.action_items_end_with_job`), so a new one would chase
    its owner about a search that is over."""
    if job.has_ended:
        return (
            f"{job.title} is {job.get_status_display().lower()}: its action items ended with "
            "the search, so no new one is added. Reopen the job to agree one."
        )
    return ""


def touchbase_visible_q(user: User) -> Q:
    if user_sees_everything(user):
        return Q()
    return team_q(user, prefix="job__") | Q(job_id__in=_hm_covered_job_ids(user))


def touchbase_get(*, user: User, pk: int) -> Touchbase:
    """One touch-base the user may see, or 404."""
    touchbase = (
        Touchbase.objects.filter(touchbase_visible_q(user), pk=pk)
        .select_related(
            "series__recruiter",
            "series__hiring_manager",
            "job__recruiter",
            "job__hiring_manager",
            "job__coordinator",
            "held_by",
            "moved_by",
            "notes_updated_by",
        )
        .first()
    )
    if touchbase is None:
        raise Http404("No such touch-base.")
    return touchbase


def series_for_job(*, job: Job) -> TouchbaseSeries | None:
    return TouchbaseSeries.objects.filter(job=job).first()


# The job statuses a touch-base series runs in: filled or closed, the meetings end with the
# search (and come back if the job is reopened).
LIVE_JOB_STATUSES = (JobStatus.DRAFT, JobStatus.OPEN, JobStatus.ON_HOLD)


def cadence_agreed(job: Job) -> bool:
    """Whether the job's agreement sets a usable touch-base cadence (a weekday and a time)."""
    return job.touchbase_weekday in range(7) and job.touchbase_time is not None


class SeriesState(StrEnum):
    """Where the job's touch-base series stands, as its panel says it (one rule for the
    panel and `services.series_set_up`)."""

    RUNNING = "running"  # the weekly meetings are on
    ENDED = "ended"  # the job is filled or closed: the series ended with the search
    AGREED = "agreed"  # a cadence is agreed, the series not set up (or not any more)
    NONE = "none"  # no cadence is agreed


def series_state(*, job: Job, series: TouchbaseSeries | None) -> SeriesState:
    if job.status not in LIVE_JOB_STATUSES:
        return SeriesState.ENDED
    if series is not None and series.active:
        return SeriesState.RUNNING
    return SeriesState.AGREED if cadence_agreed(job) else SeriesState.NONE


def touchbase_current(
    *, series: TouchbaseSeries, now: dt.datetime | None = None
) -> Touchbase | None:
    """This week's meeting: the one still open for notes (until a day after it ended), else
    the next planned one."""
    now = now or timezone.now()
    occurrences = Touchbase.objects.filter(series=series, status=TouchbaseStatus.PLANNED)
    recent = (
        occurrences.filter(ends_at__gt=now - CURRENT_GRACE, scheduled_at__lte=now)
        .order_by("-scheduled_at")
        .first()
    )
    if recent is not None:
        return recent
    return occurrences.filter(scheduled_at__gt=now).order_by("scheduled_at").first()


def _skipped_by_hand_q() -> Q:
    return Q(status=TouchbaseStatus.SKIPPED) & ~Q(skip_reason__in=AUTOMATIC_SKIPS)


def series_occurs_at(series: TouchbaseSeries, moment: dt.datetime) -> bool:
    """Whether a meeting of the series' current cadence starts at `moment` (from its first
    one on). A skip of a meeting the cadence moved away from matches none: it is dead."""
    if moment < series.first_at:
        return False
    zone = zone_or_utc(series.time_zone)
    slot = slot_after(
        weekday=series.weekday, at=series.start_time, zone=zone, after=moment, strict=False
    )
    return slot == moment


def series_clashing(job: Job, start: dt.datetime, end: dt.datetime) -> list[str]:
    """The intake's cadence check (`intake.hooks.CADENCE_CHECKS`): the other touch-bases the
    job's recruiter and HM already have together (either way round, still meeting) whose
    weekly meeting overlaps [start, end), each as a sentence: "Clashes with the Site
    Reliability Engineer touch-base (Tuesdays 11:30–12:00, Europe/Berlin) that Rita Ramos
    and Hank Hill already have." The job's own series is the one the cadence replaces."""
    recruiter, manager = job.recruiter, job.hiring_manager
    if recruiter is None or manager is None:
        return []
    pair = Q(recruiter=recruiter, hiring_manager=manager) | Q(
        recruiter=manager, hiring_manager=recruiter
    )
    said = []
    others = TouchbaseSeries.objects.filter(pair, active=True).exclude(job=job)
    for series in others.select_related("job").order_by("job__title", "pk"):
        zone = zone_or_utc(series.time_zone)
        # Its first meeting ending after `start` begins: overlapping when before `end`.
        meets = slot_after(
            weekday=series.weekday, at=series.start_time, zone=zone, after=start - series.length
        )
        if meets >= end:
            continue
        until = (meets + series.length).astimezone(zone)
        said.append(
            f"Clashes with the {series.job.title} touch-base ({WEEKDAY_NAMES[series.weekday]}s "
            f"{series.start_time:%H:%M}–{until:%H:%M}, {series.time_zone}) that "
            f"{recruiter.full_name} and {manager.full_name} already have."
        )
    return said


def _dead_skips(series: TouchbaseSeries, now: dt.datetime) -> list[int]:
    """The meetings still to come someone skipped that the cadence moved away from: they
    will not take place whatever the skip said, so no list shows them (the few rows of one
    series, checked here: a slot is a local weekday and time, not a column)."""
    rows = Touchbase.objects.filter(_skipped_by_hand_q(), series=series, scheduled_at__gt=now)
    return [
        pk
        for pk, start, moved_from in rows.values_list("pk", "scheduled_at", "moved_from")
        if not series_occurs_at(series, moved_from or start)
    ]


def series_skipped_starts(*, series_ids: list[int]) -> dict[int, list[dt.datetime]]:
    """{series id: starts of the meetings someone skipped}, one query: the dates calendars
    drop from the recurring event (a skip the system made when the series ended or moved
    is not one: the series' own change takes care of those). A meeting moved on its own and
    then skipped is dropped at its slot, the occurrence calendars know."""
    starts: dict[int, list[dt.datetime]] = {}
    rows = Touchbase.objects.filter(_skipped_by_hand_q(), series_id__in=series_ids)
    for series_id, start, moved_from in rows.values_list("series_id", "scheduled_at", "moved_from"):
        starts.setdefault(series_id, []).append(moved_from or start)
    return starts


@dataclass(frozen=True)
class MovedMeeting:
    """A meeting moved on its own: its slot's start (the RECURRENCE-ID calendars know it by)
    and when it takes place instead."""

    slot_at: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime


def series_moved_meetings(*, series_ids: list[int]) -> dict[int, list[MovedMeeting]]:
    """{series id: its meetings moved on their own and not skipped}, one query: each is an
    override of the recurring event (a skipped one is an EXDATE of its slot instead)."""
    moved: dict[int, list[MovedMeeting]] = {}
    rows = Touchbase.objects.filter(series_id__in=series_ids, moved_from__isnull=False).exclude(
        status=TouchbaseStatus.SKIPPED
    )
    for series_id, slot, start, end in rows.values_list(
        "series_id", "moved_from", "scheduled_at", "ends_at"
    ).order_by("moved_from"):
        if slot is not None:  # the filter says so; this says so to the type checker
            moved.setdefault(series_id, []).append(MovedMeeting(slot, start, end))
    return moved


# --- moving one meeting ----------------------------------------------------------------------

# The code of the service's refusal that only asks for a confirmation (a time outside
# someone's working hours): the form then offers "Move it anyway".
MOVE_NEEDS_CONFIRMING = "move_outside_hours"


def touchbase_move_refusal(*, touchbase: Touchbase, now: dt.datetime) -> str:
    """Why the meeting cannot be moved at all ("" when it can): only a planned one still
    ahead, of a series still running, moves."""
    if touchbase.status != TouchbaseStatus.PLANNED:
        status = touchbase.get_status_display().lower()
        return f"This touch-base is {status}: it can no longer be moved."
    if not touchbase.series.active:
        return "The touch-base series has ended: there is no meeting to move."
    if touchbase.scheduled_at <= now:
        return "This touch-base has begun: mark it held or skipped instead."
    return ""


def touchbase_can_move(*, user: User, touchbase: Touchbase, now: dt.datetime) -> bool:
    """Whoever runs the meeting (those who may skip it) moves it, while it is still ahead."""
    return touchbase_can_edit(user=user, job=touchbase.job) and not touchbase_move_refusal(
        touchbase=touchbase, now=now
    )


@dataclass(frozen=True)
class _Neighbour:
    starts_at: dt.datetime
    ends_at: dt.datetime
    skipped: bool


def _neighbours(touchbase: Touchbase, starts_at: dt.datetime) -> tuple[list[_Neighbour], bool]:
    """The series' other meetings near the meeting and the time it would move to (as they
    stand: moved ones at their new time; the slot after it, and the one before, even when
    not made yet), and whether a dead row (the system's skip) already sits at `starts_at`."""
    series = touchbase.series
    zone = zone_or_utc(series.time_zone)
    slot = touchbase.slot_at
    near = dt.timedelta(days=15)
    rows = Touchbase.objects.filter(
        series=series,
        scheduled_at__gt=min(slot, starts_at) - near,
        scheduled_at__lt=max(slot, starts_at) + near,
    ).exclude(pk=touchbase.pk)
    found: list[_Neighbour] = []
    slots: set[dt.datetime] = set()
    dead = False
    for row in rows:
        if row.status == TouchbaseStatus.SKIPPED and row.skip_reason in AUTOMATIC_SKIPS:
            dead = dead or row.scheduled_at == starts_at
            continue
        slots.add(row.slot_at)
        found.append(
            _Neighbour(row.scheduled_at, row.ends_at, row.status == TouchbaseStatus.SKIPPED)
        )
    weekday, at = series.weekday, series.start_time
    following = slot_after(weekday=weekday, at=at, zone=zone, after=slot)
    preceding = slot_before(weekday=weekday, at=at, zone=zone, before=slot)
    for other in (following, preceding):
        if other not in slots and other >= series.first_at:
            found.append(_Neighbour(other, other + series.length, False))
    return found, dead


# As far ahead as a meeting may move (the series keeps its order, so a real move is within
# a week or two; this bounds a typed year such as 9999 before any date arithmetic on it).
MOVE_FURTHEST = dt.timedelta(days=366)


def touchbase_move_problem(
    *, touchbase: Touchbase, starts_at: dt.datetime, now: dt.datetime
) -> str:
    """Why the meeting cannot move to `starts_at` ("" when it can): the time is past or is
    the meeting's already, it overlaps another meeting of the series, or it passes the
    meeting before or after it (the series keeps its order: skip this one instead). Times
    are said in the meeting's zone, named when it is not the reader's."""
    if refusal := touchbase_move_refusal(touchbase=touchbase, now=now):
        return refusal
    if starts_at <= now:
        return "That time has passed: choose one still ahead."
    if starts_at == touchbase.scheduled_at:
        return "The touch-base is at that time already."
    if starts_at > now + MOVE_FURTHEST:
        return "Choose a time within a year; a later one is no move of this meeting."
    zone = touchbase.series.time_zone
    ends_at = starts_at + (touchbase.ends_at - touchbase.scheduled_at)
    others, dead = _neighbours(touchbase, starts_at)
    for other in sorted(others, key=lambda row: row.starts_at):
        if not other.skipped and other.starts_at < ends_at and starts_at < other.ends_at:
            when = zoned_unless_viewers(other.starts_at, zone)
            return f"That collides with the touch-base of {when}: choose another time."
    if dead:
        when = zoned_unless_viewers(starts_at, zone)
        return f"That collides with the touch-base of {when}: choose another time."
    later = [row.starts_at for row in others if row.starts_at > touchbase.scheduled_at]
    if later and starts_at >= min(later):
        when = zoned_unless_viewers(min(later), zone)
        return (
            f"That is after the next touch-base, {when}: choose a time before it, or skip this one."
        )
    earlier = [row.starts_at for row in others if row.starts_at < touchbase.scheduled_at]
    if earlier and starts_at <= max(earlier):
        when = zoned_unless_viewers(max(earlier), zone)
        return f"That is before the previous touch-base, {when}: choose a time after it."
    return ""


def touchbase_move_warning(*, touchbase: Touchbase, starts_at: dt.datetime) -> str:
    """The warning of a move outside the working hours of the recruiter or the hiring manager
    (that day's: a weekend, a night, a public holiday), worded as the intake's cadence step
    words it: "Outside the working hours of Hank Hill (Fri 19:00, UTC)." ("" when it suits
    both). Said, not refused: one side may choose to meet outside their hours."""
    series = touchbase.series
    ends_at = starts_at + (touchbase.ends_at - touchbase.scheduled_at)
    people = [series.recruiter, series.hiring_manager]
    words = not_working_words(people_not_working(people, starts_at, ends_at))
    return f"{words} Move it anyway if it suits them." if words else ""


def touchbase_history(
    *, series: TouchbaseSeries, exclude: Touchbase | None = None, limit: int = 6
) -> list[Touchbase]:
    """Past meetings, newest first (held, skipped, or never marked), and the ones still to
    come that someone skipped or marked held early: they are history already. With
    `exclude` (the meeting whose page lists them), the next meeting planned after it too,
    first: a meeting held early has made it, and its page links it."""
    now = timezone.now()
    shown = Q(scheduled_at__lte=now) | Q(status=TouchbaseStatus.HELD)
    shown |= _skipped_by_hand_q() & ~Q(pk__in=_dead_skips(series, now))
    if exclude is not None:
        following = Touchbase.objects.filter(
            series=series, status=TouchbaseStatus.PLANNED, scheduled_at__gt=exclude.scheduled_at
        ).order_by("scheduled_at")
        shown |= Q(pk__in=following.values("pk")[:1])
    rows = Touchbase.objects.filter(shown, series=series)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows.select_related("held_by").order_by("-scheduled_at")[:limit])


def touchbase_previous_held(*, touchbase: Touchbase) -> Touchbase | None:
    return (
        Touchbase.objects.filter(
            series_id=touchbase.series_id,
            status=TouchbaseStatus.HELD,
            scheduled_at__lt=touchbase.scheduled_at,
        )
        .order_by("-scheduled_at")
        .first()
    )


def series_list_for_person(*, person: User) -> list[TouchbaseSeries]:
    """The active series a person sits in, soonest next meeting first (their profile panel)."""
    return list(
        TouchbaseSeries.objects.filter(Q(recruiter=person) | Q(hiring_manager=person), active=True)
        .select_related("job", "recruiter", "hiring_manager")
        .order_by("next_due_at", "pk")
    )


# --- action items --------------------------------------------------------------------------


def action_items_of(*, touchbase: Touchbase) -> list[ActionItem]:
    """The items agreed in this meeting, each with `holder`: who holds it for its owner while
    they are away or gone, or None (`action_item_holders`, one query for all)."""
    items = list(
        touchbase.action_items.select_related("owner", "done_by").order_by("created_at", "pk")
    )
    holders = action_item_holders(items=items)
    for item in items:
        item.holder = holders.get(item.pk)  # type: ignore[attr-defined]  # for the template
    return items


def action_items_carried(*, touchbase: Touchbase) -> list[ActionItem]:
    """Unfinished items from the job's earlier meetings: they stay on the agenda until done."""
    return list(
        ActionItem.objects.filter(
            job_id=touchbase.job_id,
            status=ActionItemStatus.OPEN,
            touchbase__scheduled_at__lt=touchbase.scheduled_at,
        )
        .select_related("owner", "touchbase")
        .order_by("due_at", "pk")
    )


def action_item_due_day(*, item: ActionItem) -> tuple[dt.date, dt.date | None]:
    """The day the item is due, as its owner's calendar has it (the end of their working day
    then), and the date agreed when that was a day they do not work (a weekend, a public
    holiday), else None: "due Monday 14 December; agreed for Saturday 12 December"."""
    day = item.due_at.astimezone(item.owner.zone).date()
    return day, (item.due_on if day != item.due_on else None)


def action_item_holder(*, item: ActionItem) -> User | None:
    """Who holds the open item for its owner while they are away or gone (their delegate, a
    successor), or None when the owner holds it: every page names whoever covers."""
    return action_item_holders(items=[item]).get(item.pk)


def action_item_holders(*, items: list[ActionItem]) -> dict[int, User]:
    """`action_item_holder` for a list, in one query: {item id: who holds it for its owner},
    for the items someone else holds."""
    by_subject = {item.subject: item for item in items}
    if not by_subject:
        return {}
    asks = (
        Ask.objects.filter(kind="action_item", subject__in=by_subject, status=AskStatus.OPEN)
        .select_related("owner")
        .order_by("opened_at", "pk")
    )
    holders: dict[int, User] = {}
    for ask in asks:
        item = by_subject[ask.subject]
        if ask.owner_id != item.owner_id:
            holders.setdefault(item.pk, ask.owner)
    return holders


def action_item_get(*, user: User, pk: int) -> ActionItem:
    """An action item its owner, the job's team, or whoever holds its ask for an owner who
    is away or has left may see, or 404."""
    # An empty Q() OR-ed with another is dropped, not "everything": admins get no filter.
    holds = held_subjects(user=user, kind="action_item", subjects=[subject_key("action", pk)])
    everything = user_sees_everything(user) or bool(holds)
    visible = Q() if everything else Q(owner=user) | touchbase_visible_q(user)
    item = (
        ActionItem.objects.filter(visible, pk=pk)
        .select_related("owner", "job", "touchbase__series", "created_by", "done_by")
        .first()
    )
    if item is None:
        raise Http404("No such action item.")
    return item


def action_item_can_finish(*, user: User, item: ActionItem) -> bool:
    """Its owner marks it done; so may whoever runs the meeting (a report in the meeting),
    and whoever holds its ask for an owner who is away or has left."""
    return (
        user.pk == item.owner_id
        or touchbase_can_edit(user=user, job=item.job)
        or bool(held_subjects(user=user, kind="action_item", subjects=[item.subject]))
    )


def action_item_can_edit(*, user: User, item: ActionItem) -> bool:
    """Who may change an item's what, who and when: its owner, whoever holds its ask for an
    owner who is away, and the job's recruiter and hiring manager (the two who agreed it)."""
    job = item.job
    return user.pk in {item.owner_id, job.recruiter_id, job.hiring_manager_id} or bool(
        held_subjects(user=user, kind="action_item", subjects=[item.subject])
    )


def action_items_finishable(
    *, user: User, touchbase: Touchbase, items: list[ActionItem]
) -> set[int]:
    """The open items on a meeting page the user may mark done (`action_item_can_finish`
    for each, with one check of who runs the meeting and one of the asks they hold)."""
    runs = touchbase_can_edit(user=user, job=touchbase.job)
    open_items = [item for item in items if item.is_open]
    held = held_subjects(
        user=user, kind="action_item", subjects=[item.subject for item in open_items]
    )
    return {
        item.pk for item in open_items if runs or item.owner_id == user.pk or item.subject in held
    }


def action_item_owner_choices(*, job: Job) -> list[User]:
    """Anyone on the job's team may own an item: recruiter, HM, coordinator, interviewers,
    and whoever covers for the HM (`touchbase_hm_covers`). An item for the HM while they
    are covered is still the HM's, held by the cover (the follow-up engine routes its ask)."""
    people = {job.recruiter_id: job.recruiter, job.hiring_manager_id: job.hiring_manager}
    for cover in touchbase_hm_covers(job=job):
        people.setdefault(cover.pk, cover)
    if job.coordinator is not None:
        people[job.coordinator.pk] = job.coordinator
    for person in job.interviewers.filter(is_active=True):
        people.setdefault(person.pk, person)
    return [person for person in people.values() if person.is_active]


# The open items the job form names before a close (the rest are counted).
ENDING_ITEMS_NAMED = 3


def action_items_ending(job: Job, reader: User | None = None) -> EndingEffect | None:
    """What ending the job does to its open action items, said to `reader` (their own are
    "your “…”"), for the job form to confirm first (the registered `job_ending_effect`;
    `services.action_items_end_with_job` does it): each is dropped with the search."""
    rows = ActionItem.objects.filter(job=job, status=ActionItemStatus.OPEN)
    items = list(rows.select_related("owner").order_by("due_at", "pk")[: ENDING_ITEMS_NAMED + 1])
    if not items:
        return None
    total = len(items) if len(items) <= ENDING_ITEMS_NAMED else rows.count()
    named = [f"{possessive_for(item.owner, reader=reader)} “{item.description}”" for item in items]
    if total > ENDING_ITEMS_NAMED:
        named = [*named[:ENDING_ITEMS_NAMED], f"{total - ENDING_ITEMS_NAMED} more"]
    noun = f"open touch-base action item{pluralize(total)}"
    return EndingEffect(
        ahead=f"{total} {noun} ({listed(named)}) will be dropped with the search, and "
        "the reminders about them stop.",
        done=f"{total} {noun} {'was' if total == 1 else 'were'} dropped with the search.",
        what=f"drop its {noun}",
    )


# --- the agenda ----------------------------------------------------------------------------


def _first_rows(rows: QuerySet[Any], build: Callable[[Any], dict[str, Any]]) -> Shown[Any]:
    """The first AGENDA_SECTION_ROWS rows built as items, and the true count (a second query
    only when there are more)."""
    shown = first_shown(rows, AGENDA_SECTION_ROWS)
    return Shown([build(row) for row in shown.rows], shown.total)


def _section(
    key: str,
    title: str,
    rows: Shown[Any] | list[dict[str, Any]],
    empty: str,
    more_url: str = "",
    lead: str = "",
) -> dict[str, Any]:
    """One section of the agenda: its first rows, their count in all (`total`) and, when
    there are more, the page that lists them all (`more_url`, when one does)."""
    if not isinstance(rows, Shown):
        rows = Shown(rows, len(rows))
    items = rows.rows[:AGENDA_SECTION_ROWS]
    more = rows.total > len(items)
    return {
        "key": key, "title": title, "items": items, "empty": empty,
        "total": rows.total, "more_url": more_url if more else "", "lead": lead,
    }  # fmt: skip


def _waited(person: User, since: dt.datetime, now: dt.datetime, lead: str = "") -> str:
    """How long since `since` in the person's business time: "3 business days" (`lead`
    before it), or "since Sun 06 Dec 03:57" before a business hour has passed."""
    return waited_words(calendar_for(person), since, now, lead=lead)


def ask_waited(*, ask: Ask, now: dt.datetime | None = None, zone: dt.tzinfo | None = None) -> str:
    """How long someone has waited on an ask, in words; "" when nobody waits on it.

    The one clock of the agenda and the weekly update. A candidate owed news or the outcome
    has waited since they last heard from us (the application's clock, `candidate_wait_words`,
    in the form the digest says it: "11 days (7 business days) since …"); a candidate owed a
    review or a decision, since the ask's wait began (`business_wait`), in its owner's
    business time. An ask about no candidate (an action item, a signature) keeps
    nobody waiting: it has only a due time. A "since …" reads in `zone` (an email's
    reader's), else the active one (a page's reader's).
    """
    now = now or timezone.now()
    application = ask.application if ask.application_id else None  # no query when there is none
    if application is None:
        return ""
    if ask.kind in CANDIDATE_NEWS_KINDS:
        return candidate_wait_words(application=application, now=now, zone=zone)
    return business_wait(ask, now, zone)


def asks_waited_load(asks: list[Ask]) -> None:
    """Read at once what `ask_waited` reads of a list of asks: a news ask's clock runs in its
    job's recruiter's calendar (two queries for the list; each such ask read its application's
    job and recruiter before, two queries a row of the weekly update)."""
    news = [ask for ask in asks if ask.application_id and ask.kind in CANDIDATE_NEWS_KINDS]
    if news:
        prefetch_related_objects(news, "application__job__recruiter")


def _app_url(application_id: int) -> str:
    return reverse("pipeline:application-detail", args=[application_id])


def agenda_since(*, touchbase: Touchbase) -> dt.datetime:
    """New submissions count from the last held meeting (else a week before this one): from
    when it was marked held, or its end when it was marked held later (a meeting of Tuesday
    marked held on Saturday covered what came in until Tuesday, not until Saturday)."""
    previous = touchbase_previous_held(touchbase=touchbase)
    if previous is not None:
        return min(previous.held_at or previous.scheduled_at, previous.ends_at)
    return touchbase.scheduled_at - dt.timedelta(days=7)


def _new_submissions(job: Job, since: dt.datetime, now: dt.datetime) -> Shown[Any]:
    rows = (
        Submission.objects.filter(
            application__job=job, submitted_at__gt=since, submitted_at__lte=now
        )
        .select_related(
            "application__candidate",
            "application__job__recruiter",
            "application__job__hiring_manager",
            "submitted_by",
        )
        .prefetch_related("questions")
        .order_by("submitted_at", "pk")
    )
    shown = first_shown(rows, AGENDA_SECTION_ROWS)
    # Whoever covers the HM's move while they are away (one query for the rows shown).
    covered = applications_move_covered_by(applications=[row.application for row in shown.rows])
    items = [_new_submission(row, covered.get(row.application_id)) for row in shown.rows]
    return Shown(items, shown.total)


def _new_submission(row: Submission, delegate: User | None) -> dict[str, Any]:
    """Where it stands as its badge says it: with a question open, it waits on the answer;
    while the HM is away, on the `delegate` covering their move ("Waiting for you" to her),
    as the application page says. Whoever submitted it, the recruiter whose answer it may
    wait for and the delegate read "you"."""

    def detail(reader: User | None = None) -> str:
        by = person_for(row.submitted_by, reader=reader) or "someone"
        state = submission_state(submission=row, reader=reader, covered_by=delegate)
        return f"submitted by {by} · {state}"

    job = row.application.job
    # The delegate and the HM they cover for read the cover as theirs ("covering for you").
    covering = [delegate, job.hiring_manager] if delegate else []
    named = [row.submitted_by, job.recruiter, *covering]
    return agenda_item(
        row.application.candidate.full_name,
        detail=detail(),
        url=_app_url(row.application_id),
        at=row.submitted_at,
        at_label="submitted",
        to_reader={person.pk: {"detail": detail(person)} for person in named if person},
    )


def _decisions_waiting(job: Job, now: dt.datetime) -> Shown[Any]:
    rows = (
        Submission.objects.filter(
            application__job=job,
            decision=SubmissionDecision.PENDING,
            application__status=ApplicationStatus.ACTIVE,
            submitted_at__lte=now,
        )
        .select_related("application__candidate")
        .prefetch_related(Prefetch("questions", queryset=_open_questions, to_attr="open_questions"))
        .order_by("submitted_at", "pk")
    )
    shown = first_shown(rows, AGENDA_SECTION_ROWS)
    covered = applications_move_covered_by(applications=[row.application for row in shown.rows])
    items = [
        _decision_waiting(job, row, now, covered.get(row.application_id)) for row in shown.rows
    ]
    return Shown(items, shown.total)


_open_questions = (
    Question.objects.filter(answered_at__isnull=True)
    .select_related("asked_by")
    .order_by("asked_at", "pk")
)


def _decision_waiting(
    job: Job, row: Submission, now: dt.datetime, delegate: User | None
) -> dict[str, Any]:
    """Waiting for the HM, or for the recruiter's answer while a question is open: the
    question named as its asker's (the HM's delegate asks while the HM is away), as the
    application page and the queue name it. While the one it waits for is away, it waits
    for the `delegate` covering their move (My queue's rule)."""
    questions: list[Question] = row.open_questions  # type: ignore[attr-defined]  # prefetched
    question = questions[0] if questions else None
    who, hm = (job.recruiter if question else job.hiring_manager), job.hiring_manager
    candidate = row.application.candidate.full_name
    waits_for, covering = who.short_name, None
    if delegate is not None and row.application.next_move_owner_id == who.pk:
        covering = delegate
        waits_for = f"{delegate.short_name}, {covering_words(who)}"
    waited = f"waiting {wait_words(calendar_for(hm), row.submitted_at, now)}"  # as the queue
    detail = asked = ""
    if question is not None:
        asked = f"question unanswered {_waited(who, question.asked_at, now, lead='for ')}"
        detail = f"; {question_asker(question)}'s {asked}"
    # Each one the line names reads it as "you" (the page picks their words): the one it
    # waits for (the delegate covering them, and the absent one as "covering for you"), and
    # whoever asked the question.
    to_reader: dict[int, dict[str, str]] = {}
    if covering is None:
        to_reader[who.pk] = {"text": f"{candidate}: waiting for you"}
    else:
        to_reader[covering.pk] = {"text": f"{candidate}: waiting for you, {covering_words(who)}"}
        to_reader[who.pk] = {
            "text": f"{candidate}: waiting for {covering.short_name}, {covering_words(who, who)}"
        }
    if asked and question is not None and question.asked_by_id:
        to_reader.setdefault(question.asked_by_id, {})["detail"] = f"{waited}; your {asked}"
    return agenda_item(
        f"{candidate}: waiting for {waits_for}",
        detail=waited + detail,
        url=_app_url(row.application_id),
        at=row.submitted_at,
        at_label="submitted",
        flag="warn",
        to_reader=to_reader,
    )


# The interviews app's kinds of ask for a debrief's decision: the first, and one on hold.
DEBRIEF_DECISION_KINDS = (DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF)


def _debriefs_to_decide(job: Job, now: dt.datetime) -> Shown[Any]:
    """Open asks to decide after a debrief (or again, on one on hold), plus candidates
    parked in a Debrief stage without one (read through asks so this does not depend on the
    interviews app's models)."""
    asks = Ask.objects.filter(
        job=job, kind__in=DEBRIEF_DECISION_KINDS, status=AskStatus.OPEN, opened_at__lte=now
    )
    owed = _first_rows(
        asks.select_related("owner", "original_owner", "application__candidate").order_by(
            "due_at", "pk"
        ),
        lambda ask: _debrief_owed(ask, now),
    )
    parked = (
        Application.objects.filter(
            job=job,
            status=ApplicationStatus.ACTIVE,
            stage__kind=StageKind.DEBRIEF,
            entered_stage_at__lte=now,
        )
        .exclude(pk__in=asks.filter(application__isnull=False).values("application_id"))
        .select_related("candidate")
        .order_by("entered_stage_at", "pk")
    )
    left = _first_rows(parked, lambda application: _debrief_parked(job, application, now))
    return Shown(owed.rows + left.rows, owed.total + left.total)


def _debrief_owed(ask: Ask, now: dt.datetime) -> dict[str, Any]:
    late = now >= ask.due_at
    waited = ask_waited(ask=ask, now=now)
    tail = (f", waiting {waited}" if waited else "") + (" · overdue" if late else "")
    absent = ask.original_owner
    cover = f", {covering_words(absent)}" if absent else ""
    # The one who owes the decision reads it as theirs, and so does the one they cover for.
    to_reader = {ask.owner_id: {"detail": f"decision owed by you{cover}{tail}"}}
    if absent is not None:
        to_reader[absent.pk] = {
            "detail": f"decision owed by {ask.owner.short_name}, "
            f"{covering_words(absent, absent)}{tail}"
        }
    return agenda_item(
        ask.application.candidate.full_name if ask.application else ask.title,
        detail=f"decision owed by {ask.owner.short_name}{cover}{tail}",
        url=ask_url(ask),
        at=ask.due_at,
        at_label="due",
        flag="bad" if late else "warn",
        to_reader=to_reader,
    )


def _debrief_parked(job: Job, application: Application, now: dt.datetime) -> dict[str, Any]:
    return agenda_item(
        application.candidate.full_name,
        detail="in Debrief "
        + _waited(job.hiring_manager, application.entered_stage_at, now, lead="for "),
        url=_app_url(application.pk),
        at=application.entered_stage_at,
        at_label="since",
        flag="warn",
    )


# How many of a person's overdue asks their line names; the rest are counted.
OVERDUE_NAMED = 5
OVERDUE_LEAD = (
    "Every overdue ask on this job by whoever owes it, counted and listed the same way for "
    "each side, whichever other section also shows it (a review under Decisions waiting, "
    "news under Candidates waiting on us): as the job page counts them."
)


def _overdue_asks(job: Job, now: dt.datetime) -> QuerySet[Ask]:
    # An ask on hold is not overdue: its clock stopped while its owner waits on another.
    return Ask.objects.filter(job=job, status=AskStatus.OPEN, due_at__lte=now, held_at__isnull=True)


def _overdue_by_person(job: Job, now: dt.datetime) -> list[dict[str, Any]]:
    """A line per person who owes overdue asks on the job: how many, and the first
    OVERDUE_NAMED soonest due, each with how late it is (the rest "due later", never under
    one date). A few queries whatever the number of asks: the counts, the first asks of each
    person (a window per owner), and whom those asks are held for."""
    overdue = _overdue_asks(job, now)
    counts = dict(
        overdue.order_by().values_list("owner").annotate(n=Count("pk")).values_list("owner", "n")
    )
    if not counts:
        return []
    first = (
        overdue.annotate(
            place=Window(RowNumber(), partition_by=F("owner"), order_by=(F("due_at"), F("pk")))
        )
        .filter(place__lte=OVERDUE_NAMED)
        .select_related("owner", "requested_by", "application__candidate")
        .order_by("due_at", "pk")
    )
    named: dict[int, list[Ask]] = {}
    for ask in first:
        named.setdefault(ask.owner_id, []).append(ask)
    pairs = list(
        overdue.filter(original_owner__isnull=False)
        .order_by("owner", "original_owner")
        .values_list("owner", "original_owner")
        .distinct()
    )
    absent = User.objects.in_bulk({held for _, held in pairs}) if pairs else {}
    held_for: dict[int, list[User]] = {}
    for owner_id, held in pairs:
        held_for.setdefault(owner_id, []).append(absent[held])
    rows = sorted(
        named.values(), key=lambda owned: (name_key(owned[0].owner.full_name), owned[0].owner_id)
    )
    items = []
    for owned in rows:
        owner, total = owned[0].owner, counts[owned[0].owner_id]
        away = held_for.get(owner.pk, [])
        more = f"; and {total - len(owned)} more, due later" if total > len(owned) else ""

        def detail(reader: User | None, owned: list[Ask] = owned, more: str = more) -> str:
            return (
                "; ".join(
                    f"{ask_title_for(ask, reader=reader)} ({ask_overdue_words(ask, now)})"
                    for ask in owned
                )
                + more
            )

        def covering(reader: User | None, away: list[User] = away) -> str:
            return f", {listed(covering_words(p, reader) for p in away)}" if away else ""

        count = f": {total} overdue"
        # The owner reads their own line as "You: 3 overdue", listed first ("lead"); whoever
        # they cover for reads "…, covering for you"; whoever asked for one reads it as theirs.
        readers = {p.pk: p for p in (*away, *(a.requested_by for a in owned if a.requested_by))}
        to_reader: dict[int, dict[str, str]] = {
            pk: {"text": f"{owner.full_name}{covering(person)}{count}", "detail": detail(person)}
            for pk, person in readers.items()
        }
        to_reader[owner.pk] = {
            "text": f"You{covering(owner)}{count}",
            "detail": detail(owner),
            "lead": "1",
        }
        items.append(
            agenda_item(
                f"{owner.full_name}{covering(None)}{count}",
                detail=detail(None),
                url=ask_url(owned[0]),
                flag="bad",
                to_reader=to_reader,
            )
        )
    return items


def _upcoming_interviews(job: Job, now: dt.datetime) -> Shown[Any]:
    rows = (
        Interview.objects.filter(
            application__job=job,
            status=InterviewStatus.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=UPCOMING_INTERVIEW_DAYS),
        )
        .select_related("application__candidate")
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
    return _first_rows(rows, _upcoming_interview)


def _upcoming_interview(row: Interview) -> dict[str, Any]:
    """Who is on its panel ("with you, Jonas Interviewer" to Ivy)."""
    panel = list(row.interviewers.all())

    def detail(reader: User | None = None) -> str:
        names = ", ".join(person_for(person, reader=reader) for person in panel)
        return "with " + (names or "no interviewer yet")

    return agenda_item(
        f"{row.application.candidate.full_name}: {row.round_name}",
        detail=detail(),
        url=_app_url(row.application_id),
        at=row.starts_at,
        to_reader={person.pk: {"detail": detail(person)} for person in panel},
    )


def _drift(job: Job, as_of: dt.datetime | None) -> list[dict[str, Any]]:
    return [
        agenda_item(flag.title, detail=flag.detail, at=flag.since, at_label="since", flag="warn")
        for flag in drift_flags(job=job, as_of=as_of)
    ]


def _drift_lead(as_of: dt.datetime | None) -> str:
    """What the drift of a past moment leaves out, said in its section ("" for the drift of
    now, which has every rule)."""
    if as_of is None:
        return ""
    return (
        "As of the meeting's end: the hiring manager's decisions until then, against the "
        f"agreement then in force. {capfirst(listed(DRIFT_RULES_NOW_ONLY))} are read from the "
        "search as it is now, so this kept agenda leaves them out."
    )


def _candidates_waiting(job: Job, now: dt.datetime) -> Shown[Any]:
    asks = (
        Ask.objects.filter(
            job=job,
            kind__in=CANDIDATE_NEWS_KINDS,
            status=AskStatus.OPEN,
            due_at__lte=now,
            application__isnull=False,
        )
        .select_related("application__candidate", "application__job__recruiter")
        .order_by("due_at", "pk")
    )
    return _first_rows(
        asks,
        lambda ask: agenda_item(
            ask.application.candidate.full_name,
            detail=(
                "waiting for the outcome "
                if ask.kind == "inform_candidate"
                else "waiting for news "
            )
            + ask_waited(ask=ask, now=now),
            url=ask_url(ask),
            at=ask.due_at,
            at_label="due",
            flag="bad",
        ),
    )


def _dropped_items(touchbase: Touchbase, since: dt.datetime, now: dt.datetime) -> list[Any]:
    """Items of earlier meetings someone dropped by hand since the last held meeting (any
    time, when none was held yet): a commitment does not leave the agenda silently
    ("Dropped by Hank Manager: …"), and one held meeting's agenda has said it."""
    rows = ActionItem.objects.filter(
        job_id=touchbase.job_id,
        status=ActionItemStatus.CANCELLED,
        dropped_because="",
        done_at__lte=now,
        touchbase__scheduled_at__lt=touchbase.scheduled_at,
    )
    if touchbase_previous_held(touchbase=touchbase) is not None:
        rows = rows.filter(done_at__gte=since)
    return list(rows.select_related("done_by").order_by("done_at", "pk"))


def _dropped_words(item: ActionItem, reader: User | None) -> str:
    by = person_for(item.done_by, reader=reader) or "someone"
    return f"Dropped by {by}" + (f": {item.drop_reason}" if item.drop_reason else "")


def _carried_items(touchbase: Touchbase, since: dt.datetime, now: dt.datetime) -> list[Any]:
    carried = action_items_carried(touchbase=touchbase)
    holders = action_item_holders(items=carried)
    items = []
    for item in carried:
        late = item.is_overdue(now)
        holder = holders.get(item.pk)
        when = f" · due {item.due_on:%a %d %b}" + (" · overdue" if late else "")

        named = [item.owner, holder] if holder else [item.owner]
        items.append(
            agenda_item(
                item.description,
                detail=_whose(item, holder, None) + when,
                url=reverse("touchbases:action-item", args=[item.pk]),
                at=item.due_at,
                at_label="due",
                flag="bad" if late else "",
                to_reader={
                    person.pk: {"detail": _whose(item, holder, person) + when} for person in named
                },
            )
        )
    for item in _dropped_items(touchbase, since, now):
        items.append(
            agenda_item(
                item.description,
                detail=_dropped_words(item, None),
                url=reverse("touchbases:action-item", args=[item.pk]),
                flag="warn",
                to_reader={item.done_by.pk: {"detail": _dropped_words(item, item.done_by)}}
                if item.done_by
                else None,
            )
        )
    return items


def _whose(item: ActionItem, holder: User | None, reader: User | None) -> str:
    """Whose an action item is, for `reader`: its owner ("You" to them), or who holds it for
    them while they are away ("You, covering for Hank Manager (…)", "Olga Outsider, covering
    for you (…)")."""
    if holder is None:
        return capfirst(person_for(item.owner, reader=reader))
    return f"{capfirst(person_for(holder, reader=reader))}, {covering_words(item.owner, reader)}"


def _registered_section(
    source: AgendaSource, touchbase: Touchbase, since: dt.datetime, now: dt.datetime
) -> dict[str, Any]:
    """A section an app above adds; one that fails says so instead of taking the meeting
    page (and the held snapshot) down with it."""
    try:
        items = source.build(touchbase, since, now)
    except Exception:
        logger.exception("agenda section %s failed for touch-base %s", source.key, touchbase.pk)
        items = [agenda_item("This section could not be built just now.", flag="warn")]
    return _section(source.key, source.title, items, source.empty)


def agenda_build(
    *, touchbase: Touchbase, now: dt.datetime | None = None, past: bool = False
) -> dict[str, Any]:
    """The agenda generated from the pipeline right now, as plain JSON-ready data.

    The same structure is stored as the snapshot when the meeting is marked held, and both
    are rendered by one template. `past`: `now` is a moment gone by (the end of a meeting
    marked held later), so what only reads as it is today is left out, and said to be.
    """
    now = now or timezone.now()
    as_of = now if past else None
    job = touchbase.job
    since = agenda_since(touchbase=touchbase)
    sections = [
        _section("new_submissions", "New submissions since the last touch-base",
                 _new_submissions(job, since, min(now, touchbase.ends_at)),
                 "No new submissions."),
        _section("decisions", "Decisions waiting", _decisions_waiting(job, now),
                 "No submission waits for a decision."),
        _section("debriefs", "Debriefs to decide", _debriefs_to_decide(job, now),
                 "No debrief waits for a decision."),
        _section("overdue", "Overdue asks by person", _overdue_by_person(job, now),
                 "Nothing is overdue.", lead=OVERDUE_LEAD),
        _section("candidates_waiting", "Candidates waiting on us", _candidates_waiting(job, now),
                 "No candidate waits for news."),
        _section("interviews", f"Interviews in the next {UPCOMING_INTERVIEW_DAYS} days",
                 _upcoming_interviews(job, now), "No interviews booked.",
                 reverse("interviews:job-interviews", args=[job.pk])),
        _section("drift", "Drift from the agreement", _drift(job, as_of), "No drift flagged.",
                 lead=_drift_lead(as_of)),
        *(_registered_section(source, touchbase, since, now) for source in AGENDA_SOURCES),
        _section("carried", "Action items carried over", _carried_items(touchbase, since, now),
                 "Nothing carried over."),
    ]  # fmt: skip
    return {"generated_at": now.isoformat(), "since": since.isoformat(), "sections": sections}


def agenda_for_page(
    *, touchbase: Touchbase, viewer: User | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """What the meeting page shows: the snapshot once held, the live agenda before, without
    the sections the viewer may not read (`AgendaSource.can_see`)."""
    if touchbase.status == TouchbaseStatus.HELD and touchbase.agenda:
        agenda = {**touchbase.agenda, "snapshot": True}
    else:
        # Its lines' written times ("since Mon 30 Nov 10:45") on the meeting's clock, as a
        # kept one's are and as the page reads every other time.
        with timezone.override(zone_or_utc(touchbase.series.time_zone)):
            agenda = {**agenda_build(touchbase=touchbase, now=now), "snapshot": False}
    if viewer is not None:
        hidden = agenda_sections_hidden(user=viewer, job=touchbase.job)
        agenda["sections"] = [
            _section_for(s, viewer) for s in agenda["sections"] if s["key"] not in hidden
        ]
    return agenda


def _section_for(section: dict[str, Any], viewer: User) -> dict[str, Any]:
    """The section's lines as `viewer` reads them: a line naming them says "you" in the words
    it keeps for them (`agenda_item`'s `to_reader`; a snapshot from before has none), and the
    one their words say to "lead" is listed first."""
    key = str(viewer.pk)
    lines = [{**item, **item.get("you", {}).get(key, {})} for item in section["items"]]
    # A line the viewer's words "lead" (their own overdue asks) comes first, the rest keep
    # their order.
    items = [line for line in lines if line.get("lead")]
    items += [line for line in lines if not line.get("lead")]
    for line in items:
        line.pop("lead", None)
    return {**section, "items": items}
