"""Interviews: who meets which candidate, when. Scorecards and debriefs build on this."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Interview(models.Model):
    """One interview of one application in one round, with its interviewers."""

    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, related_name="interviews"
    )
    round_name = models.CharField(max_length=80)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    location = models.CharField(max_length=200, blank=True)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    status = models.CharField(
        max_length=16, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.round_name} with {self.application.candidate}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "An interview must end after it starts."})
