"""Weekly updates (docs/architecture.md#vocabulary): one email per person per week.

A hiring manager's update covers every active job they hire for: what moved last week, who
waits on whom and for how long (themselves first), candidates at risk, their service-level
record for the week against the agreement, and the interviews coming up. A recruiter gets
the mirror for the jobs they run (with the HMs' records next to their own).

`weekly_update_build` is the selector (the preview page renders it too, without issuing
one-click links: a GET never changes state); `weekly_updates_send` is the worker step.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.accounts.selectors import person_for
from closeloop.followups.business_time import calendar_for, working_time_between
from closeloop.followups.links import IssuedLink
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.one_click import one_click_links_many
from closeloop.followups.policies import DEFAULTS
from closeloop.followups.selectors import (
    ask_hold_note,
    ask_shown_q,
    ask_title_for,
    ask_urls,
    asks_owed_by,
)
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.interviews.kinds import DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF
from closeloop.interviews.models import Interview
from closeloop.interviews.selectors import interviews_upcoming_mine
from closeloop.jobs.models import Job, JobStatus
from closeloop.lib.folding import by_name, name_key
from closeloop.lib.sweep import Swept, sweep
from closeloop.lib.timefmt import absolute
from closeloop.notify.services import message_queue
from closeloop.pipeline.models import Application, ApplicationStatus, StageChange
from closeloop.pipeline.selectors import applications_stale
from closeloop.touchbases.models import WeeklyUpdateSchedule
from closeloop.touchbases.sections import WEEKLY_SOURCES, WeeklyLine
from closeloop.touchbases.selectors import ask_waited, asks_waited_load
from closeloop.touchbases.slots import WEEKDAY_NAMES, slot_after, zone_or_utc

if TYPE_CHECKING:
    from collections.abc import Iterable


TEMPLATE = "weekly-update"
WEEK = dt.timedelta(days=7)
MAX_ROWS = 25  # per section: an update stays readable; the rest is counted and linked
HM_KINDS = ("review_submission", DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF)
RECRUITER_KINDS = ("update_candidate", "inform_candidate")
ENSURE_EVERY_SECONDS = 60.0


# --- what goes in one ----------------------------------------------------------------------


@dataclass
class WaitRow:
    ask: Ask
    title: str  # for the recipient: "Answer your question about …" to the one who asked
    waited: str
    due: str
    overdue: bool
    url: str
    links: list[IssuedLink] = field(default_factory=list)
    held: str = ""  # "on hold: waiting for Rita's answer": not overdue, no buttons

    @property
    def candidate(self) -> str:
        application = self.ask.application if self.ask.application_id else None
        return application.candidate.full_name if application is not None else ""


@dataclass
class WaitGroup:
    person: User
    is_you: bool
    rows: list[WaitRow]
    longest: dt.timedelta
    total: int = 0  # every ask of the group; past MAX_ROWS the rest are counted and linked
    more_url: str = ""

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


@dataclass
class MoveRow:
    change: StageChange
    what: str
    url: str


@dataclass
class RiskRow:
    application: Application
    days: int
    waiting_on: str
    url: str


@dataclass
class RecordRow:
    person: User
    is_you: bool
    label: str
    agreed: str
    on_time: int
    late: int
    overdue_open: int


@dataclass
class InterviewRow:
    interview: Interview
    when: str
    url: str


@dataclass
class ExtraSection:
    """A section an app above touch-bases adds (touchbases.sections.weekly_source_register)."""

    key: str
    title: str
    lines: list[WeeklyLine]


@dataclass
class WeeklyUpdate:
    person: User
    jobs: list[Job]
    week_start: dt.datetime
    week_end: dt.datetime
    waits: list[WaitGroup]
    moves: list[MoveRow]
    moves_total: int
    at_risk: list[RiskRow]
    record: list[RecordRow]
    interviews: list[InterviewRow]
    stale_after_days: int
    extra: list[ExtraSection] = field(default_factory=list)

    @property
    def waiting_on_you(self) -> list[WaitRow]:
        return next((group.rows for group in self.waits if group.is_you), [])

    @property
    def jobs_named(self) -> list[Job]:
        """The jobs of the first line ("Your week on 2 jobs: …"): the person's own, then
        those of the follow-ups they owe elsewhere (held for someone away) and of the
        interviews they sit on, so its count is every job the sections below speak of."""
        named = {job.pk: job for job in self.jobs}
        for row in self.waiting_on_you:
            if row.ask.job is not None:
                named.setdefault(row.ask.job.pk, row.ask.job)
        for interview in self.interviews:
            job = interview.interview.application.job
            named.setdefault(job.pk, job)
        return list(named.values())

    @property
    def is_empty(self) -> bool:
        """Nothing to say: no email is sent that week."""
        return not (
            self.waits or self.moves or self.at_risk or self.record or self.interviews
            or self.extra
        )  # fmt: skip

    @property
    def subject(self) -> str:
        # My queue's words and numbers: "You owe 27 follow-ups, 21 overdue" (asks, not
        # candidates). The candidates at risk are another count, of candidates (on anyone,
        # not only on the reader), said apart and named for what they are: "…; 9 candidates
        # waiting a week or more", not "9 at risk" read as 9 of the reader's follow-ups.
        owed = len(self.waiting_on_you)
        overdue = sum(row.overdue for row in self.waiting_on_you)
        said = f"you owe {owed} follow-up{'s' if owed != 1 else ''}" if owed else "nothing owed"
        if overdue:
            said += f", {overdue} overdue"
        parts = [said]
        if self.at_risk:
            risk = len(self.at_risk)
            parts.append(
                f"{risk} candidate{'s' if risk != 1 else ''} waiting "
                f"{_days_words(self.stale_after_days)} or more"
            )
        # What moved is the week's news, not something owed: said apart ("…; 49 moves last
        # week"), so "you owe 21 follow-ups, 49 moves" is not read as 70 things to do.
        moved = self.moves_total
        if moved:
            parts.append(f"{moved} move{'s' if moved != 1 else ''} last week")
        local = self.week_end.astimezone(self.person.zone)
        return f"Your weekly update, {local:%d %b}: " + "; ".join(parts)


def _days_words(days: int) -> str:
    """A stretch of days as the subject says it: "a week", "2 weeks", "10 days"."""
    if days == 7:
        return "a week"
    if days and days % 7 == 0:
        return f"{days // 7} weeks"
    return f"{days} day{'s' if days != 1 else ''}"


def weekly_update_jobs(*, person: User) -> list[Job]:
    """The active jobs a person hires for or runs."""
    return list(
        Job.objects.filter(
            Q(hiring_manager=person) | Q(recruiter=person) | Q(coordinator=person),
            status__in=[JobStatus.OPEN, JobStatus.ON_HOLD],
        )
        .select_related("recruiter", "hiring_manager")
        .order_by("title", "pk")
    )


def _wait_row(ask: Ask, recipient: User, now: dt.datetime, url: str) -> WaitRow:
    return WaitRow(
        ask=ask,
        title=ask_title_for(ask, reader=recipient),
        waited=ask_waited(ask=ask, now=now, zone=recipient.zone),
        due=absolute(ask.due_at, recipient.zone),
        overdue=ask.is_overdue(now),
        url=settings.SITE_URL + url,
        held=ask_hold_note(ask, reader=recipient),
    )


def _wait_rows(
    asks: list[Ask], recipient: User, now: dt.datetime, issue_links: bool
) -> list[WaitRow]:
    """The rows of the recipient's own asks, their buttons issued in one INSERT for all."""
    urls = ask_urls(asks)
    prefetch_related_objects([ask for ask in asks if ask.held_for_id], "held_for")
    rows = [_wait_row(ask, recipient, now, urls[ask.pk]) for ask in asks]
    if issue_links:
        pressable = [ask for ask in asks if ask.owner_id == recipient.pk and not ask.is_held]
        links = one_click_links_many(asks=pressable, recipient=recipient, now=now)
        for row in rows:
            row.links = links.get(row.ask.pk, [])
    return rows


