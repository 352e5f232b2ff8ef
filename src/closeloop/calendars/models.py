"""Personal calendar feeds: one secret, revocable URL per person.

Only a SHA-256 of the 256-bit token is stored, as for one-click links: the address is shown
once, when it is made; a new one replaces it and the old address stops working at once.

See docs/architecture.md#security-and-permissions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CalendarFeed(models.Model):
    """A person's live feed token (hashed). No row: no feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
