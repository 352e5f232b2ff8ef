"""Admin for the follow-up engine's tables."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from closeloop.followups.models import (
    ActionLink,
    Ask,
    Notice,
    Nudge,
    ServiceLevel,
    WorkerHeartbeat,
)
from closeloop.lib.admin import ReadOnlyAdmin
from closeloop.lib.timefmt import duration_short


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    """Read-only: workers write these rows; admins only look at them."""

    list_display = ("name", "pid", "started_at", "beat_at", "last_beat", "loops")
    search_fields = ("name",)
    readonly_fields = ("name", "pid", "started_at", "beat_at", "loops")

    @admin.display(description="Last beat")
    def last_beat(self, obj: WorkerHeartbeat) -> str:
        return f"{duration_short(timezone.now() - obj.beat_at)} ago"


@admin.register(Ask)
class AskAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "owner", "status", "due_at", "level", "closed_via")
    list_filter = ("kind", "status", "level")
    search_fields = ("title", "owner__email", "subject")
    date_hierarchy = "opened_at"
    list_select_related = ("owner",)


@admin.register(Nudge)
class NudgeAdmin(ReadOnlyAdmin):
    list_display = ("ask", "kind", "level", "scheduled_at", "created_at")
    list_filter = ("kind", "level")
    list_select_related = ("ask",)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("nudge", "recipient", "role", "not_before", "message")
    list_filter = ("role",)
    list_select_related = ("nudge__ask", "recipient", "message")


@admin.register(ActionLink)
class ActionLinkAdmin(ReadOnlyAdmin):
    """Shows who may act and whether the link was used; the token itself is never stored."""

    list_display = ("recipient", "action", "application", "created_at", "expires_at", "used_at")
    list_filter = ("action",)
    exclude = ("token_hash",)
    list_select_related = ("recipient", "application__candidate")


@admin.register(ServiceLevel)
class ServiceLevelAdmin(ReadOnlyAdmin):
    """Edited on the Settings page, which checks limits and logs the change."""

    list_display = ("kind", "amount", "enabled", "updated_by", "updated_at")
