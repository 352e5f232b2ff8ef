"""The demo's touch-bases and weekly updates, built through the touch-base services.

Every open or on-hold job gets its weekly series (from the cadence the intake agreed, or a
default when none was agreed) about two weeks ago, with the past meetings held, their
notes and action items (most done; one of hank's on *Senior Backend Engineer* overdue), and
the next meeting planned with its live agenda. Every meeting that ended before the moment of
seeding is held, so nobody but rita owes a record, whatever the hour: on *Site Reliability
Engineer* the latest meeting whose record is overdue was never marked held, so rita has the
"mark it held" reminder, overdue.

Weekly updates: every hiring manager and recruiter has a schedule, due at its latest slot
before seeding, so the worker's first loops put them in the Outbox, and each can be
previewed from the person's profile page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.services import ask_close, ask_due_at, ask_open
from closeloop.jobs.models import JobStatus
from closeloop.touchbases.models import (
    ActionItem,
    ActionItemStatus,
    Touchbase,
    WeeklyUpdateSchedule,
)
from closeloop.touchbases.policies import HOLD_TOUCHBASE
from closeloop.touchbases.services import series_sync, touchbase_hold, touchbases_advance
from closeloop.touchbases.slots import slot_before, zone_or_utc
from closeloop.touchbases.weekly import weekly_update_schedules_ensure

HISTORY_DAYS = 15  # one or two past meetings per series (fast to seed)
UNMARKED_JOB = "sre"
INVITED_JOB = "backend"  # its invitation is in the Outbox, as a real set-up sends it
OVERDUE_JOB = "backend"

NOTES = [
    "Calibrated on the last three profiles: {hm} wants more depth in {must}.\n"
    "Agreed to widen the search to candidates with adjacent experience.",
    "Pipeline is healthy at the top; the bottleneck is interview slots.\n"
    "{hm} will free two slots a week for the next month.",
    "Reviewed pass reasons together: mostly {must}.\n"
    "{recruiter} to adjust the outreach message and the screening questions.",
]
# Taken in pairs (0, 2) and (1, 3): one for the hiring manager, one for the recruiter.
ITEMS = [
    ("Share two example profiles of a strong hire", "hm"),
    ("Book interview slots for the next two weeks", "hm"),
    ("Update the outreach message with the new must-haves", "recruiter"),
    ("Send the candidate feedback template to the panel", "recruiter"),
]


def _cadence(index: int, ctx: Any) -> None:
    """A default cadence for a job the intake gave none: weekdays spread over the week."""
    job = ctx.job
    # The intake's seeding applied the signed cadence through its own copy of the row.
    job.refresh_from_db(
        fields=["touchbase_weekday", "touchbase_time", "touchbase_minutes", "touchbase_time_zone"]
    )
    if job.touchbase_weekday is not None and job.touchbase_time is not None:
        return
    job.touchbase_weekday = index % 5
    job.touchbase_time = dt.time(10 if index % 2 else 15, 0)
    job.touchbase_minutes = 30
    job.touchbase_time_zone = ctx.recruiter.time_zone
    job.save(
        update_fields=[
            "touchbase_weekday",
            "touchbase_time",
            "touchbase_minutes",
            "touchbase_time_zone",
        ]
    )


def _item(
    org: Any,
    occurrence: Touchbase,
    ctx: Any,
    text: str,
    owner: Any,
    due_on: dt.date,
    done: bool,
) -> ActionItem:
    """An action item agreed in a past meeting, opened (and maybe answered) in the engine.

    Written like `action_item_add` does, but dated in the past: the service only accepts
    due dates from today on.
    """
    agreed_at = occurrence.ends_at
    zone = zone_or_utc(occurrence.series.time_zone)
    due_at = ask_due_at(
        kind="action_item", owner=owner, opened_at=agreed_at, job=ctx.job, due_on=due_on
    )
    item = ActionItem.objects.create(
        touchbase=occurrence,
        job=ctx.job,
        description=text,
        owner=owner,
        due_on=due_on,
        due_at=due_at,
        created_by=ctx.recruiter,
        created_at=agreed_at,
    )
    ask_open(
        kind="action_item",
        subject=item.subject,
        title=f"{text} ({ctx.job.title})",
        owner=owner,
        job=ctx.job,
        requested_by=ctx.recruiter,
        opened_at=agreed_at,
        due_on=due_on,
        facts={"item": text, "meeting": f"{occurrence.scheduled_at.astimezone(zone):%a %d %b}"},
    )
    if done:
        finished = min(agreed_at + dt.timedelta(hours=20), org.now)  # never in the future
        ask_close(kind="action_item", subject=item.subject, by=owner, at=finished)
        item.status, item.done_at, item.done_by = ActionItemStatus.DONE, finished, owner
        item.save(update_fields=["status", "done_at", "done_by"])
    return item


def _due_that_evening(ctx: Any, occurrence: Touchbase) -> dt.datetime:
    """When an HM's item agreed in this meeting "for tonight" falls due (their calendar)."""
    agreed = occurrence.ends_at.astimezone(ctx.hm.zone).date()
    return ask_due_at(
        kind="action_item", owner=ctx.hm, opened_at=occurrence.ends_at, job=ctx.job, due_on=agreed
    )


