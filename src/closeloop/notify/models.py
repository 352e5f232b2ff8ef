"""Messages and their deliveries: the outbox (docs/architecture.md#the-worker).

A Message is what one person is told; a Delivery is that message on one channel. Both are
written in the same transaction as the change that causes them, and the worker sends them
afterwards, so a crash can delay a message but never lose it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In the app only"


class Message(models.Model):
    """One message to one person, rendered once from a template triplet."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    template = models.CharField(max_length=80)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Stable across retries: a duplicate send after a crash carries the same Message-ID.
    message_id = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Text files sent with the email, e.g. an interview's .ics, as a list of
    # {"filename", "content_type", "content"} (see notify.services.Attachment).
    attachments = models.JSONField(default=list, blank=True)
    # How its delivery is held for the recipient's working hours (notify.services.
    # deliver_from), kept for every later attempt: a retry after a failure waits for those
    # hours as the first attempt did, and a message that went at once goes at once again.
    at_once = models.BooleanField(default=False)
    needed_by = models.DateTimeField(null=True, blank=True)
    # When it reaches its recipient: the moment its delivery was first held for (their
    # working hours), or its creation. The Inbox lists it, and the header counts it, from
    # then on: a message queued on Saturday is Monday morning's news, not Saturday night's.
    arrives_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            # The Inbox: one person's messages that have arrived, newest arrival first.
            models.Index(fields=["recipient", "-arrives_at"], name="notify_msg_arrived_idx"),
            # The unread count in every page's header: a range of one person's unread rows,
            # those arrived by now.
            models.Index(
                fields=["recipient", "read_at", "arrives_at"], name="notify_msg_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"

    def has_arrived(self, now: dt.datetime | None = None) -> bool:
        """Whether it has reached its recipient's Inbox: before then it is neither read nor
        unread, only queued."""
        return self.arrives_at <= (now or timezone.now())

    @staticmethod
    def new_message_id() -> str:
        domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"<{uuid.uuid4().hex}@{domain or 'closeloop'}>"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    # An email with no mail server configured (the demo): it is read on the Outbox page.
    KEPT = "kept", "Kept here; no mail server configured"
    FAILED = "failed", "Failed"
    # Not sent because the recipient was deactivated before it went out.
    WITHDRAWN = "withdrawn", "Not sent: recipient deactivated"


class Delivery(models.Model):
    """One message on one channel: queued, leased by a worker, sent or failed."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    # Not before: quiet hours and retry backoff both push this forward.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The worker's claim query reads only queued/sending rows: a partial index keeps
            # its cost proportional to the work waiting, not to the history.
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due_idx",
                condition=models.Q(status__in=["queued", "sending"]),
            ),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_status_display()}: {self.message}"

    @property
    def held_until(self) -> dt.datetime | None:
        """The later moment a queued delivery waits for (its recipient's working hours, a
        retry's backoff), or None when it goes as soon as the worker comes round."""
        if self.status == DeliveryStatus.QUEUED and self.next_attempt_at > timezone.now():
            return self.next_attempt_at
        return None
