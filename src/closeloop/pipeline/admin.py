"""Django admin for the pipeline: candidates, applications, submissions and the stage history.

Moves, submissions and decisions go through the pipeline services, which keep the stage history
and the timeline in step; so the admin shows applications, submissions and StageChange rows
but does not add or rewrite them (only whose move it is can be reassigned, as an escape hatch).
Deleting a candidate or an application would delete that history with it, so the admin cannot
delete those either; erasing a candidate on request is its own audited feature. Résumés are
uploaded through the candidate pages (which check them) and downloaded through the
authorised view, never through the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from closeloop.pipeline.models import Application, Candidate, Question, StageChange, Submission


class ReadOnlyAdminMixin:
    """No add, change or delete: for append-only tables (history and audit)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ("at", "from_stage", "to_stage", "from_status", "to_status", "by", "reason")
    readonly_fields = fields
    ordering = ("at", "pk")


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    fields = ("job", "stage", "status", "next_move_owner", "entered_stage_at")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = (
        "full_name",
        "email",
        "current_title",
        "current_company",
        "source",
        "created_at",
    )
    list_filter = ("source",)
    search_fields = ("full_name", "email", "current_company")
    exclude = ("resume",)
    # The privacy bookkeeping is written only by pipeline.privacy, which does the work and
    # records it: an "Erased at" typed here would mark a candidate erased with every detail
    # still there (and refuse the real erasure), a hold set here would leave no record.
    privacy_fields = (
        "erased_at",
        "retention_noticed_at",
        "retention_kept_at",
        "retention_kept_by",
        "retention_kept_reason",
    )
    readonly_fields = ("resume_download", "created_by", "created_at", "updated_at", *privacy_fields)
    inlines = [ApplicationInline]
    date_hierarchy = "created_at"

    @admin.display(description="Résumé")
    def resume_download(self, candidate: Candidate) -> str:
        if not candidate.resume:
            return "—"
        url = reverse("pipeline:candidate-resume", args=[candidate.pk])
        return format_html('<a href="{}">{}</a>', url, candidate.resume_filename or "Download")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("candidate", "job", "stage", "status", "next_move_owner", "entered_stage_at")
    list_filter = ("status", "job")
    search_fields = ("candidate__full_name", "candidate__email", "job__title")
    list_select_related = ("candidate", "job", "stage", "next_move_owner")
    raw_id_fields = ("next_move_owner",)
    readonly_fields = (
        "candidate",
        "job",
        "stage",
        "status",
        "entered_stage_at",
        "closed_reason",
        "closed_note",
        "closed_at",
        "created_at",
    )
    inlines = [StageChangeInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class QuestionInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Question
    extra = 0
    fields = ("text", "asked_by", "asked_at", "answer", "answered_by", "answered_at")
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "submitted_by", "submitted_at", "decision", "decided_at")
    list_filter = ("decision", "pass_reason")
    search_fields = ("application__candidate__full_name", "application__job__title")
    list_select_related = ("application__candidate", "application__job", "submitted_by")
    inlines = [QuestionInline]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "from_stage", "to_stage", "from_status", "to_status", "by", "at")
    list_filter = ("to_status",)
    search_fields = ("application__candidate__full_name", "application__job__title", "reason")
    list_select_related = (
        "application__candidate",
        "application__job",
        "from_stage",
        "to_stage",
        "by",
    )
    date_hierarchy = "at"