def _waits(person: User, jobs: list[Job], now: dt.datetime, issue_links: bool) -> list[WaitGroup]:
    """Who waits on whom: the person's own open asks first (exactly their queue), then the
    others' on the person's jobs, the one who has kept someone waiting longest first. Within
    a group, soonest due first (overdue ones lead), as in My queue."""
    mine = asks_owed_by(user=person)
    visible = ask_shown_q(now)
    others = list(
        Ask.objects.filter(visible, job__in=jobs, status=AskStatus.OPEN)
        .exclude(owner=person)
        .select_related("job", "owner", "original_owner", "application__candidate")
        .order_by("due_at", "pk")
    )
    groups: dict[int, list[Ask]] = {}
    for ask in others:
        groups.setdefault(ask.owner_id, []).append(ask)
    asks_waited_load(mine + [ask for asks in groups.values() for ask in asks[:MAX_ROWS]])
    result = []
    if mine:
        rows = _wait_rows(mine, person, now, issue_links)
        result.append(WaitGroup(person, True, rows, dt.timedelta(0), len(mine)))
    other_groups = []
    # The rest of a long group: the queue's list of what others owe on the person's jobs.
    more_url = settings.SITE_URL + reverse("pipeline:queue-list", args=["others-follow-ups"])
    for asks in groups.values():
        owner = asks[0].owner
        oldest = min(ask.waiting_since for ask in asks)
        longest = working_time_between(calendar_for(owner), oldest, now)
        shown = asks[:MAX_ROWS]
        urls = ask_urls(shown)
        rows = [_wait_row(ask, person, now, urls[ask.pk]) for ask in shown]
        other_groups.append(WaitGroup(owner, False, rows, longest, len(asks), more_url))
    other_groups.sort(key=lambda group: (-group.longest, name_key(group.person.full_name)))
    return result + other_groups


