"""Admin for comments: read-only (the services keep mentions, activity and notices in step)."""

from __future__ import annotations

from django.contrib import admin

from closeloop.comments.models import Comment
from closeloop.lib.admin import ReadOnlyAdmin


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "author", "created_at", "edited_at", "candidate", "application", "job",
                    "touchbase")  # fmt: skip
    search_fields = ("body", "author__email")
    date_hierarchy = "created_at"
    list_select_related = ("author", "candidate", "application", "job", "touchbase")
