"""The intake agreement: versions of what recruiter and HM agreed for a job.

A job has numbered versions. A *draft* is edited step by step and belongs to the job (one at
a time); *proposing* freezes it (immutable from then on) and asks the sides that have not
signed to sign. When the HM and the recruiter have both signed, the version comes *into
force*: it is applied to the job and the previous version in force is *superseded*. A
version proposed while another awaits signatures replaces it (the older one is *withdrawn*).
The last signed version stays in force while an amendment awaits re-signature.

See docs/architecture.md#the-intake-agreement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Awaiting signatures"
    SIGNED = "signed", "In force"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Replaced before signing"


class Side(models.TextChoices):
    """The two parties that sign an intake."""

    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    RECRUITER = "recruiter", "Recruiter"


class PulseCadence(models.IntegerChoices):
    """How often both sides rate the partnership (weeks between pulse rounds; 0 = never)."""

    WEEKLY = 1, "Every week"
    FORTNIGHTLY = 2, "Every 2 weeks"
    MONTHLY = 4, "Every 4 weeks"
    OFF = 0, "No pulses"


DEFAULT_PULSE_WEEKS = PulseCadence.FORTNIGHTLY.value


class AgreementFields(models.Model):
    """What an intake agrees on; shared by versions and admin-kept templates.

    Lists are text, one item per line (as on Job). The interview plan is a JSON list of
    rounds {"name", "duration_minutes", "focus_attributes": [str], "interviewers": [user pk]};
    service levels are {ask kind: due amount in the kind's unit}, empty = organisation's.
    `pulse_weeks` is the partnership pulse cadence in weeks (0: no pulses).
    """

    must_haves = models.TextField(blank=True)
    nice_to_haves = models.TextField(blank=True)
    deal_breakers = models.TextField(blank=True)
    interview_plan = models.JSONField(default=list, blank=True)
    service_levels = models.JSONField(default=dict, blank=True)
    touchbase_weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    touchbase_time = models.TimeField(null=True, blank=True)
    touchbase_minutes = models.PositiveSmallIntegerField(default=30)
    # Two-way partnership pulses (the partnership app reads the version in force).
    pulse_weeks = models.PositiveSmallIntegerField(
        choices=PulseCadence.choices, default=DEFAULT_PULSE_WEEKS
    )
    notes = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def must_have_list(self) -> list[str]:
        return _lines(self.must_haves)

    @property
    def nice_to_have_list(self) -> list[str]:
        return _lines(self.nice_to_haves)

    @property
    def deal_breaker_list(self) -> list[str]:
        return _lines(self.deal_breakers)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class IntakeTemplate(AgreementFields):
    """A starting point per job family, kept by admins (Django admin)."""

    name = models.CharField(max_length=120, unique=True)
    job_family = models.CharField(max_length=80, help_text="e.g. Backend engineering, Sales.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["job_family", "name"]

    def __str__(self) -> str:
        return f"{self.job_family}: {self.name}"


class IntakeVersion(AgreementFields):
    """One version of a job's intake agreement."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="intake_versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    # The role, as agreed (copied to the job when the version comes into force).
    title = models.CharField(max_length=200)
    team = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    remote = models.BooleanField(default=False)
    headcount = models.PositiveSmallIntegerField(default=1)
    compensation_min = models.PositiveIntegerField(null=True, blank=True)
    compensation_max = models.PositiveIntegerField(null=True, blank=True)
    compensation_currency = models.CharField(max_length=3, blank=True)
    target_start_date = models.DateField(null=True, blank=True)
    target_fill_date = models.DateField(null=True, blank=True)
    touchbase_time_zone = models.CharField(max_length=64, blank=True)
    escalation_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    started_from = models.CharField(max_length=160, blank=True)  # "blank", "version 2", …
    # The job's own details the job page also edits (title, team, …) as they stood when the
    # draft started: signing hands one over only if this version changed it, so an edit made
    # on the job page meanwhile stands. Empty on versions from before this was recorded.
    started_with = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    step = models.CharField(max_length=16, blank=True)  # the draft's last saved step
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    in_force_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="intake_unique_number"),
            models.UniqueConstraint(
                fields=["job"], condition=Q(status="draft"), name="intake_one_draft_per_job"
            ),
            models.UniqueConstraint(
                fields=["job"], condition=Q(status="signed"), name="intake_one_in_force_per_job"
            ),
        ]
        indexes = [models.Index(fields=["job", "status"])]

    def __str__(self) -> str:
        return f"{self.title} intake v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == IntakeStatus.DRAFT


class IntakeSignature(models.Model):
    """One side's signature on one version (immutable once written)."""

    version = models.ForeignKey(IntakeVersion, on_delete=models.CASCADE, related_name="signatures")
    side = models.CharField(max_length=16, choices=Side.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whom a delegate or successor signed for (the side's holder, away or gone); None when
    # the holder signed themselves.
    signed_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "side"], name="intake_one_signature_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} signed v{self.version.number}"


class PassCitation(models.Model):
    """What part of the agreement a hiring manager's pass cited (the drift watch reads it).

    `kind` is "must_have" or "deal_breaker" with the item's text, or "other" with the HM's
    own words: a pass citing something the agreement does not contain is drift.
    """

    submission = models.OneToOneField(
        "pipeline.Submission", on_delete=models.CASCADE, related_name="intake_citation"
    )
    kind = models.CharField(max_length=16)
    criterion = models.CharField(max_length=300)

    def __str__(self) -> str:
        return f"{self.kind}: {self.criterion}"
