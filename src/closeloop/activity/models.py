"""The append-only event log: timelines and the audit trail come from here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from closeloop.lib.models import AppendOnlyModel


class Activity(AppendOnlyModel):
    """One thing that happened, with a dotted kind (`closeloop.submission.passed`)."""

    kind = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    candidate = models.ForeignKey(
        "pipeline.Candidate",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    application = models.ForeignKey(
        "pipeline.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Interviewers must not see what other interviewers wrote (blind scorecards): the timeline
    # only shows them rows marked visible to the whole team.
    team_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["candidate", "-at"]),
            models.Index(fields=["job", "-at"]),
            # Events of one kind in a period (the insights' snoozes): with the kind alone,
            # SQLite walked every event of the period through the job index instead.
            models.Index(fields=["kind", "at"], name="activity_kind_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.summary}"


class FormReceipt(models.Model):
    """A create form, sent: its one-time token (a hidden field of the form), who sent it and
    where its result lives. A second send of the same form (a double click, a resend after a
    slow answer) finds this row and goes to the result instead of creating it twice."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    result_url = models.CharField(max_length=500, blank=True)
    # What was sent, hashed (the address and the fields but the tokens): the same form sent
    # again from a page the browser rebuilt (Back, then Send) carries a new token.
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "fingerprint", "at"])]

    def __str__(self) -> str:
        return f"form sent by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"
