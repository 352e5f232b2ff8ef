"""Django admin for jobs and their stages: the operator's escape hatch, not the daily UI.

Edits here bypass the services (no activity is logged), so the day-to-day changes belong on
the job pages; the admin is for repairs and support.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from closeloop.jobs.models import Job, Stage


class StageInline(admin.TabularInline):
    model = Stage
    fields = ("position", "name", "kind", "move_owner")
    ordering = ("position",)
    extra = 0


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "team",
        "status",
        "recruiter",
        "hiring_manager",
        "location",
        "remote",
        "headcount",
        "opened_at",
    )
    list_filter = ("status", "remote", "team")
    list_select_related = ("recruiter", "hiring_manager")
    search_fields = (
        "title",
        "team",
        "location",
        "recruiter__full_name",
        "recruiter__email",
        "hiring_manager__full_name",
        "hiring_manager__email",
    )
    raw_id_fields = ("recruiter", "hiring_manager", "coordinator", "escalation_contact")
    filter_horizontal = ("interviewers",)
    date_hierarchy = "created_at"
    readonly_fields = ("created_at",)
    inlines = (StageInline,)
    fieldsets = (
        (None, {"fields": ("title", "team", "location", "remote", "headcount", "status")}),
        ("Requirements", {"fields": ("must_haves",)}),
        (
            "Hiring team",
            {
                "fields": (
                    "recruiter",
                    "hiring_manager",
                    "coordinator",
                    "escalation_contact",
                    "interviewers",
                )
            },
        ),
        ("Dates", {"fields": ("created_at", "opened_at", "reopened_at", "held_at", "closed_at")}),
    )


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("name", "job", "position", "kind", "move_owner", "removed_at")
    list_filter = ("kind", "move_owner", ("removed_at", admin.EmptyFieldListFilter))
    list_select_related = ("job",)
    search_fields = ("name", "job__title")
    autocomplete_fields = ("job",)
    ordering = ("job__title", "position")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Stage]:
        """Removed stages too: they are rows the history still points at."""
        return Stage.with_removed.select_related("job").order_by(*self.get_ordering(request))
