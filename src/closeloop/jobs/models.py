"""Jobs (requisitions), their hiring team and their stage plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"


class JobOutcome(models.TextChoices):
    """How a closed search ended: a Filled job was filled; a Closed one was cancelled (no
    longer needed) or failed (could not be filled). Empty while the job is not closed."""

    FILLED = "filled", "Filled"
    CANCELLED = "cancelled", "Cancelled"
    FAILED = "failed", "Failed (could not be filled)"


class StageKind(models.TextChoices):
    """What a stage means to the product; the name shown is free text per job."""

    SOURCED = "sourced", "Sourced"
    SUBMITTED = "submitted", "Submitted"
    # After the HM's yes: the recruiting side schedules the interviews (the value keeps its
    # old name, stored in existing rows).
    HM_REVIEW = "hm_review", "Scheduling"
    INTERVIEWING = "interviewing", "Interviewing"
    DEBRIEF = "debrief", "Debrief"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    CUSTOM = "custom", "Custom"


class MoveOwner(models.TextChoices):
    """Whose move it is while a candidate sits in a stage."""

    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWERS = "interviewers", "Interviewers"
    NOBODY = "nobody", "Nobody"


# The default stage plan: (kind, name, whose move).
DEFAULT_STAGE_PLAN: list[tuple[str, str, str]] = [
    (StageKind.SOURCED, "Sourced", MoveOwner.RECRUITER),
    (StageKind.SUBMITTED, "Submitted", MoveOwner.HIRING_MANAGER),
    # The HM said yes to the profile: the recruiting side schedules the interviews, and
    # booking the first one moves the candidate on to Interviewing.
    (StageKind.HM_REVIEW, "Scheduling", MoveOwner.RECRUITER),
    (StageKind.INTERVIEWING, "Interviewing", MoveOwner.INTERVIEWERS),
    (StageKind.DEBRIEF, "Debrief", MoveOwner.HIRING_MANAGER),
    (StageKind.OFFER, "Offer", MoveOwner.RECRUITER),
    (StageKind.HIRED, "Hired", MoveOwner.NOBODY),
]


def location_words(location: str, remote: bool) -> str:
    """Where the job is done, as every page says it: "Berlin or remote", "Remote", "" when
    neither is set. A location that already says remote ("Remote (Europe)") is not followed
    by "or remote" again."""
    location = location.strip()
    if not location:
        return "Remote" if remote else ""
    if remote and "remote" not in location.casefold():
        return f"{location} or remote"
    return location


class Job(models.Model):
    """A position being hired for, with the team that hires for it."""

    title = models.CharField(max_length=200)
    team = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    remote = models.BooleanField(default=False, help_text="Remote work is possible.")
    headcount = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.DRAFT)
    outcome = models.CharField(
        max_length=16, choices=JobOutcome.choices, blank=True, help_text="How the search ended."
    )
    # What the signed intake agreement hands over to the product; the intake
    # app writes these when a version comes into force, everything else reads them here.
    # See docs/architecture.md#the-intake-agreement.
    must_haves = models.TextField(blank=True, help_text="One per line.")
    nice_to_haves = models.TextField(blank=True, help_text="One per line.")
    deal_breakers = models.TextField(blank=True, help_text="One per line.")
    compensation_min = models.PositiveIntegerField(null=True, blank=True)
    compensation_max = models.PositiveIntegerField(null=True, blank=True)
    compensation_currency = models.CharField(max_length=3, blank=True)
    target_start_date = models.DateField(null=True, blank=True)
    target_fill_date = models.DateField(null=True, blank=True)
    # The recruiter–HM touch-base cadence (weekday 0 = Monday; None = no series agreed).
    touchbase_weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    touchbase_time = models.TimeField(null=True, blank=True)
    touchbase_minutes = models.PositiveSmallIntegerField(default=30)
    touchbase_time_zone = models.CharField(max_length=64, blank=True)

    service_levels = models.JSONField(
        default=dict,
        blank=True,
        help_text='Agreed due times per ask kind, e.g. {"review_submission": 1}.',
    )

    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recruiter_jobs"
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_jobs"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_jobs",
    )
    escalation_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalation_jobs",
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="interviewer_jobs"
    )

    created_at = models.DateTimeField(default=timezone.now)
    # When the search first opened: kept through reopenings, since it is when the search
    # began. The last reopening is `reopened_at`.
    opened_at = models.DateTimeField(null=True, blank=True)
    # When the job last left Filled or Closed (None if it never did), so its page says
    # "reopened on …" rather than "open since" the first opening.
    reopened_at = models.DateTimeField(null=True, blank=True)
    # When the job was last put On hold (None while it is not, or when nobody knows: one set
    # On hold in the admin), so its page says "on hold since …" rather than "open since".
    held_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Who set it Filled or Closed (None while it runs): the candidates the worker closes
    # after the request (pipeline's `ended_jobs_close`) are closed in their name.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def where(self) -> str:
        """The location in words (`location_words`)."""
        return location_words(self.location, self.remote)

    @property
    def must_have_list(self) -> list[str]:
        return [line.strip() for line in self.must_haves.splitlines() if line.strip()]

    @property
    def nice_to_have_list(self) -> list[str]:
        return [line.strip() for line in self.nice_to_haves.splitlines() if line.strip()]

    @property
    def deal_breaker_list(self) -> list[str]:
        return [line.strip() for line in self.deal_breakers.splitlines() if line.strip()]

    @property
    def is_active(self) -> bool:
        return self.status in {JobStatus.OPEN, JobStatus.ON_HOLD}

    @property
    def has_ended(self) -> bool:
        """Filled or Closed: the search is over (its candidates closed with it)."""
        return self.status in {JobStatus.FILLED, JobStatus.CLOSED}


class StagePlanManager(models.Manager["Stage"]):
    """The stages of the plan: a removed stage is left out (see `Stage.removed_at`)."""

    def get_queryset(self) -> models.QuerySet[Stage]:
        return super().get_queryset().filter(removed_at__isnull=True)


class Stage(models.Model):
    """One column of a job's pipeline, in order.

    Removing a stage takes it out of the plan but keeps the row (`removed_at`): the
    candidates who passed through it, or were closed in it, still read where they were
    ("Interviewing (removed)"). `Stage.objects` and `job.stages` are the plan; a foreign key
    (an application's stage, a move's from and to) reaches a removed stage too, and
    `Stage.with_removed` reads every row.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=16, choices=StageKind.choices, default=StageKind.CUSTOM)
    # The place in the plan; a removed stage keeps the place it had when it was removed.
    position = models.PositiveSmallIntegerField()
    move_owner = models.CharField(
        max_length=16, choices=MoveOwner.choices, default=MoveOwner.RECRUITER
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    with_removed = models.Manager()
    objects = StagePlanManager()

    class Meta:
        # The plan is what `job.stages`, forms and every list read (explicit: the default
        # manager is otherwise the first declared).
        default_manager_name = "objects"
        ordering = ["job", "position"]
        constraints = [
            # Only the plan's stages hold a place and a name: a removed stage gives both up.
            models.UniqueConstraint(
                fields=["job", "position"],
                condition=models.Q(removed_at__isnull=True),
                name="stage_unique_position",
            ),
            models.UniqueConstraint(
                fields=["job", "name"],
                condition=models.Q(removed_at__isnull=True),
                name="stage_unique_name",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The stage as history names it: "Interviewing (removed)" once out of the plan."""
        return f"{self.name} (removed)" if self.removed_at is not None else self.name


class InterviewRound(models.Model):
    """One round of a job's interview plan, in order (set from the intake agreement).

    Interviews are booked per round; the round's focus attributes are what its interviewers
    probe and rate on their scorecards.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="interview_rounds")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    focus_attributes = models.JSONField(default=list, blank=True)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="interview_rounds"
    )

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="round_unique_position"),
        ]

    def __str__(self) -> str:
        return self.name
