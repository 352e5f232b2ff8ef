"""Django admin for interviews, scorecards and debriefs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from closeloop.interviews.models import Debrief, Interview, Scorecard
from closeloop.interviews.services import panel_seats_sync


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ("application", "round_name", "starts_at", "ends_at", "status", "sequence")
    list_filter = ("status",)
    search_fields = ("round_name", "application__candidate__full_name", "application__job__title")
    list_select_related = ("application__candidate", "application__job")
    raw_id_fields = ("application", "round", "booked_by", "debrief")
    filter_horizontal = ("interviewers",)
    date_hierarchy = "starts_at"

    def save_model(self, request: Any, obj: Interview, form: Any, change: bool) -> None:
        """An interview moved to another application takes its panel along, and one
        cancelled or brought back takes its panel's seats away or back: the applications'
        seats are re-synced (the panel itself, if unchanged, sends no m2m signal; a changed
        one re-syncs again in `save_related`)."""
        before = (
            Interview.objects.filter(pk=obj.pk).values_list("application_id", "status").first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        if before is not None and before != (obj.application_id, obj.status):
            panel_seats_sync([before[0], obj.application_id])


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ("interview", "interviewer", "status", "recommendation", "submitted_at")
    list_filter = ("status", "recommendation")
    list_select_related = ("interview__application__candidate", "interviewer")
    raw_id_fields = ("interview", "interviewer")


@admin.register(Debrief)
class DebriefAdmin(admin.ModelAdmin):
    list_display = ("application", "round_name", "status", "decision", "decided_at", "informed_at")
    list_filter = ("status", "decision")
    list_select_related = ("application__candidate", "application__job")
    raw_id_fields = ("application", "round", "to_stage", "decided_by", "informed_by")
    filter_horizontal = ("attendees",)
