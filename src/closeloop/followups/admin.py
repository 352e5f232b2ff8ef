"""Admin for the follow-up engine's tables."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from closeloop.followups.models import WorkerHeartbeat
from closeloop.lib.timefmt import duration_short


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Read-only: workers write these rows; admins only look at them."""

    list_display = ("name", "pid", "started_at", "beat_at", "last_beat", "loops")
    search_fields = ("name",)
    readonly_fields = ("name", "pid", "started_at", "beat_at", "loops")

    @admin.display(description="Last beat")
    def last_beat(self, obj: WorkerHeartbeat) -> str:
        return f"{duration_short(timezone.now() - obj.beat_at)} ago"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
