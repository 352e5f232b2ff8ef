"""Touch-bases (the weekly recruiter–HM meeting), their action items, and weekly updates.

A job has at most one touch-base series, made from the cadence its intake agreed (weekday,
time, length, time zone). Occurrences are materialised one at a time: the series keeps the
next one as a row, and the worker creates the following one when that meeting has ended, so
a series never holds an endless tail of future rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from closeloop.followups.subjects import subject_key


class TouchbaseSeries(models.Model):
    """The recurring meeting of one job's recruiter and hiring manager.

    `uid` and `sequence` are the calendar identity: every change to the cadence sends the
    same UID with a higher SEQUENCE, so calendars move the series instead of adding one.
    `next_due_at` is when the worker must next act (the end of the materialised occurrence):
    it is moved forward with a conditional UPDATE before acting, so two workers never both do.
    """

    job = models.OneToOneField(
        "jobs.Job", on_delete=models.CASCADE, related_name="touchbase_series"
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday.")
    start_time = models.TimeField()
    minutes = models.PositiveSmallIntegerField(default=30)
    time_zone = models.CharField(max_length=64, default="UTC")
    first_at = models.DateTimeField(help_text="Start of the first meeting (the event's DTSTART).")
    uid = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "touch-base series"
        indexes = [
            models.Index(
                fields=["next_due_at"],
                name="tb_series_due_idx",
                condition=models.Q(active=True, next_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Touch-base: {self.job}"

    @property
    def length(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.minutes)

    @property
    def next_starts_at(self) -> dt.datetime | None:
        """Start of the materialised next meeting (it ends at `next_due_at`)."""
        return self.next_due_at - self.length if self.next_due_at else None


class TouchbaseStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    SKIPPED = "skipped", "Skipped"


# Skips the system made (not a person): the slot comes back when the series does, and
# calendars keep the date (a skip someone recorded takes it out: EXDATE).
SERIES_ENDED = "The touch-base series ended."
CADENCE_CHANGED = "The cadence changed."
AUTOMATIC_SKIPS = (SERIES_ENDED, CADENCE_CHANGED)
# Marked held within this long of its end (the usual: right after the meeting, or that
# evening), a meeting's agenda is kept as it stands then; later, as it stood at the end,
# without what came in since.
HELD_LATE_AFTER = dt.timedelta(hours=12)


class Touchbase(models.Model):
    """One meeting of a series: its notes, and the agenda as it stood when it was held."""

    series = models.ForeignKey(
        TouchbaseSeries, on_delete=models.CASCADE, related_name="occurrences"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="touchbases")
    scheduled_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=TouchbaseStatus.choices, default=TouchbaseStatus.PLANNED
    )
    notes = models.TextField(blank=True)
    # The agenda built from the pipeline at the moment the meeting was marked held; pages of a
    # held meeting render this snapshot, so history shows what was actually discussed.
    agenda = models.JSONField(default=dict, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skip_reason = models.CharField(max_length=300, blank=True)
    # Moved on its own (the series unchanged): the start of the weekly slot it was moved
    # from, which calendars name as its RECURRENCE-ID; empty while it is at its slot.
    moved_from = models.DateTimeField(null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    move_reason = models.CharField(max_length=300, blank=True)
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    # Who saved them last (`touchbase_notes_save`); empty for notes from before it was kept.
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-scheduled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "scheduled_at"], name="touchbase_once_per_slot"
            ),
        ]
        indexes = [models.Index(fields=["job", "scheduled_at"])]

    def __str__(self) -> str:
        return f"Touch-base for {self.job} on {self.scheduled_at:%Y-%m-%d}"

    @property
    def is_planned(self) -> bool:
        return self.status == TouchbaseStatus.PLANNED

    @property
    def slot_at(self) -> dt.datetime:
        """The start of its weekly slot: where the series puts it, moved or not."""
        return self.moved_from or self.scheduled_at

    def held_late(self, at: dt.datetime) -> bool:
        """Whether marking it held at `at` is late: its agenda is then kept as of its end."""
        return at > self.ends_at + HELD_LATE_AFTER

    @property
    def skipped_by_hand(self) -> bool:
        return self.status == TouchbaseStatus.SKIPPED and self.skip_reason not in AUTOMATIC_SKIPS


class ActionItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Dropped"


class ActionItem(models.Model):
    """Something agreed in a touch-base: who does what by when. Each one is an action_item ask.

    Open items carry over to every later agenda of the job until they are done.
    """

    touchbase = models.ForeignKey(Touchbase, on_delete=models.CASCADE, related_name="action_items")
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items"
    )
    due_on = models.DateField()
    due_at = models.DateTimeField(help_text="The end of the owner's working day on due_on.")
    status = models.CharField(
        max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why a dropped item was dropped when no one chose to drop it: the job was filled or
    # closed (empty for an item someone dropped by hand).
    dropped_because = models.CharField(max_length=120, blank=True)
    # Why someone dropped it by hand, as they said it: the other side reads it on the agenda.
    drop_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["job", "status"])]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status == ActionItemStatus.OPEN

    @property
    def subject(self) -> str:
        return subject_key("action", self.pk)

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return self.is_open and (now or timezone.now()) >= self.due_at


class WeeklyUpdateSchedule(models.Model):
    """When one person gets their weekly update (default Monday 08:00 in their time zone).

    The worker claims a due row by moving `next_run_at` to the following week with a
    conditional UPDATE on the value it read, then builds and queues the email in the same
    transaction: only the worker whose UPDATE changed the row sends.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_update_schedule"
    )
    enabled = models.BooleanField(default=True)
    weekday = models.PositiveSmallIntegerField(default=0, help_text="0 = Monday.")
    send_time = models.TimeField(default=dt.time(8, 0))
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_run_at"],
                name="weekly_update_due_idx",
                condition=models.Q(enabled=True, next_run_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Weekly update for {self.person}"
