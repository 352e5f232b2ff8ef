"""Touch-base writes: the series from the agreed cadence, meetings, notes and action items.

Every write that has side effects lives here (keyword-only, in one transaction): the
calendar invitation is queued with the change that causes it, an action item opens its ask
with it, and marking a meeting held snapshots its agenda and closes the hold reminder.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.selectors import person_for
from closeloop.activity.services import activity_record
from closeloop.calendars.ics import calendar_text
from closeloop.calendars.sources import CalendarEvent, people_names
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.selectors import covering_words
from closeloop.followups.services import (
    ask_cancel,
    ask_close,
    ask_due_at,
    ask_open,
    asks_rename,
)
from closeloop.followups.subjects import subject_key
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.jobs.models import Job
from closeloop.jobs.selectors import job_can_manage
from closeloop.lib.sweep import Swept, sweep
from closeloop.lib.timefmt import zoned_unless_viewers
from closeloop.notify.services import Attachment, message_queue
from closeloop.touchbases.models import (
    AUTOMATIC_SKIPS,
    CADENCE_CHANGED,
    SERIES_ENDED,
    ActionItem,
    ActionItemStatus,
    Touchbase,
    TouchbaseSeries,
    TouchbaseStatus,
)
from closeloop.touchbases.policies import HOLD_TOUCHBASE
from closeloop.touchbases.selectors import (
    LIVE_JOB_STATUSES,
    MOVE_NEEDS_CONFIRMING,
    MovedMeeting,
    SeriesState,
    action_item_add_refusal,
    action_item_can_edit,
    action_item_can_finish,
    action_item_due_day,
    action_item_holder,
    action_item_owner_choices,
    agenda_build,
    cadence_agreed,
    series_moved_meetings,
    series_occurs_at,
    series_skipped_starts,
    series_state,
    touchbase_can_edit,
    touchbase_hold_refusal,
    touchbase_move_problem,
    touchbase_move_refusal,
    touchbase_move_warning,
)
from closeloop.touchbases.slots import ICAL_DAYS, WEEKDAY_NAMES, slot_after, zone_or_utc

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User

log = logging.getLogger("closeloop.touchbases")

NOTES_MAX = 20_000
ACTION_ITEM_HORIZON_DAYS = 366
INVITE_TEMPLATE = "touchbase-invite"
ACTION_ITEM_TEMPLATE = "action-item-assigned"
ACTION_ITEM_DROPPED_TEMPLATE = "action-item-dropped"
ACTION_ITEM_HANDED_OVER_TEMPLATE = "action-item-handed-over"


# --- the series ----------------------------------------------------------------------------


def _cadence(job: Job) -> tuple[int, dt.time, int, str] | None:
    """The job's agreed cadence, or None when no series was agreed (or it is unusable, or
    the job is filled or closed: the meetings end with the search)."""
    weekday, at = job.touchbase_weekday, job.touchbase_time
    if job.status not in LIVE_JOB_STATUSES or not cadence_agreed(job):
        return None
    if weekday is None or at is None:  # agreed says they are set; this says so to mypy
        return None
    minutes = job.touchbase_minutes or 30
    zone = job.touchbase_time_zone or job.recruiter.time_zone or "UTC"
    return weekday, at, minutes, zone_or_utc(zone).key


def series_event(
    series: TouchbaseSeries,
    *,
    cancelled: bool = False,
    attendees: Iterable[User] | None = None,
    skipped: Iterable[dt.datetime] | None = None,
    moved: Iterable[MovedMeeting] | None = None,
) -> CalendarEvent:
    """The series as one recurring calendar event (RRULE weekly on its day, in its zone).

    `attendees` narrows the ATTENDEE list: a cancellation sent to someone who left the
    series names only them (RFC 5546 removes an attendee with a CANCEL addressed to them).
    `skipped`: the starts of the meetings someone skipped (EXDATE), read from the series
    when not given (a feed reads them for all its series at once); only those of the
    current cadence are kept: a skip of a meeting the cadence moved away from matches no
    occurrence, and a dead EXDATE is noise to every calendar.
    `moved`: the meetings moved on their own (`series_moved_meetings`), read likewise; each
    an override of its occurrence (RECURRENCE-ID), kept by the same rule as the skips.
    """
    if skipped is None:
        skipped = series_skipped_starts(series_ids=[series.pk]).get(series.pk, [])
    skipped = [start for start in skipped if series_occurs_at(series, start)]
    if moved is None:
        moved = series_moved_meetings(series_ids=[series.pk]).get(series.pk, [])
    overrides = tuple(
        (row.slot_at, row.starts_at, row.ends_at)
        for row in moved
        if series_occurs_at(series, row.slot_at)
    )
    people = (series.recruiter, series.hiring_manager) if attendees is None else attendees
    job = series.job
    url = settings.SITE_URL + reverse("touchbases:job-current", args=[job.pk])
    return CalendarEvent(
        uid=series.uid,
        sequence=series.sequence,
        summary=f"Touch-base: {job.title}",
        starts_at=series.first_at,
        ends_at=series.first_at + series.length,
        time_zone=series.time_zone,
        description=(
            f"Weekly touch-base of {series.recruiter} and {series.hiring_manager} on {job.title}. "
            f"The agenda is built from the pipeline: {url}"
        ),
        url=url,
        cancelled=cancelled,
        rrule={"FREQ": "WEEKLY", "BYDAY": ICAL_DAYS[series.weekday]},
        exdates=tuple(sorted(skipped)),
        moved=overrides,
        organizer_email=series.recruiter.email,
        attendee_emails=tuple(dict.fromkeys(person.email for person in people)),
        names=people_names(series.recruiter, *people),
    )


def _invite(
    series: TouchbaseSeries,
    *,
    cancelled: bool = False,
    to: Iterable[User] | None = None,
    needed_by: dt.datetime | None = None,
    skipped: Touchbase | None = None,
    skipped_by: User | None = None,
    moved: Touchbase | None = None,
    moved_by: User | None = None,
    moved_was: dt.datetime | None = None,
    move_reason: str = "",
) -> None:
    """Send the series (or its cancellation) with the .ics attached: to both sides, or to
    `to` only (a CANCEL for the people who left the series, at its current SEQUENCE).
    `skipped`: the meeting `skipped_by` skipped, which the message names; `moved`: the
    meeting `moved_by` moved from `moved_was` to its time now (`move_reason`: why).

    Held for working hours like any message, unless the next meeting (or `needed_by`, the
    next one at the time it moved from) begins before them: held, the change would reach
    the calendar after the meeting it changes or calls off."""
    now = timezone.now()
    # A meeting already over (a series set up with a past `now`, as the demo's history is)
    # needs nothing: the next one is what the message must reach its reader before.
    if skipped is not None:
        needed_by = skipped.scheduled_at  # the meeting it calls off
    if moved is not None:  # before either time, whichever calendars show now
        needed_by = min(moved.scheduled_at, moved_was or moved.scheduled_at)
    if needed_by is None or needed_by <= now:
        needed_by = _next_start(series, now)
    removed = to is not None
    recipients = list({p.pk: p for p in (to or (series.recruiter, series.hiring_manager))}.values())
    method = "CANCEL" if cancelled else "REQUEST"
    event = series_event(series, cancelled=cancelled, attendees=recipients if removed else None)
    ics = calendar_text([event], method=method)
    attachment = Attachment("touchbase.ics", ics, f"text/calendar; method={method}")
    zone = zone_or_utc(series.time_zone)
    for person in recipients:
        message_queue(
            recipient=person,
            template=INVITE_TEMPLATE,
            context={
                "recipient": person,
                "series": series,
                "job": series.job,
                "cancelled": cancelled,
                "ended_because": series_end_words(series.job) if cancelled else "",
                "removed": removed,
                "weekday": WEEKDAY_NAMES[series.weekday],
                "first_local": series.first_at.astimezone(zone),
                "yours": _local_words(series, person),
                # The series' zone, named only to whoever lives in another one.
                "zone_named": "" if person.zone.key == zone.key else f" ({zone.key})",
                "skipped": skipped,
                "skipped_by": person_for(skipped_by, reader=person),
                # The date it calls off, in the meeting's zone named unless it is theirs.
                "skipped_when": _when_for(person, skipped.scheduled_at, series.time_zone)
                if skipped
                else "",
                "moved": moved,
                "moved_by": person_for(moved_by, reader=person),
                "moved_from_when": _when_for(person, moved_was, series.time_zone)
                if moved and moved_was
                else "",
                "moved_to_when": _when_for(person, moved.scheduled_at, series.time_zone)
                if moved
                else "",
                "move_reason": move_reason,
                "url": settings.SITE_URL + reverse("touchbases:job-current", args=[series.job_id]),
            },
            attachments=[attachment],
            data={"touchbase_series": series.pk, "sequence": series.sequence},
            needed_by=needed_by,
        )


def _when_for(person: User, value: dt.datetime, zone_name: str) -> str:
    """A meeting's time as `person` reads it in an email: in the meeting's own zone, named
    when it is not theirs."""
    with timezone.override(person.zone):
        return zoned_unless_viewers(value, zone_name)


def _local_words(series: TouchbaseSeries, person: User) -> str:
    """The first meeting on the person's own clock when it differs from the series': "09:00
    on Thursdays in America/New_York" (the weekday too, which a zone can change); ""
    otherwise."""
    theirs = series.first_at.astimezone(person.zone)
    meeting = series.first_at.astimezone(zone_or_utc(series.time_zone))
    if theirs.replace(tzinfo=None) == meeting.replace(tzinfo=None):
        return ""  # the same clock for them (UTC in a London winter)
    return f"{theirs:%H:%M} on {theirs:%A}s in {person.zone.key}"


def _next_start(series: TouchbaseSeries, after: dt.datetime) -> dt.datetime:
    return slot_after(
        weekday=series.weekday,
        at=series.start_time,
        zone=zone_or_utc(series.time_zone),
        after=after,
    )


def _materialise(series: TouchbaseSeries, starts_at: dt.datetime) -> Touchbase:
    """The meeting of the slot at `starts_at`, created if needed (one moved on its own from
    that slot is that meeting). A row the system skipped when the series ended (or the
    cadence moved away) is planned again: a job reopened within the week gets its next
    meeting back, at the time it was moved to if it was. A skip someone recorded by hand
    stays."""
    occurrence = Touchbase.objects.filter(series=series, moved_from=starts_at).first()
    created = False
    if occurrence is None:
        occurrence, created = Touchbase.objects.get_or_create(
            series=series,
            scheduled_at=starts_at,
            defaults={"job_id": series.job_id, "ends_at": starts_at + series.length},
        )
        if occurrence.moved_from is not None:
            # Moved from a slot of an older cadence to what is now a slot: it sits there.
            occurrence.moved_from, occurrence.moved_by, occurrence.move_reason = None, None, ""
            occurrence.save(update_fields=["moved_from", "moved_by", "move_reason"])
    if (
        not created
        and occurrence.status == TouchbaseStatus.SKIPPED
        and occurrence.skip_reason in AUTOMATIC_SKIPS
    ):
        occurrence.status, occurrence.skip_reason = TouchbaseStatus.PLANNED, ""
        occurrence.ends_at = occurrence.scheduled_at + series.length
        occurrence.save(update_fields=["status", "skip_reason", "ends_at"])
    return occurrence


def _changed(series: TouchbaseSeries, job: Job, cadence: tuple[int, dt.time, int, str]) -> bool:
    weekday, at, minutes, zone = cadence
    return (
        not series.active
        or (series.weekday, series.start_time, series.minutes, series.time_zone)
        != (weekday, at, minutes, zone)
        or (series.recruiter_id, series.hiring_manager_id)
        != (job.recruiter_id, job.hiring_manager_id)
    )


@transaction.atomic
def series_sync(
    *, job: Job, by: User | None = None, now: dt.datetime | None = None, notify: bool = True
) -> TouchbaseSeries | None:
    """Create or update the job's touch-base series from its agreed cadence.

    Called by the intake when a cadence comes into force, and by the "set up" button. A
    change moves the next planned meeting to the new slot, raises the calendar SEQUENCE and
    re-sends the invitation; a cadence removed cancels the series. Unchanged: nothing happens
    (safe to call on every save). Returns the series (None when there is none).
    """
    now = now or timezone.now()
    series = TouchbaseSeries.objects.select_for_update().filter(job=job).first()
    cadence = _cadence(job)
    if cadence is None:
        if series is not None and series.active:
            _series_stop(series, by=by, now=now, notify=notify)
        return series
    if series is not None and not _changed(series, job, cadence):
        _ensure_next(series, now)
        return series
    weekday, at, minutes, zone = cadence
    # Whoever leaves the series (a new recruiter or HM) gets a CANCEL of the same UID, or
    # the recurring event would stay in their calendar for ever.
    left = (
        []
        if series is None
        else [
            person
            for person in (series.recruiter, series.hiring_manager)
            if person.pk not in {job.recruiter_id, job.hiring_manager_id}
        ]
    )
    first_at = slot_after(weekday=weekday, at=at, zone=zone_or_utc(zone), after=now)
    # The meeting its people's calendars show next until the change reaches them.
    was_next = _next_start(series, now) if series is not None and series.active else None
    created = series is None
    if series is None:
        series = TouchbaseSeries(
            job=job, uid=f"touchbase-series-{job.pk}@closeloop", created_at=now
        )
    else:
        series.sequence += 1
    series.weekday, series.start_time, series.minutes, series.time_zone = weekday, at, minutes, zone
    series.recruiter_id, series.hiring_manager_id = job.recruiter_id, job.hiring_manager_id
    series.first_at, series.active, series.updated_at = first_at, True, now
    series.save()
    _reschedule_planned(series, now)
    what = "set up" if created else "changed"
    activity_record(
        kind=f"closeloop.touchbase.series_{'created' if created else 'changed'}",
        actor=by,
        job=job,
        at=now,
        summary=f"Touch-base {what}: {WEEKDAY_NAMES[weekday]}s {at:%H:%M} ({zone}), {minutes} min",
        data={"series": series.pk, "sequence": series.sequence},
        team_only=True,
    )
    if notify:
        needed_by = min(first_at, was_next or first_at)
        _invite(series, needed_by=needed_by)
        if left:
            _invite(series, cancelled=True, to=left, needed_by=needed_by)
    return series


def _reschedule_planned(series: TouchbaseSeries, now: dt.datetime) -> None:
    """Future planned meetings move to the new slot; the next one exists afterwards."""
    upcoming = list(
        Touchbase.objects.filter(
            series=series, status=TouchbaseStatus.PLANNED, scheduled_at__gt=now
        ).order_by("scheduled_at")
    )
    target = series.first_at
    occupied = (
        Touchbase.objects.filter(series=series)
        .filter(Q(scheduled_at=target) | Q(moved_from=target))
        .exists()
    )
    if upcoming and not occupied:
        # The planned meeting moves (with any notes already taken) to the new slot; moved on
        # its own from a slot the cadence left, it goes to the new slot too (the move is
        # dropped, as a skip of such a slot is dead).
        keep = upcoming[0]
        keep.scheduled_at, keep.ends_at = target, target + series.length
        keep.moved_from, keep.moved_by, keep.move_reason = None, None, ""
        keep.save(
            update_fields=["scheduled_at", "ends_at", "moved_from", "moved_by", "move_reason"]
        )
    else:
        # The slot already has a row (e.g. skipped when the series ended, or moved on its
        # own from that slot, which keeps its time): use it, with the length agreed now.
        keep = _materialise(series, target)
        if keep.is_planned and keep.ends_at != keep.scheduled_at + series.length:
            keep.ends_at = keep.scheduled_at + series.length
            keep.save(update_fields=["ends_at"])
    for row in upcoming:
        if row.pk == keep.pk:
            continue
        if row.notes or row.action_items.exists():
            row.status, row.skip_reason = TouchbaseStatus.SKIPPED, CADENCE_CHANGED
            row.save(update_fields=["status", "skip_reason"])
        else:
            row.delete()
    TouchbaseSeries.objects.filter(pk=series.pk).update(next_due_at=keep.ends_at)
    series.next_due_at = keep.ends_at


def _ensure_next(series: TouchbaseSeries, now: dt.datetime) -> None:
    """A series always has its next meeting as a row (the worker normally keeps it so)."""
    if series.next_due_at is not None and series.next_due_at > now:
        return
    if not Touchbase.objects.filter(series=series, scheduled_at__gt=now).exists():
        next_row = _materialise(series, _next_start(series, now))
        if series.next_due_at is None:
            TouchbaseSeries.objects.filter(pk=series.pk).update(next_due_at=next_row.ends_at)


def series_end_words(job: Job) -> str:
    """Why a job's series ended, for its cancellation and the timeline: the search ended
    (the job filled or closed), else the cadence was taken out of the agreement."""
    if job.has_ended:
        status = job.get_status_display().lower()
        return f"the job was {status}, so the meetings end with the search"
    return "no cadence is agreed any more"


def _series_stop(
    series: TouchbaseSeries, *, by: User | None, now: dt.datetime, notify: bool
) -> None:
    series.active, series.sequence, series.updated_at = False, series.sequence + 1, now
    series.next_due_at = None
    series.save(update_fields=["active", "sequence", "updated_at", "next_due_at"])
    for row in Touchbase.objects.filter(
        series=series, status=TouchbaseStatus.PLANNED, scheduled_at__gt=now
    ):
        row.status, row.skip_reason = TouchbaseStatus.SKIPPED, SERIES_ENDED
        row.save(update_fields=["status", "skip_reason"])
    # A meeting that ended unrecorded is not chased any more: no one will mark it now.
    # Open action items stay open on purpose when only the cadence went: they are
    # commitments, not meetings. A search that ended drops them (`action_items_end_with_job`).
    for subject in Ask.objects.filter(
        kind=HOLD_TOUCHBASE, job_id=series.job_id, status=AskStatus.OPEN
    ).values_list("subject", flat=True):
        ask_cancel(kind=HOLD_TOUCHBASE, subject=subject, reason="series ended")
    activity_record(
        kind="closeloop.touchbase.series_stopped",
        actor=by,
        job=series.job,
        at=now,
        summary=f"Touch-base series ended: {series_end_words(series.job)}",
        data={"series": series.pk},
        team_only=True,
    )
    if notify:
        _invite(series, cancelled=True)


def touchbases_resume_with_job(
    *, job: Job, by: User | None, now: dt.datetime | None = None
) -> TouchbaseSeries | None:
    """The search is on again (the job reopened): the agreed series comes back now, not on
    the worker's next loop (the job page the recruiter lands on would otherwise offer to set
    it up), and each past meeting left unrecorded is asked again of the recruiter. Closing
    cancelled those asks, as nobody is chased about a search that is over; with the search
    back, the meeting is still owed its record. Runs in `job_update`'s transaction (the
    `job_reopened` receiver)."""
    now = now or timezone.now()
    series = series_sync(job=job, by=by, now=now)
    if series is None or not series.active:
        return series
    unrecorded = Touchbase.objects.filter(
        series=series, status=TouchbaseStatus.PLANNED, ends_at__lte=now
    ).select_related("job__recruiter", "series")
    for touchbase in unrecorded:
        # Opened now, not when the meeting ended: the days the search was over are not
        # hers to answer for, and an ask dated back would escalate at once.
        _open_hold_ask(touchbase, opened_at=now)
    return series


def series_set_up(*, job: Job, by: User) -> TouchbaseSeries:
    """The job panel's button: the recruiting side sends the invitation, the HM receives it."""
    if not job_can_manage(user=by, job=job):
        raise PermissionDenied(
            "Only the job's recruiter, its coordinator or an admin sets up the touch-base."
        )
    if series_state(job=job, series=None) == SeriesState.ENDED:
        raise ValidationError(
            f"{job.title} is {job.get_status_display().lower()}: the touch-base series ended "
            "with the search. Reopen the job to meet again."
        )
    if _cadence(job) is None:
        raise ValidationError(
            "No touch-base cadence is agreed for this job yet: set the weekday and time in the "
            "intake agreement first."
        )
    series = series_sync(job=job, by=by)
    assert series is not None  # a cadence is agreed, so the sync keeps a series for it
    return series


