"""Django admin for interviews, scorecards and debriefs."""

from __future__ import annotations

from django.contrib import admin

from closeloop.interviews.models import Debrief, Interview, Scorecard


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ("application", "round_name", "starts_at", "ends_at", "status", "sequence")
    list_filter = ("status",)
    search_fields = ("round_name", "application__candidate__full_name", "application__job__title")
    list_select_related = ("application__candidate", "application__job")
    raw_id_fields = ("application", "round", "booked_by", "debrief")
    filter_horizontal = ("interviewers",)
    date_hierarchy = "starts_at"


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
