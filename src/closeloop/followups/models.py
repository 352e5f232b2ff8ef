"""The follow-up engine's tables. The worker's heartbeat lives here from the start."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from closeloop.lib.models import AppendOnlyModel


class WorkerHeartbeat(models.Model):
    """One row per worker process, touched every loop; the health page reads its age."""

    name = models.CharField(max_length=120, unique=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)
    loops = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.name} (pid {self.pid})"


class SweepHold(models.Model):
    """A row a worker step failed on, held back until `retry_at` (see closeloop.lib.sweep).

    For steps whose rows have no next-run time of their own (an ended interview, a job whose
    touch-base series is out of line): without the hold, the row would be tried again on
    every loop, and a batch full of such rows would block every row behind it.
    """

    step = models.CharField(max_length=60)
    row_id = models.BigIntegerField()
    failures = models.PositiveIntegerField(default=1)
    retry_at = models.DateTimeField()
    failed_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["step", "retry_at"]
        constraints = [
            models.UniqueConstraint(fields=["step", "row_id"], name="sweep_hold_once_per_row")
        ]
        indexes = [models.Index(fields=["step", "retry_at"], name="sweep_hold_step_retry_idx")]

    def __str__(self) -> str:
        return f"{self.step} row {self.row_id} held until {self.retry_at:%Y-%m-%d %H:%M}"


class AskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Answered"
    CANCELLED = "cancelled", "No longer needed"


class Ask(models.Model):
    """Who owes what to whom, by when: the unit the follow-up engine chases.

    `subject` names the thing the ask is about ("submission:12", built and read only by
    `followups.subjects`); at most one open ask exists per kind and subject, so opening
    twice is harmless. The ladder position is `steps_done` with `next_nudge_at` the time of
    the next rung (empty when the ladder is finished).

    See docs/architecture.md#the-follow-up-engine.
    """

    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="asks_owed")
    # When the owner was out of office and a delegate took the ask over.
    original_owner = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asks_requested",
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="asks"
    )
    application = models.ForeignKey(
        "pipeline.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="asks",
    )
    # The stage the candidate was in when the ask opened: where they waited, for the
    # bottleneck finder's sums over a period (the application moves on; this does not).
    stage = models.ForeignKey(
        "jobs.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    status = models.CharField(max_length=16, choices=AskStatus.choices, default=AskStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    next_nudge_at = models.DateTimeField(null=True, blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    level = models.PositiveSmallIntegerField(
        default=0, help_text="0: owner only; 1: escalation contact too; 2: admin too."
    )
    policy = models.JSONField(default=dict, help_text="The service level this ask runs under.")

    snoozed_until = models.DateTimeField(null=True, blank=True)
    snooze_reason = models.CharField(max_length=300, blank=True)
    # On hold (services.ask_hold): the owner waits on someone else, so the ladder stops and
    # the SLA clock with it (`next_nudge_at` is empty); resuming moves the due time and the
    # remaining rungs later by the business time held, which `held_seconds` adds up.
    # `held_for`: whose answer it waits for, a person rather than a sentence, so each page
    # words it for its reader ("waiting for your answer" to her, "Rita's answer" to others).
    held_at = models.DateTimeField(null=True, blank=True)
    held_for = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_seconds = models.PositiveIntegerField(default=0)

    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_via = models.CharField(max_length=40, blank=True)
    # Working seconds from opening to answer, in the owner's calendar: responsiveness data.
    response_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=models.Q(status="open"),
                name="ask_one_open_per_subject",
            ),
        ]
        indexes = [
            # The sweep reads only open asks whose next rung is due: its cost follows the
            # number due, not the number open.
            models.Index(
                fields=["next_nudge_at"],
                name="ask_next_nudge_idx",
                condition=models.Q(status="open", next_nudge_at__isnull=False),
            ),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["job", "status"]),
            # What someone owes, most urgent first (My queue's "Follow-ups you owe" and its
            # pages): read in due order until a page is full, not all of a busy person's open
            # asks sorted (the busy recruiter's 3,371 at 100,000 candidates: 29 → 10 ms).
            models.Index(
                fields=["owner", "due_at", "id"],
                name="ask_open_by_owner_due_idx",
                condition=models.Q(status="open"),
            ),
            # The queues' clock reads, per waiting candidate, the first open ask its move's
            # owner owes on it: a few rows of one application, not the owner's hundreds.
            models.Index(
                fields=["application", "opened_at"],
                name="ask_open_by_application_idx",
                condition=models.Q(status="open"),
            ),
            # The asks handed to a delegate while their owner is away: the queues ask, for every
            # candidate waiting on someone, whether its move went to a delegate. A few rows,
            # read (or hashed) whole instead of every open ask.
            models.Index(
                fields=["application", "original_owner", "owner"],
                name="ask_handed_over_idx",
                condition=models.Q(status="open", original_owner__isnull=False),
            ),
            # The insights read closed asks by when they were closed, a period at a time.
            # The columns they sum are part of the index (SQLite has no INCLUDE), so a year
            # of a large organisation's answers is read from the index alone on both
            # databases; "closed_at IS NOT NULL" is a condition SQLite sees implied by any
            # range on closed_at (a status list is not).
            models.Index(
                fields=[
                    "closed_at",
                    "status",
                    "owner",
                    "response_seconds",
                    "due_at",
                    "level",
                    "job",
                    "stage",
                    "application",
                    "opened_at",
                    "kind",
                ],
                name="ask_closed_idx",
                condition=models.Q(closed_at__isnull=False),
                include=["id"],
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == AskStatus.OPEN

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def waiting_since(self) -> dt.datetime:
        """Since when whoever waits on this ask has waited: when it opened, unless its
        opener said the wait began earlier (`ask_open(waiting_since=…)`: a decision put on
        hold is still the same wait). The owner's response time counts from `opened_at`."""
        since = (self.policy or {}).get("waiting_since")
        return dt.datetime.fromisoformat(since) if since else self.opened_at

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Past due and being chased: an ask on hold is never overdue (its clock is stopped)."""
        return self.is_open and not self.is_held and (now or timezone.now()) >= self.due_at

    def is_snoozed(self, now: dt.datetime | None = None) -> bool:
        return bool(self.snoozed_until and self.snoozed_until > (now or timezone.now()))


class AskHandover(AppendOnlyModel):
    """An open ask moved from one owner to another (someone left, went away, came back, or
    a job changed hands): the wait before the move was the first owner's, after it the
    second's. The insights' waits over a period split a handed-over ask's time this way, so
    a successor is not blamed for the days the ask sat with the person before them."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="handovers")
    from_owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    to_owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["ask", "at"], name="ask_handover_by_ask_idx")]

    def __str__(self) -> str:
        return f"{self.ask} from {self.from_owner} to {self.to_owner}"