# --- the worker steps ----------------------------------------------------------------------


def _jobs_out_of_sync() -> QuerySet[Job]:
    """Jobs whose series does not match their agreed cadence (or team, or status)."""
    live = Q(status__in=LIVE_JOB_STATUSES, touchbase_weekday__isnull=False) & Q(
        touchbase_time__isnull=False
    )
    differs = Q(
        touchbase_series__active=True,
        touchbase_series__weekday=F("touchbase_weekday"),
        touchbase_series__start_time=F("touchbase_time"),
        touchbase_series__minutes=F("touchbase_minutes"),
        touchbase_series__recruiter=F("recruiter"),
        touchbase_series__hiring_manager=F("hiring_manager"),
    )
    zone_differs = ~Q(touchbase_time_zone="") & ~Q(
        touchbase_series__time_zone=F("touchbase_time_zone")
    )
    out = (live & (Q(touchbase_series__isnull=True) | ~differs | zone_differs)) | (
        Q(touchbase_series__active=True) & ~live
    )
    return Job.objects.filter(out).select_related("recruiter", "hiring_manager")


SERIES_SYNC_STEP = "series_sync_due"
ADVANCE_STEP = "touchbases_advance"


def series_sync_due(*, now: dt.datetime | None = None, limit: int = 50) -> Swept:
    """Worker step: bring series in line with the cadence the intake agreed.

    The intake may call `series_sync` itself when an agreement comes into force; this step
    makes sure every agreed cadence (and every change, and every closed job) reaches the
    calendars within one worker loop whoever changed it. handled = series changed. A job
    whose sync raises is held back (closeloop.followups.sweep): it stays out of line a
    while, and the jobs after it are still synced.
    """
    now = now or timezone.now()
    jobs = (
        _jobs_out_of_sync()
        .exclude(pk__in=sweep_held(SERIES_SYNC_STEP, now=now))
        .order_by("pk")[:limit]
    )
    return sweep(
        SERIES_SYNC_STEP,
        jobs,
        lambda job: _series_sync_one(job, now),
        push_back=lambda job, error: sweep_hold_push(SERIES_SYNC_STEP, job.pk, error, now=now),
        row_id=lambda job: f"job {job.pk}",
    )


