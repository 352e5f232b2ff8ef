"""Django admin for interviews."""

from __future__ import annotations

from django.contrib import admin

from closeloop.interviews.models import Interview


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ("application", "round_name", "starts_at", "ends_at", "status")
    list_filter = ("status",)
    search_fields = ("round_name", "application__candidate__full_name", "application__job__title")
    list_select_related = ("application__candidate", "application__job")
    raw_id_fields = ("application",)
    filter_horizontal = ("interviewers",)
    date_hierarchy = "starts_at"