def _move_text(change: StageChange) -> str:
    before = change.from_stage.label if change.from_stage else ""
    after = change.to_stage.label if change.to_stage else ""
    if change.to_status and change.to_status != ApplicationStatus.ACTIVE:
        outcome = ApplicationStatus(change.to_status).label.lower()
        return f"{outcome} in {after or before}" if (after or before) else outcome
    if before and after and before != after:
        return f"{before} → {after}"
    return f"added in {after}" if after else "updated"


def _moves(jobs: list[Job], start: dt.datetime, end: dt.datetime) -> tuple[list[MoveRow], int]:
    changes = StageChange.objects.filter(
        application__job__in=jobs, at__gte=start, at__lte=end
    ).select_related("application__candidate", "application__job", "from_stage", "to_stage", "by")
    total = changes.count()
    rows = [
        MoveRow(
            change,
            _move_text(change),
            settings.SITE_URL
            + reverse("pipeline:application-detail", args=[change.application_id]),
        )
        for change in changes.order_by("-at", "-pk")[:MAX_ROWS]
    ]
    return rows, total


def _at_risk(person: User, jobs: list[Job], now: dt.datetime) -> list[RiskRow]:
    """The candidates My queue flags stale on these jobs: waiting on someone for
    STALE_AFTER_DAYS days or more, not on an interview still to come (one rule, the queue's);
    "waiting on you" when that is the update's reader."""
    applications = Application.objects.filter(job__in=jobs)
    return [
        RiskRow(
            item.application,
            item.days,
            person_for(item.owner, reader=person) or "nobody",
            settings.SITE_URL + reverse("pipeline:application-detail", args=[item.application.pk]),
        )
        for item in applications_stale(applications=applications, limit=MAX_ROWS, now=now)
    ]


def _record_people(person: User, jobs: list[Job]) -> list[tuple[User, tuple[str, ...]]]:
    """Whose record the update shows: the person's own; a recruiter also sees their HMs'."""
    people: list[tuple[User, tuple[str, ...]]] = []
    runs = [job for job in jobs if person.pk in {job.recruiter_id, job.coordinator_id}]
    hires = any(job.hiring_manager_id == person.pk for job in jobs)
    own = (HM_KINDS if hires else ()) + (RECRUITER_KINDS if runs else ())
    if own:
        people.append((person, own))
    seen = {person.pk}
    for job in runs:
        if job.hiring_manager_id not in seen:
            seen.add(job.hiring_manager_id)
            people.append((job.hiring_manager, HM_KINDS))
    return people