def _series_sync_one(job: Job, now: dt.datetime) -> int:
    """Sync one job's series; 1 when it changed."""
    was = list(TouchbaseSeries.objects.filter(job=job).values_list("sequence", flat=True))
    try:
        series = series_sync(job=job, now=now)
    except IntegrityError:
        if not TouchbaseSeries.objects.filter(job=job).exists():
            raise  # not the race below: a real failure, for the sweep to push back
        log.info("touch-base series of job %s was created by another worker", job.pk)
        return 0
    return int(series is not None and [series.sequence] != was)


def touchbases_advance(*, now: dt.datetime | None = None, limit: int = 200) -> Swept:
    """Worker step: for each series whose materialised meeting has ended, open the hold
    reminder for it (if it is still unrecorded) and create the next meeting.

    Claimed with "move next_due_at forward, then act" in one transaction: the conditional
    UPDATE on the value read lets exactly one worker act; SKIP LOCKED (PostgreSQL) keeps the
    others from queueing behind the row. handled = series advanced. A series that raises is
    held back (closeloop.followups.sweep) rather than given a later next_due_at: that value
    names the meeting that ended, whose hold reminder the retry must still open.
    """
    now = now or timezone.now()
    rows = (
        TouchbaseSeries.objects.filter(active=True, next_due_at__lte=now)
        .exclude(pk__in=sweep_held(ADVANCE_STEP, now=now))
        .order_by("next_due_at")
        .values_list("pk", "next_due_at")[:limit]
    )
    # The filter already excludes a null next_due_at; this says so to the type checker.
    due = [(pk, due_at) for pk, due_at in rows if due_at is not None]
    return sweep(
        ADVANCE_STEP,
        due,
        lambda row: _advance_one(pk=row[0], due_at=row[1], now=now),
        push_back=lambda row, error: sweep_hold_push(ADVANCE_STEP, row[0], error, now=now),
        row_id=lambda row: f"touch-base series {row[0]}",
    )