def _items(org: Any, ctx: Any, occurrence: Touchbase, week: int, left_open: bool) -> int:
    """Two items per meeting, both done within a day, except the HM's at the meeting
    `left_open`: overdue for hank on the backend job, else due in a few days."""
    for text, side in ITEMS[week % 2 :: 2]:
        owner = ctx.hm if side == "hm" else ctx.recruiter
        agreed = occurrence.ends_at.astimezone(owner.zone).date()
        still_open = left_open and side == "hm"
        if not still_open:
            due_on = agreed + dt.timedelta(days=2)
        elif ctx.plan.key == OVERDUE_JOB:
            due_on = agreed  # due the evening of the meeting: overdue by now
        else:
            due_on = org.now.astimezone(owner.zone).date() + dt.timedelta(days=3)
        _item(org, occurrence, ctx, text, owner, due_on, done=not still_open)
    return 2


def _meetings_until(series: Any, now: dt.datetime) -> list[Touchbase]:
    """Walk the series up to `now` as the worker would have: each meeting that ended opened
    its hold reminder and planned the next one. Returns the meetings that ended, in order."""
    ended: list[Touchbase] = []
    for _ in range(HISTORY_DAYS // 7 + 2):
        occurrence = (
            Touchbase.objects.filter(series=series, status="planned", ends_at__lte=now)
            .exclude(pk__in=[meeting.pk for meeting in ended])
            .order_by("scheduled_at")
            .first()
        )
        if occurrence is None:
            break
        touchbases_advance(now=occurrence.ends_at)
        ended.append(occurrence)
    return ended


def _unmarked(org: Any, ctx: Any, ended: list[Touchbase]) -> Touchbase | None:
    """On the unmarked job, the latest meeting whose hold reminder is overdue by now: rita
    owes its record at any moment of the week (a meeting of this morning is not late yet)."""
    if ctx.plan.key != UNMARKED_JOB:
        return None
    due = dict(
        Ask.objects.filter(kind=HOLD_TOUCHBASE, job=ctx.job, status=AskStatus.OPEN).values_list(
            "opened_at", "due_at"
        )
    )
    late = [meeting for meeting in ended if due.get(meeting.ends_at, org.now) < org.now]
    return late[-1] if late else None


def _left_open(org: Any, ctx: Any, held: list[Touchbase]) -> Touchbase | None:
    """The meeting whose HM item is still open: the last one held, except on the overdue
    job, where it is the last one whose item, due that evening, is overdue by now."""
    if ctx.plan.key != OVERDUE_JOB:
        return held[-1] if held else None
    late = [meeting for meeting in held if _due_that_evening(ctx, meeting) < org.now]
    return late[-1] if late else None


def _history(org: Any, ctx: Any) -> tuple[int, int]:
    """Past meetings of one job: every one that ended is held with notes and items (one on
    the unmarked job excepted), so the current meeting is the next one or today's."""
    series = series_sync(
        job=ctx.job,
        by=ctx.recruiter,
        now=org.now - dt.timedelta(days=HISTORY_DAYS),
        notify=ctx.plan.key == INVITED_JOB,
    )
    ended = _meetings_until(series, org.now)
    unmarked = _unmarked(org, ctx, ended)
    held = [meeting for meeting in ended if meeting != unmarked]
    left_open = _left_open(org, ctx, held)
    items = 0
    for week, occurrence in enumerate(held):
        musts = ctx.plan.must_haves
        occurrence.notes = NOTES[week % len(NOTES)].format(
            hm=ctx.hm.short_name, recruiter=ctx.recruiter.short_name, must=musts[week % len(musts)]
        )
        occurrence.notes_updated_at = occurrence.ends_at
        occurrence.notes_updated_by = ctx.recruiter
        occurrence.save(update_fields=["notes", "notes_updated_at", "notes_updated_by"])
        items += _items(org, ctx, occurrence, week, occurrence == left_open)
        marked = min(occurrence.ends_at + dt.timedelta(minutes=5), org.now)
        touchbase_hold(touchbase=occurrence, by=ctx.recruiter, now=marked)
    touchbases_advance(now=org.now)
    return len(held), items


def _weekly_updates(org: Any) -> int:
    """Schedules for everyone; the HMs' and recruiters' are due now, so the Outbox shows them."""
    weekly_update_schedules_ensure(now=org.now)
    due = WeeklyUpdateSchedule.objects.filter(
        Q(person__is_hiring_manager=True) | Q(person__is_recruiter=True)
    ).select_related("person")
    # Each moved to its own latest slot (the worker only sends at a real slot of the
    # person's zone; any other moment it would first move to the right one).
    schedules = list(due)
    for schedule in schedules:
        schedule.next_run_at = slot_before(
            weekday=schedule.weekday,
            at=schedule.send_time,
            zone=zone_or_utc(schedule.person.time_zone),
            before=org.now,
        )
    WeeklyUpdateSchedule.objects.bulk_update(schedules, ["next_run_at"])
    return len(schedules)


def seed(org: Any) -> dict[str, int]:
    series = held = items = 0
    for index, ctx in enumerate(org.jobs.values()):
        if ctx.job.status not in (JobStatus.OPEN, JobStatus.ON_HOLD):
            continue
        _cadence(index, ctx)
        done, added = _history(org, ctx)
        series, held, items = series + 1, held + done, items + added
    return {
        "touchbase_series": series,
        "touchbases_held": held,
        "action_items": items,
        "weekly_updates_due": _weekly_updates(org),
    }