def _record(person: User, jobs: list[Job], start: dt.datetime, now: dt.datetime) -> list[RecordRow]:
    """Asks answered this week on time vs late, against the due time each was opened with.

    One query for everyone shown (a recruiter with many HMs stays one query), grouped by
    owner and kind here.
    """
    people = _record_people(person, jobs)
    if not people:
        return []
    all_kinds = {kind for _, kinds in people for kind in kinds}
    asks = Ask.objects.filter(
        owner__in=[owner.pk for owner, _ in people], job__in=jobs, kind__in=all_kinds
    ).filter(
        Q(status=AskStatus.DONE, closed_at__gte=start, closed_at__lt=now)
        # A held ask is never overdue: its clock stopped (the HM waits on the recruiter).
        | Q(status=AskStatus.OPEN, due_at__lte=now, held_at__isnull=True)
    )
    grouped: dict[tuple[int, str], list[Ask]] = {}
    for ask in asks.only("owner_id", "kind", "status", "closed_at", "due_at", "policy"):
        grouped.setdefault((ask.owner_id, ask.kind), []).append(ask)
    rows = []
    for owner, kinds in people:
        for kind in kinds:
            group = grouped.get((owner.pk, kind), [])
            if not group:
                continue
            done = [a for a in group if a.status == AskStatus.DONE]
            agreed = sorted({str(a.policy.get("due", "")) for a in group if a.policy.get("due")})
            rows.append(
                RecordRow(
                    person=owner,
                    is_you=owner.pk == person.pk,
                    label=DEFAULTS[kind].label if kind in DEFAULTS else kind,
                    agreed=" / ".join(agreed),
                    on_time=sum(1 for a in done if a.closed_at and a.closed_at <= a.due_at),
                    late=sum(1 for a in done if a.closed_at and a.closed_at > a.due_at),
                    overdue_open=sum(1 for a in group if a.status == AskStatus.OPEN),
                )
            )
    return rows


def _interviews(person: User, now: dt.datetime) -> list[InterviewRow]:
    """Interviews in the next seven days: those the person sits on and those of their jobs
    (the interviews of their calendar feed)."""
    return [
        InterviewRow(
            row,
            absolute(row.starts_at, person.zone),
            settings.SITE_URL + reverse("interviews:interview-detail", args=[row.pk]),
        )
        for row in interviews_upcoming_mine(user=person, now=now, days=WEEK.days, limit=MAX_ROWS)
    ]


def weekly_update_build(
    *, person: User, now: dt.datetime | None = None, issue_links: bool = False
) -> WeeklyUpdate:
    """One person's weekly update for the week ending `now`.

    `issue_links` creates one-click links for the review asks the person can decide; only
    the real send does that (the preview shows where the buttons will be).
    """
    now = now or timezone.now()
    start = now - WEEK
    jobs = weekly_update_jobs(person=person)
    moves, moves_total = _moves(jobs, start, now) if jobs else ([], 0)
    return WeeklyUpdate(
        person=person,
        jobs=jobs,
        week_start=start,
        week_end=now,
        waits=_waits(person, jobs, now, issue_links),
        moves=moves,
        moves_total=moves_total,
        at_risk=_at_risk(person, jobs, now) if jobs else [],
        record=_record(person, jobs, start, now) if jobs else [],
        interviews=_interviews(person, now) if jobs else [],
        stale_after_days=settings.STALE_AFTER_DAYS,
        extra=_extra(person, jobs, start, now) if jobs else [],
    )


def _extra(
    person: User, jobs: list[Job], start: dt.datetime, now: dt.datetime
) -> list[ExtraSection]:
    sections = []
    for source in WEEKLY_SOURCES:
        lines = source.build(person, jobs, start, now)
        if lines:
            sections.append(ExtraSection(source.key, source.title, lines))
    return sections


def weekly_update_context(update: WeeklyUpdate) -> dict[str, object]:
    """The template context of the email (and of the preview, which shows the same HTML)."""
    return {
        "recipient": update.person,
        "update": update,
        "subject": update.subject,
        "queue_url": settings.SITE_URL + reverse("pipeline:queue"),
        "settings_url": settings.SITE_URL + reverse("accounts:profile") + "#weekly-update",
    }


def weekly_update_preview_person(*, user: User, person_id: int | None) -> User:
    """Whose update a user may preview: their own; an admin anyone's. Others: 404."""
    if person_id is None or person_id == user.pk:
        return user
    if not (user.is_active and user.is_admin):
        raise Http404("No such person.")
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise Http404("No such person.")
    return person


def weekly_update_people(*, user: User) -> list[User]:
    """Whose update an admin may pick on the preview page (everyone who can get one)."""
    if not (user.is_active and user.is_admin):
        return []
    return list(
        User.objects.filter(
            Q(is_hiring_manager=True) | Q(is_recruiter=True), is_active=True
        ).order_by(*by_name("full_name"), "pk")
    )


# --- when it goes out ----------------------------------------------------------------------


def weekly_update_next_run(
    *, person: User, weekday: int, send_time: dt.time, after: dt.datetime
) -> dt.datetime:
    """The next send moment after `after`, at `send_time` in the person's own time zone."""
    return slot_after(
        weekday=weekday, at=send_time, zone=zone_or_utc(person.time_zone), after=after
    )


SAME_WEEK = dt.timedelta(days=6)