@transaction.atomic
def _advance_one(*, pk: int, due_at: dt.datetime, now: dt.datetime) -> int:
    # OF self: lock the series alone. Without it PostgreSQL also locks the joined job and
    # people, and SKIP LOCKED then passes over every other series sharing that recruiter or
    # hiring manager while this one is being advanced ("another worker has it": it has not).
    series = (
        TouchbaseSeries.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("job", "recruiter", "hiring_manager")
        .filter(pk=pk, active=True, next_due_at=due_at)
        .first()
    )
    if series is None:
        return 0  # another worker has it
    ended = Touchbase.objects.filter(series=series, ends_at=due_at).first()
    # The next meeting: the slot after the one that ended (after its slot, when it was moved
    # on its own), but never one already over (a worker that was off for weeks does not
    # create the missed ones).
    slot = ended.slot_at if ended is not None else due_at - series.length
    start = _next_start(series, max(slot, now - series.length))
    following = _materialise(series, start)
    claimed = TouchbaseSeries.objects.filter(pk=pk, next_due_at=due_at).update(
        next_due_at=following.ends_at
    )
    if claimed != 1:
        transaction.set_rollback(True)
        return 0
    if ended is not None and ended.is_planned:
        _open_hold_ask(ended)
    return 1


def _hold_subject(touchbase: Touchbase) -> str:
    return subject_key("touchbase", touchbase.pk)


def _meeting_day(touchbase: Touchbase) -> str:
    """The meeting's date as its series' time zone has it: "Thu 26 Nov"."""
    return f"{touchbase.scheduled_at.astimezone(zone_or_utc(touchbase.series.time_zone)):%a %d %b}"


def _open_hold_ask(touchbase: Touchbase, opened_at: dt.datetime | None = None) -> None:
    day = _meeting_day(touchbase)
    ask_open(
        kind=HOLD_TOUCHBASE,
        subject=_hold_subject(touchbase),
        title=f"Mark the {touchbase.job.title} touch-base of {day} held or skipped",
        owner=touchbase.job.recruiter,
        job=touchbase.job,
        opened_at=opened_at or touchbase.ends_at,
        facts={"meeting": day},
    )


