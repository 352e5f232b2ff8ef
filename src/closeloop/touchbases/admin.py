"""Admin for touch-bases: read-only (the services keep series, asks and calendars in step)."""

from __future__ import annotations

from django.contrib import admin

from closeloop.lib.admin import ReadOnlyAdmin
from closeloop.touchbases.models import ActionItem, Touchbase, TouchbaseSeries, WeeklyUpdateSchedule


@admin.register(TouchbaseSeries)
class TouchbaseSeriesAdmin(ReadOnlyAdmin):
    list_display = ("job", "recruiter", "hiring_manager", "weekday", "start_time", "time_zone",
                    "sequence", "active", "next_due_at")  # fmt: skip
    list_filter = ("active",)
    search_fields = ("job__title",)
    list_select_related = ("job", "recruiter", "hiring_manager")


@admin.register(Touchbase)
class TouchbaseAdmin(ReadOnlyAdmin):
    list_display = ("job", "scheduled_at", "status", "held_by", "held_at")
    list_filter = ("status",)
    search_fields = ("job__title",)
    date_hierarchy = "scheduled_at"
    list_select_related = ("job", "held_by")


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("description", "job", "owner", "due_on", "status", "done_at")
    list_filter = ("status",)
    search_fields = ("description", "owner__email", "job__title")
    list_select_related = ("job", "owner")


@admin.register(WeeklyUpdateSchedule)
class WeeklyUpdateScheduleAdmin(ReadOnlyAdmin):
    list_display = ("person", "enabled", "weekday", "send_time", "next_run_at", "last_sent_at")
    list_filter = ("enabled", "weekday")
    search_fields = ("person__email", "person__full_name")
    list_select_related = ("person",)
