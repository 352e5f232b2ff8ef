"""Django admin for calendar feeds: who has one, never the address (only its hash exists)."""

from __future__ import annotations

from django.contrib import admin

from closeloop.calendars.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_read_at")
    readonly_fields = ("user", "token_hash", "created_at", "last_read_at")
    search_fields = ("user__email", "user__full_name")

    def has_add_permission(self, request: object) -> bool:
        return False  # addresses are made by their owner, who sees the token once