# --- one meeting ---------------------------------------------------------------------------


def _require_edit(by: User, touchbase: Touchbase) -> None:
    if not touchbase_can_edit(user=by, job=touchbase.job):
        raise PermissionDenied(
            "Only the recruiter, the hiring manager or an admin runs this touch-base."
        )


# The code of the refusal of a save from a page older than the last save (the page then shows
# the notes saved meanwhile).
NOTES_SAVED_SINCE = "notes_saved_since"


def touchbase_notes_version(touchbase: Touchbase) -> str:
    """Which save of the notes a page shows (compared by `touchbase_notes_save`)."""
    saved = touchbase.notes_updated_at
    return saved.isoformat() if saved else ""


@transaction.atomic
def touchbase_notes_save(
    *, touchbase: Touchbase, by: User, notes: str, seen: str | None = None
) -> Touchbase:
    """Store the meeting's notes (plain text, autoescaped wherever shown).

    `seen`: the version of the notes the editor's page showed (`touchbase_notes_version`).
    When someone saved other notes since, nothing is saved: the last save would silently
    erase theirs. None skips the check."""
    _require_edit(by, touchbase)
    notes = notes.replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX:
        raise ValidationError({"notes": f"Notes are limited to {NOTES_MAX:,} characters."})
    touchbase = Touchbase.objects.select_for_update(of=("self",)).get(pk=touchbase.pk)
    if seen is not None and seen != touchbase_notes_version(touchbase) and notes != touchbase.notes:
        raise ValidationError(
            {
                "notes": ValidationError(
                    "The notes were saved again after you opened this page: what is saved "
                    "now is shown above yours. Put the two together and save again.",
                    code=NOTES_SAVED_SINCE,
                )
            }
        )
    touchbase.notes, touchbase.notes_updated_at = notes, timezone.now()
    touchbase.notes_updated_by = by
    touchbase.save(update_fields=["notes", "notes_updated_at", "notes_updated_by"])
    return touchbase


@transaction.atomic
def touchbase_hold(*, touchbase: Touchbase, by: User, now: dt.datetime | None = None) -> Touchbase:
    """Mark the meeting held: snapshot the agenda as it stands (as of its end, when that is
    past) and close the hold reminder."""
    _require_edit(by, touchbase)
    now = now or timezone.now()
    # The series first, then the meeting: the order `touchbase_skip`, `series_sync` and the
    # worker lock them in.
    series = TouchbaseSeries.objects.select_for_update().get(pk=touchbase.series_id)
    touchbase = (
        Touchbase.objects.select_for_update(of=("self",))
        .select_related("job", "series")
        .get(pk=touchbase.pk)
    )
    refusal = touchbase_hold_refusal(touchbase=touchbase, now=now)
    if refusal:
        raise ValidationError(refusal)
    # The agenda of the meeting, not of the day it was marked: one marked held late (days
    # later) is kept as of its end, without what came in since (its own "mark it held"
    # reminder included); `kept_at` says when it was marked, for the page.
    as_of = touchbase.ends_at if touchbase.held_late(now) else now
    # Its lines' times ("waiting 3 days since Mon 30 Nov 10:45") are kept as text: in the
    # meeting's zone, which the page names to a reader in another, not in whoever marked it.
    zone = zone_or_utc(series.time_zone)
    with timezone.override(zone):
        agenda = agenda_build(touchbase=touchbase, now=as_of, past=as_of < now)
    touchbase.agenda = {**agenda, "kept_at": now.isoformat(), "zone": zone.key}
    touchbase.status, touchbase.held_at, touchbase.held_by = TouchbaseStatus.HELD, now, by
    touchbase.save(update_fields=["agenda", "status", "held_at", "held_by"])
    ask_close(kind=HOLD_TOUCHBASE, subject=_hold_subject(touchbase), by=by, at=now)
    open_items = touchbase.action_items.filter(status=ActionItemStatus.OPEN).count()
    activity_record(
        kind="closeloop.touchbase.held",
        actor=by,
        job=touchbase.job,
        at=now,
        summary=f"{by} marked the touch-base held ({open_items} open action item"
        f"{'s' if open_items != 1 else ''})",
        data={"touchbase": touchbase.pk},
        team_only=True,
    )
    # Held before it ended (allowed from 12 hours before it starts): the next meeting is
    # made now, so its open items have an agenda and the pages a meeting to point to.
    _next_after(series, touchbase, now=now)
    return touchbase


@transaction.atomic
def touchbase_skip(*, touchbase: Touchbase, by: User, reason: str) -> Touchbase:
    """Record that the meeting did not take place (its open items carry over as they are)."""
    _require_edit(by, touchbase)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why it was skipped, so the history reads right."})
    # The series first, then the meeting: the order `series_sync` and the worker lock them
    # in, so a skip racing a cadence change waits rather than deadlocks.
    series = TouchbaseSeries.objects.select_for_update().get(pk=touchbase.series_id)
    touchbase = (
        Touchbase.objects.select_for_update(of=("self",)).select_related("job").get(pk=touchbase.pk)
    )
    if touchbase.status != TouchbaseStatus.PLANNED:
        raise ValidationError(
            f"This touch-base is already {touchbase.get_status_display().lower()}."
        )
    touchbase.status, touchbase.skip_reason = TouchbaseStatus.SKIPPED, reason[:300]
    touchbase.save(update_fields=["status", "skip_reason"])
    ask_close(kind=HOLD_TOUCHBASE, subject=_hold_subject(touchbase), by=by, via="skipped")
    activity_record(
        kind="closeloop.touchbase.skipped",
        actor=by,
        job=touchbase.job,
        summary=f"{by} skipped the touch-base: {touchbase.skip_reason}",
        data={"touchbase": touchbase.pk},
        team_only=True,
    )
    _next_after_skip(series, touchbase, by=by, now=timezone.now())
    return touchbase


MOVE_REASON_MAX = 300


