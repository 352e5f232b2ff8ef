"""Comments on a candidate, an application, a job or a touch-base, with @mentions.

A comment names exactly one subject (one of four nullable foreign keys, held to one by a
check constraint): who may read it is who may see that subject, decided by the subject's
own app (comments.selectors).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# Long enough for a considered note, short enough that a page of comments stays small.
BODY_MAX = 5000


class Comment(models.Model):
    """One plain-text comment; edited only by its author, and only for a short while;
    deleted by its author or an admin, leaving a tombstone in its place."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    candidate = models.ForeignKey(
        "pipeline.Candidate", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        "pipeline.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    touchbase = models.ForeignKey(
        "touchbases.Touchbase", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set by each edit; the comment keeps its place (created_at) and says "edited".
    edited_at = models.DateTimeField(null=True, blank=True)
    # Set when erasing a candidate took their name out of it (pipeline.privacy): it stays as
    # it now reads, never edited again (its author could type the name back).
    scrubbed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when its author or an admin deleted it (comments.services.comment_delete): the text
    # and its mentions are gone from the database, and the row stays as the thread's tombstone
    # ("Comment deleted by Rita Recruiter on Mon 07 Dec 10:15") so the conversation reads in
    # order and a mention's message still leads somewhere.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The people its text mentions now (each edit sets them; the page highlights their names).
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # The people it has told it mentions them (never its author), kept by
    # `comments.notices.mention_tell`. Only grows: an edit tells the mentioned not in it yet,
    # so a mention taken out and written again is not told twice.
    told = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["candidate", "-created_at"], name="comment_candidate_idx"),
            models.Index(fields=["application", "-created_at"], name="comment_application_idx"),
            models.Index(fields=["job", "-created_at"], name="comment_job_idx"),
            models.Index(fields=["touchbase", "-created_at"], name="comment_touchbase_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="comment_one_subject",
                condition=(
                    models.Q(
                        candidate__isnull=False,
                        application__isnull=True,
                        job__isnull=True,
                        touchbase__isnull=True,
                    )
                    | models.Q(
                        candidate__isnull=True,
                        application__isnull=False,
                        job__isnull=True,
                        touchbase__isnull=True,
                    )
                    | models.Q(
                        candidate__isnull=True,
                        application__isnull=True,
                        job__isnull=False,
                        touchbase__isnull=True,
                    )
                    | models.Q(
                        candidate__isnull=True,
                        application__isnull=True,
                        job__isnull=True,
                        touchbase__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