# A reminder sent by hand ("nudge now") is a nudge of its own: its step numbers start here,
# past any ladder, so the (ask, step) uniqueness keeps each one once.
NUDGE_NOW_STEP = 100
# One reminder by hand per ask a day, whoever asks for it: a chase, not a flood.
NUDGE_NOW_GAP = dt.timedelta(hours=24)


class Nudge(AppendOnlyModel):
    """One rung of an ask's ladder, reached once (the unique constraint makes "once" hard)."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="nudges")
    step = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16)
    level = models.PositiveSmallIntegerField(default=0)
    scheduled_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "step"], name="nudge_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.ask}"


class Notice(models.Model):
    """A nudge waiting to reach one person; several are batched into one message."""

    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, help_text="owner, escalation or admin")
    created_at = models.DateTimeField(default=timezone.now)
    # Inside the recipient's working hours, and not sooner than their batching window after
    # the last nudge message they got: everything pending by then goes out as one message.
    not_before = models.DateTimeField(default=timezone.now)
    message = models.ForeignKey(
        "notify.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["not_before"],
                name="notice_pending_idx",
                condition=models.Q(message__isnull=True),
            ),
            # The asks whose escalation reached a person, read by every check of who may see
            # an application: it skips the notices they got as the owner, and holds the nudge
            # so the notices' rows are not read.
            models.Index(
                fields=["recipient", "nudge"],
                name="notice_escalated_idx",
                condition=models.Q(role__in=["escalation", "admin"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["nudge", "recipient"], name="notice_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.nudge} → {self.recipient}"


class LinkAction(models.TextChoices):
    ADVANCE = "advance", "Advance"
    PASS = "pass", "Pass"
    QUESTION = "question", "Ask the recruiter a question"
    SNOOZE = "snooze", "Snooze 1 business day"


class ActionLink(models.Model):
    """A one-click link in a nudge: authorises one action, never a login.

    Only a SHA-256 of the 256-bit token is stored. Links sent together for one ask share a
    `group`: using one revokes its siblings.

    See docs/architecture.md#security-and-permissions.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    group = models.CharField(max_length=32, db_index=True)
    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="links")
    # Empty for an ask about no candidate (a partnership pulse): the link then binds to the
    # ask alone, and spending it locks the ask instead of the application.
    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=LinkAction.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} link for {self.recipient}"


class ServiceLevel(models.Model):
    """The organisation's due time for one ask kind, set by an admin.

    The amount is in the kind's unit (policies.DEFAULTS: business days, or business hours); a
    kind without a row runs on its built-in default. A job's
    own agreed times (Job.service_levels) win over this row. A disabled kind opens no asks.

    See docs/architecture.md#the-follow-up-engine.
    """

    kind = models.CharField(max_length=40, unique=True)
    amount = models.DecimalField(max_digits=5, decimal_places=1)
    enabled = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.amount}{'' if self.enabled else ' (off)'}"


class OfficeClosure(models.Model):
    """Days the whole organisation is closed (a Christmas shutdown, an offsite day), set by
    an admin on the settings page: business time skips them for everyone, on top of each
    person's public holidays. `first_day` to `last_day`, both included, each read as a date
    in each person's own time zone. Read through `followups.closures` (kept per process).

    See docs/architecture.md#the-follow-up-engine.
    """

    name = models.CharField(max_length=120)
    first_day = models.DateField()
    last_day = models.DateField()
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["first_day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="office_closure_last_day_not_before_first",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_day} – {self.last_day})"