@transaction.atomic
def touchbase_move(
    *,
    touchbase: Touchbase,
    by: User,
    starts_at: dt.datetime,
    reason: str = "",
    confirmed: bool = False,
    now: dt.datetime | None = None,
) -> Touchbase:
    """Move one meeting still ahead to another time, the series unchanged (an offsite
    week): by whoever may skip it. Refused, changing nothing, for a time past, one that
    overlaps or passes another meeting of the series (`touchbase_move_problem`); a time
    outside the working hours of either side is refused until `confirmed`
    (`touchbase_move_warning`, code `MOVE_NEEDS_CONFIRMING`).

    The meeting keeps its length, notes and action items; its agenda, the worker's mark
    (its "mark it held" reminder opens when it ends) and the page follow its time. Calendars
    get the series again (a higher SEQUENCE) with the meeting as an override of its slot
    (RECURRENCE-ID), and both sides the email saying who moved it, from when to when and
    why. Moved back to its slot, it is an ordinary meeting again."""
    _require_edit(by, touchbase)
    now = now or timezone.now()
    reason = " ".join((reason or "").split())[:MOVE_REASON_MAX]
    # The series first, then the meeting: the order `touchbase_skip` locks them in.
    series = (
        TouchbaseSeries.objects.select_for_update(of=("self",))
        .select_related("job", "recruiter", "hiring_manager")
        .get(pk=touchbase.series_id)
    )
    touchbase = (
        Touchbase.objects.select_for_update(of=("self",)).select_related("job").get(pk=touchbase.pk)
    )
    touchbase.series = series
    if refusal := touchbase_move_refusal(touchbase=touchbase, now=now):
        raise ValidationError(refusal)  # the meeting's, not the time's: said above the page
    if problem := touchbase_move_problem(touchbase=touchbase, starts_at=starts_at, now=now):
        raise ValidationError({"starts_at": problem})
    warning = touchbase_move_warning(touchbase=touchbase, starts_at=starts_at)
    if warning and not confirmed:
        raise ValidationError({"confirmed": ValidationError(warning, code=MOVE_NEEDS_CONFIRMING)})
    was, length = touchbase.scheduled_at, touchbase.ends_at - touchbase.scheduled_at
    was_ends = touchbase.ends_at
    slot = touchbase.slot_at
    back = starts_at == slot
    touchbase.scheduled_at, touchbase.ends_at = starts_at, starts_at + length
    touchbase.moved_from = None if back else slot
    touchbase.moved_by = None if back else by
    touchbase.move_reason = "" if back else reason
    touchbase.save(
        update_fields=["scheduled_at", "ends_at", "moved_from", "moved_by", "move_reason"]
    )
    # The worker acts when the meeting ends (its "mark it held" reminder, the next one):
    # its mark follows the meeting; a mark already past it (held early) stays.
    if TouchbaseSeries.objects.filter(pk=series.pk, next_due_at=was_ends).update(
        next_due_at=touchbase.ends_at
    ):
        series.next_due_at = touchbase.ends_at
    series.sequence, series.updated_at = series.sequence + 1, now
    series.save(update_fields=["sequence", "updated_at"])
    zone = series.time_zone
    with timezone.override(zone_or_utc(zone)):
        words = f"from {zoned_unless_viewers(was, zone)} to {zoned_unless_viewers(starts_at, zone)}"
    activity_record(
        kind="closeloop.touchbase.moved",
        actor=by,
        job=touchbase.job,
        at=now,
        summary=f"{by} moved the touch-base {words}" + (f": {reason}" if reason else ""),
        data={"touchbase": touchbase.pk, "from": was.isoformat(), "to": starts_at.isoformat()},
        team_only=True,
    )
    _invite(series, moved=touchbase, moved_by=by, moved_was=was, move_reason=reason)
    return touchbase


def _next_after(series: TouchbaseSeries, recorded: Touchbase, *, now: dt.datetime) -> None:
    """The series goes on past a meeting recorded held or skipped: when it was the last one
    planned, the next slot is made now (not when the recorded one ends), so the job page,
    the invitation's link, the profile and the carried action items have a meeting to point
    to."""
    if not series.active:
        return
    later = Touchbase.objects.filter(series=series, scheduled_at__gt=recorded.scheduled_at)
    if later.filter(status=TouchbaseStatus.PLANNED).exists():
        return
    # A later meeting skipped before the cadence moved away from it is dead: the next slot
    # is not pushed past it (a Thursday skipped does not swallow the Tuesday before it).
    # Slots, not times: a meeting moved on its own counts at the slot it was moved from.
    starts = [moved or start for start, moved in later.values_list("scheduled_at", "moved_from")]
    last = max((start for start in starts if series_occurs_at(series, start)), default=None)
    after = max(last or recorded.slot_at, now - series.length)
    following = _materialise(series, _next_start(series, after))
    # The worker's mark moves past the recorded meeting (nothing to chase for it); the
    # conditional UPDATE leaves a mark the worker already moved on alone.
    if TouchbaseSeries.objects.filter(pk=series.pk, next_due_at=recorded.ends_at).update(
        next_due_at=following.ends_at
    ):
        series.next_due_at = following.ends_at


def _next_after_skip(
    series: TouchbaseSeries, skipped: Touchbase, *, by: User, now: dt.datetime
) -> None:
    """`_next_after`, and the calendars get the series again without the skipped date
    (EXDATE, a higher SEQUENCE)."""
    if not series.active:
        return
    _next_after(series, skipped, now=now)
    if skipped.ends_at <= now:
        return  # over already: no calendar still shows it as coming
    series.sequence, series.updated_at = series.sequence + 1, now
    series.save(update_fields=["sequence", "updated_at"])
    _invite(series, skipped=skipped, skipped_by=by)


# --- action items --------------------------------------------------------------------------


def _check_item(touchbase: Touchbase, description: str, owner: User, due_on: dt.date) -> str:
    errors: dict[str, str] = {}
    description = " ".join((description or "").split())
    if not description:
        errors["description"] = "Say what needs doing."
    elif len(description) > 300:
        errors["description"] = "Keep it under 300 characters; details go in the notes."
    if owner.pk not in {p.pk for p in action_item_owner_choices(job=touchbase.job)}:
        errors["owner"] = "Choose someone on this job's hiring team."
    today = timezone.now().astimezone(zone_or_utc(owner.time_zone)).date()
    if due_on < today:
        errors["due_on"] = "The due date is in the past."
    elif due_on > today + dt.timedelta(days=ACTION_ITEM_HORIZON_DAYS):
        errors["due_on"] = "Choose a date within a year."
    if errors:
        raise ValidationError(errors)
    return description