def _next_slot(
    *,
    person: User,
    weekday: int,
    send_time: dt.time,
    after: dt.datetime,
    last_sent_at: dt.datetime | None,
) -> dt.datetime:
    """The next send moment after `after`, but never within six days of the last update
    sent: moving the day (or the time zone) right after an update does not send another."""
    if last_sent_at is not None:
        after = max(after, last_sent_at + SAME_WEEK)
    return weekly_update_next_run(person=person, weekday=weekday, send_time=send_time, after=after)


def _slot_for_run(
    *, person: User, schedule: WeeklyUpdateSchedule, run_at: dt.datetime
) -> dt.datetime:
    """The slot `run_at` stands for, in the person's time zone as it is now.

    Zones differ by at most 26 hours, so the slot that a zone (or working-calendar) change
    moved is the first one after `run_at` minus two days; an unchanged zone gives `run_at`.
    """
    return _next_slot(
        person=person,
        weekday=schedule.weekday,
        send_time=schedule.send_time,
        after=run_at - dt.timedelta(days=2),
        last_sent_at=schedule.last_sent_at,
    )


def weekly_update_schedule_for(*, person: User) -> WeeklyUpdateSchedule | None:
    return WeeklyUpdateSchedule.objects.filter(person=person).first()


def weekly_update_held_back_by(
    *, person: User, schedule: WeeklyUpdateSchedule | None, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the last update went out, if it is why the next one skips the coming slot (none
    goes out within six days of the last: `_next_slot`), so the page can say why the next
    date is a week on ("the last went out Sun 06 Dec 18:33"); None otherwise."""
    if schedule is None or not schedule.enabled or schedule.next_run_at is None:
        return None
    last = schedule.last_sent_at
    if last is None:
        return None
    coming = weekly_update_next_run(
        person=person,
        weekday=schedule.weekday,
        send_time=schedule.send_time,
        after=now or timezone.now(),
    )
    return last if coming < schedule.next_run_at and coming < last + SAME_WEEK else None


def weekly_update_describe(*, person: User, schedule: WeeklyUpdateSchedule | None) -> str:
    if schedule is None:
        return "Mondays at 08:00 (your time)"
    if not schedule.enabled:
        return "off"
    return f"{WEEKDAY_NAMES[schedule.weekday]}s at {schedule.send_time:%H:%M} (your time)"


@transaction.atomic
def weekly_update_configure(
    *, person: User, by: User, enabled: bool, weekday: int, send_time: dt.time
) -> WeeklyUpdateSchedule:
    """Set when (or whether) a person gets their weekly update; the next send moves with it."""
    if by.pk != person.pk and not (by.is_active and by.is_admin):
        raise PermissionDenied("You can only change your own weekly update.")
    if weekday not in range(7):
        raise ValidationError({"weekday": "Choose a day of the week."})
    now = timezone.now()
    before = WeeklyUpdateSchedule.objects.filter(person=person).first()
    next_run = (
        _next_slot(
            person=person,
            weekday=weekday,
            send_time=send_time,
            after=now,
            last_sent_at=before.last_sent_at if before else None,
        )
        if enabled
        else None
    )
    schedule, _ = WeeklyUpdateSchedule.objects.update_or_create(
        person=person,
        defaults={
            "enabled": enabled,
            "weekday": weekday,
            "send_time": send_time,
            "next_run_at": next_run,
            "updated_at": now,
        },
    )
    return schedule


@transaction.atomic
def weekly_update_follow_zone(*, person: User) -> WeeklyUpdateSchedule | None:
    """The person's time zone changed: their next update moves to the same week's slot in
    the new zone now, so the profile names it (the worker would only find out at the old
    time), as the worker itself would move it (`_slot_for_run`): a move east keeps this
    week's update even when its hour there has passed, and none comes within six days of
    the last one sent."""
    schedule = WeeklyUpdateSchedule.objects.select_for_update().filter(person=person).first()
    if schedule is None or not schedule.enabled or schedule.next_run_at is None:
        return schedule
    schedule.next_run_at = _slot_for_run(
        person=person, schedule=schedule, run_at=schedule.next_run_at
    )
    schedule.save(update_fields=["next_run_at"])
    return schedule


def weekly_update_schedules_ensure(*, now: dt.datetime | None = None) -> int:
    """Give every active hiring manager and recruiter a schedule (Monday 08:00 their time)."""
    now = now or timezone.now()
    people = list(
        User.objects.filter(
            Q(is_hiring_manager=True) | Q(is_recruiter=True),
            is_active=True,
            weekly_update_schedule__isnull=True,
        )[:500]
    )
    rows = [
        WeeklyUpdateSchedule(
            person=person,
            next_run_at=weekly_update_next_run(
                person=person, weekday=0, send_time=dt.time(8, 0), after=now
            ),
            updated_at=now,
        )
        for person in people
    ]
    WeeklyUpdateSchedule.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --- the worker step -----------------------------------------------------------------------

_last_ensure = [float("-inf")]  # monotonic time of the last look; none yet
SEND_STEP = "weekly_updates_send"


def weekly_updates_send(*, now: dt.datetime | None = None, limit: int = 50) -> Swept:
    """Worker step: send the weekly updates that are due; handled = rows handled.

    Each due row is claimed by moving `next_run_at` to the following week with a conditional
    UPDATE on the value read, and the email is queued in the same transaction: two workers
    never both send, and a crash before commit leaves the row due for the next loop. A row
    that raises is held back (closeloop.followups.sweep) rather than given a later
    next_run_at: that value is the person's slot, which the retry must still recognise.
    """
    now = now or timezone.now()
    if time.monotonic() - _last_ensure[0] >= ENSURE_EVERY_SECONDS:
        _last_ensure[0] = time.monotonic()
        weekly_update_schedules_ensure(now=now)
    rows = (
        WeeklyUpdateSchedule.objects.filter(
            enabled=True, next_run_at__lte=now, person__is_active=True
        )
        .exclude(pk__in=sweep_held(SEND_STEP, now=now))
        .order_by("next_run_at")
        .values_list("pk", "next_run_at")[:limit]
    )
    # Filtered on next_run_at <= now, so never empty; the check tells the type checker.
    due = [(pk, run_at) for pk, run_at in rows if run_at is not None]
    return sweep(
        SEND_STEP,
        due,
        lambda row: weekly_update_send_one(pk=row[0], run_at=row[1], now=now),
        push_back=lambda row, error: sweep_hold_push(SEND_STEP, row[0], error, now=now),
        row_id=lambda row: f"weekly update schedule {row[0]}",
    )


@transaction.atomic
def weekly_update_send_one(*, pk: int, run_at: dt.datetime, now: dt.datetime) -> int:
    """Claim one due schedule and send its update; 0 when another worker had it."""
    schedule = (
        WeeklyUpdateSchedule.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, enabled=True, next_run_at=run_at)
        .first()
    )
    if schedule is None:
        return 0
    person = User.objects.get(pk=schedule.person_id)
    slot = _slot_for_run(person=person, schedule=schedule, run_at=run_at)
    if slot != run_at:
        # The person changed time zone since this run was planned: move it to 08:00 (or
        # whenever) of their new zone without sending; the loop that finds it due sends.
        moved = WeeklyUpdateSchedule.objects.filter(pk=pk, next_run_at=run_at).update(
            next_run_at=slot
        )
        return int(moved == 1)

    def next_slot(last_sent_at: dt.datetime | None) -> dt.datetime:
        return _next_slot(
            person=person,
            weekday=schedule.weekday,
            send_time=schedule.send_time,
            after=now,
            last_sent_at=last_sent_at,
        )

    # Claimed for the next slot after this run; once an update goes out, moved to the next
    # slot at least six days after it (a run late on Sunday sends none the next morning).
    next_run = next_slot(None)
    claimed = WeeklyUpdateSchedule.objects.filter(pk=pk, next_run_at=run_at).update(
        next_run_at=next_run, last_run_at=now
    )
    if claimed != 1:
        return 0
    update = weekly_update_build(person=person, now=now, issue_links=True)
    if update.is_empty:
        return 1  # nothing to say this week: no email, and the next slot stays as claimed
    message_queue(
        recipient=person,
        template=TEMPLATE,
        context=weekly_update_context(update),
        data={"weekly_update": schedule.pk, "asks": [row.ask.pk for row in update.waiting_on_you]},
        # The day and time are the person's own choice on their profile (Monday 08:00 by
        # default, before many people's working hours): it comes when they asked for it.
        at_once=True,
    )
    WeeklyUpdateSchedule.objects.filter(pk=pk).update(last_sent_at=now, next_run_at=next_slot(now))
    return 1


def weekly_update_asks(update: WeeklyUpdate) -> Iterable[Ask]:
    """Every ask the update mentions (tests compare this with the data)."""
    for group in update.waits:
        for row in group.rows:
            yield row.ask
