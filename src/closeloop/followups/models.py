"""The follow-up engine's tables. The worker's heartbeat lives here from the start."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


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