@transaction.atomic
def action_item_add(
    *, touchbase: Touchbase, by: User, description: str, owner: User, due_on: dt.date
) -> ActionItem:
    """Agree an action item: it opens an action_item ask for its owner, due on that date."""
    _require_edit(by, touchbase)
    # The job row locked, so a close committing meanwhile cannot leave an item it never saw.
    job = Job.objects.select_for_update().get(pk=touchbase.job_id)
    if refusal := action_item_add_refusal(job=job):
        raise ValidationError(refusal)
    description = _check_item(touchbase, description, owner, due_on)
    now = timezone.now()
    # The end of the owner's working day on that date (their next one if it is a day off).
    due_at = ask_due_at(
        kind="action_item", owner=owner, opened_at=now, job=touchbase.job, due_on=due_on
    )
    item = ActionItem.objects.create(
        touchbase=touchbase,
        job=touchbase.job,
        description=description,
        owner=owner,
        due_on=due_on,
        due_at=due_at,
        created_by=by,
        created_at=now,
    )
    ask = ask_open(
        kind="action_item",
        subject=item.subject,
        title=f"{description} ({touchbase.job.title})",
        owner=owner,
        job=touchbase.job,
        requested_by=by,
        opened_at=now,
        due_on=due_on,
        facts={"item": description, "meeting": _meeting_day(touchbase)},
    )
    activity_record(
        kind="closeloop.touchbase.action_item_added",
        actor=by,
        job=touchbase.job,
        at=now,
        summary=f"Action item for {owner}: {description} (due {due_on:%a %d %b})",
        data={"action_item": item.pk, "touchbase": touchbase.pk},
        team_only=True,
    )
    # An owner who is away: the follow-up engine gave the ask to whoever covers for them,
    # who is the one to tell (the owner hears nothing while away).
    holder = ask.owner if ask is not None and ask.owner_id != owner.pk else None
    if (holder or owner).pk != by.pk:
        _tell_owner(item, by, holder=holder)
    return item


@transaction.atomic
def action_item_edit(
    *,
    item: ActionItem,
    by: User,
    description: str | None = None,
    owner: User | None = None,
    due_on: dt.date | None = None,
) -> ActionItem:
    """Change an open item's what, who or when; None leaves that one as it was. Checked as
    when it was added (a new date only: one agreed before may be past by now); refused, it
    changes nothing. A new owner or date moves its ask (opened again for the new owner, due
    at the end of their working day on that date) and a new owner is told it was handed to
    them, the previous one (and whoever held it for them) that it is no longer theirs; a new
    text renames the ask in place. A change that changes nothing writes nothing."""
    item = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("job", "touchbase__job", "owner")
        .get(pk=item.pk)
    )
    # Checked on the row as it is now: handed to someone else meanwhile, it is theirs.
    if not action_item_can_edit(user=by, item=item):
        raise PermissionDenied(
            "Only the item's owner and the job's recruiter and hiring manager can change it."
        )
    if item.status != ActionItemStatus.OPEN:
        raise ValidationError("This action item is closed: it can no longer be changed.")
    new_owner = owner or item.owner
    errors: dict[str, str] = {}
    try:
        # A date left as it was (not sent, or sent as it stands) is not checked again: an
        # item may be overdue now, and its page sends its date with every change.
        today = timezone.now().astimezone(zone_or_utc(new_owner.time_zone)).date()
        new_date = due_on is not None and due_on != item.due_on
        checked = _check_item(
            item.touchbase,
            item.description if description is None else description,
            new_owner,
            due_on if new_date and due_on is not None else today,
        )
    except ValidationError as error:
        errors = {key: " ".join(value) for key, value in error.message_dict.items()}
    if owner is None or owner.pk == item.owner_id:
        errors.pop("owner", None)  # someone who has since left the team keeps their item
    if errors:
        raise ValidationError(errors)
    old_description, old_owner = item.description, item.owner
    new_hands = new_owner.pk != item.owner_id
    old_holder = action_item_holder(item=item) if new_hands else None  # read while it is open
    moved = new_hands or (due_on is not None and due_on != item.due_on)
    if checked == old_description and not moved:
        return item
    now = timezone.now()
    item.description, item.owner = checked, new_owner
    if due_on is not None:
        item.due_on = due_on
    job = item.job
    if moved:
        item.due_at = ask_due_at(
            kind="action_item", owner=new_owner, opened_at=now, job=job, due_on=item.due_on
        )
    item.save(update_fields=["description", "owner", "due_on", "due_at"])
    holder = None
    if moved:
        ask_cancel(kind="action_item", subject=item.subject, reason="the action item changed")
        ask = ask_open(
            kind="action_item",
            subject=item.subject,
            title=f"{checked} ({job.title})",
            owner=new_owner,
            job=job,
            requested_by=by,
            opened_at=now,
            due_on=item.due_on,
            facts={"item": checked, "meeting": _meeting_day(item.touchbase)},
        )
        holder = ask.owner if ask is not None and ask.owner_id != new_owner.pk else None
    elif checked != old_description:
        asks_rename(
            asks=Ask.objects.filter(kind="action_item", subject=item.subject),
            old=old_description,
            new=checked,
        )
    activity_record(
        kind="closeloop.touchbase.action_item_edited",
        actor=by,
        job=job,
        at=now,
        summary=f"{by} changed an action item for {new_owner}: {checked} "
        f"(due {item.due_on:%a %d %b})",
        data={"action_item": item.pk},
        team_only=True,
    )
    if new_hands:
        told = holder or new_owner
        if told.pk != by.pk:  # the new owner (or their cover) hears it was handed to them
            _tell_owner(item, by, holder=holder, handed_from=old_owner)
        _tell_handed_over(item, by, owner=old_owner, holder=old_holder, told=told)
    return item


def _handed_from_words(handed_from: User, *, by: User, reader: User) -> str:
    """Whose the item was, for the new owner's notice: "Hank Hill's", "theirs" (it was
    the one who handed it over's), "yours"."""
    if handed_from.pk == reader.pk:
        return "yours"
    if handed_from.pk == by.pk:
        return "theirs"
    return f"{person_for(handed_from, reader=reader)}'s"


def _tell_owner(
    item: ActionItem, by: User, *, holder: User | None = None, handed_from: User | None = None
) -> None:
    """The notice of a new item, to its owner, or to `holder`, who holds its ask for an
    owner who is away (saying for whom); `handed_from`: it was that person's until now (an
    edit gave it to a new owner), said as a hand-over."""
    recipient = holder or item.owner
    handed = _handed_from_words(handed_from, by=by, reader=recipient) if handed_from else ""
    message_queue(
        recipient=recipient,
        template=ACTION_ITEM_TEMPLATE,
        channel=recipient.notify_channel,
        context={
            "recipient": recipient,
            "item": item,
            "held_for": item.owner if holder else None,
            "covering": covering_words(item.owner, recipient) if holder else "",
            "handed_from": handed,
            # When it is due in the queue and reminders, in the reader's own time: the end
            # of the owner's working day, their next one when the agreed day is a day off.
            "due_local": item.due_at.astimezone(recipient.zone).replace(tzinfo=None),
            "whose_day": f"{item.owner.short_name}'s" if holder else "your",
            "moved_from": action_item_due_day(item=item)[1],
            "by": by,
            "job": item.job,
            "url": settings.SITE_URL + reverse("touchbases:action-item", args=[item.pk]),
        },
        data={"action_item": item.pk},
    )


