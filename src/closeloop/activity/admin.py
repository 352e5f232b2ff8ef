"""Django admin for the activity log: read-only, because the log is append-only (audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from closeloop.activity.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "summary", "actor", "job", "team_only")
    list_filter = ("kind", "team_only")
    search_fields = ("summary", "detail", "kind", "candidate__full_name", "job__title")
    list_select_related = ("actor", "job")
    date_hierarchy = "at"
    raw_id_fields = ("actor", "job", "candidate", "application")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