def _told_once(*people: User | None, leaving_out: tuple[User, ...]) -> list[User]:
    """Whom an action item's news goes to: each active person once, in order, not those
    `leaving_out` (whoever acted, whoever was told already)."""
    skip = {person.pk for person in leaving_out}
    found: dict[int, User] = {}
    for person in people:
        if person is not None and person.is_active and person.pk not in skip:
            found.setdefault(person.pk, person)
    return list(found.values())


def _tell_handed_over(
    item: ActionItem, by: User, *, owner: User, holder: User | None, told: User
) -> None:
    """One short email to the previous owner of an item handed to someone else, and to
    whoever held it for them while they were away: it is no longer theirs. Not to whoever
    handed it over, nor to whoever just got it."""
    for person in _told_once(owner, holder, leaving_out=(by, told)):
        message_queue(
            recipient=person,
            template=ACTION_ITEM_HANDED_OVER_TEMPLATE,
            channel=person.notify_channel,
            context={
                "recipient": person,
                "item": item,
                "by": by,
                "job": item.job,
                "new_owner": person_for(item.owner, reader=person),
                "took": item.owner_id == by.pk,
                "held_for": owner if person.pk != owner.pk else None,
            },
            data={"action_item": item.pk},
        )


@transaction.atomic
def action_item_done(*, item: ActionItem, by: User, via: str = "app") -> ActionItem:
    """Mark the item done and close its ask (the owner answered)."""
    if not action_item_can_finish(user=by, item=item):
        raise PermissionDenied("Only the item's owner or whoever runs the touch-base can close it.")
    item = ActionItem.objects.select_for_update(of=("self",)).select_related("job").get(pk=item.pk)
    if item.status != ActionItemStatus.OPEN:
        raise ValidationError("This action item is already closed.")
    now = timezone.now()
    item.status, item.done_at, item.done_by = ActionItemStatus.DONE, now, by
    item.save(update_fields=["status", "done_at", "done_by"])
    ask_close(kind="action_item", subject=item.subject, by=by, via=via, at=now)
    activity_record(
        kind="closeloop.touchbase.action_item_done",
        actor=by,
        job=item.job,
        at=now,
        summary=f"{by} finished: {item.description}",
        data={"action_item": item.pk},
        team_only=True,
    )
    return item


@transaction.atomic
def action_item_drop(*, item: ActionItem, by: User, reason: str) -> ActionItem:
    """Drop an item that no longer matters (stops the reminders; stays in the history).

    A reason is required, as a snooze's is: a commitment made to the other side does not
    end silently. The other side is told, and the next agenda shows it ("Dropped by Hank
    Manager: …")."""
    if not touchbase_can_edit(user=by, job=item.job):
        raise PermissionDenied("Only whoever runs the touch-base can drop an action item.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why it is dropped: the other side reads it."})
    item = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("job__recruiter", "job__hiring_manager", "owner")
        .get(pk=item.pk)
    )
    if item.status != ActionItemStatus.OPEN:
        raise ValidationError("This action item is already closed.")
    item.status, item.done_at, item.done_by = ActionItemStatus.CANCELLED, timezone.now(), by
    item.drop_reason = reason[:300]
    item.save(update_fields=["status", "done_at", "done_by", "drop_reason"])
    holder = action_item_holder(item=item)  # read while its ask is open
    ask_cancel(kind="action_item", subject=item.subject, reason=f"dropped: {item.drop_reason}")
    activity_record(
        kind="closeloop.touchbase.action_item_dropped",
        actor=by,
        job=item.job,
        summary=f"{by} dropped: {item.description} ({item.drop_reason})",
        data={"action_item": item.pk},
        team_only=True,
    )
    _tell_dropped(item, by, holder=holder)
    return item


def _tell_dropped(item: ActionItem, by: User, *, holder: User | None) -> None:
    """The owner and both sides of the meeting hear of a drop they did not make, and whoever
    held the item for an owner who is away (their reminders stop)."""
    job = item.job
    for person in _told_once(
        item.owner, holder, job.recruiter, job.hiring_manager, leaving_out=(by,)
    ):
        message_queue(
            recipient=person,
            template=ACTION_ITEM_DROPPED_TEMPLATE,
            channel=person.notify_channel,
            context={
                "recipient": person,
                "item": item,
                "by": by,
                "job": job,
                "owner": person_for(item.owner, reader=person),
                "url": settings.SITE_URL + reverse("touchbases:action-item", args=[item.pk]),
            },
            data={"action_item": item.pk},
        )


def action_items_end_with_job(*, job: Job, by: User | None) -> int:
    """The search ended (the job filled or closed): its open action items are dropped with
    it, saying why, so nobody is chased about a search that is over and no queue keeps them.
    They stay dropped if the job is reopened, as its closed candidates stay closed. Runs in
    `job_update`'s transaction (the `job_closed` receiver). Returns how many were dropped."""
    why = f"the job was {job.get_status_display().lower()}"
    now = timezone.now()
    items = list(
        ActionItem.objects.select_for_update(of=("self",))
        .filter(job=job, status=ActionItemStatus.OPEN)
        .order_by("pk")
    )
    for item in items:
        item.status, item.done_at, item.done_by = ActionItemStatus.CANCELLED, now, by
        item.dropped_because = why
        item.save(update_fields=["status", "done_at", "done_by", "dropped_because"])
        ask_cancel(kind="action_item", subject=item.subject, reason=why)
        activity_record(
            kind="closeloop.touchbase.action_item_dropped",
            actor=by,
            job=job,
            at=now,
            summary=f"Dropped with the search ({why}): {item.description}",
            data={"action_item": item.pk, "because": "job_ended"},
            team_only=True,
        )
    return len(items)


def action_items_follow_calendar(*, person: User) -> int:
    """`person`'s working calendar changed: each open item they own is due at the end of
    their working day on its date in the new calendar, as its ask is (followups re-times the
    ask; this keeps the item's own due time, which its page and the agenda read, the same)."""
    items = list(
        ActionItem.objects.select_for_update(of=("self",))
        .filter(owner=person, status=ActionItemStatus.OPEN)
        .select_related("job")
    )
    for item in items:
        item.due_at = ask_due_at(
            kind="action_item", owner=person, opened_at=item.created_at, job=item.job,
            due_on=item.due_on,
        )  # fmt: skip
    ActionItem.objects.bulk_update(items, ["due_at"])
    return len(items)
