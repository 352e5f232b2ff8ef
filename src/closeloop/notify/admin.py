"""Admin for messages and deliveries: read-only; retries happen on the failed-deliveries page."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from closeloop.lib.admin import ReadOnlyAdmin
from closeloop.notify.models import Delivery, Message


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("subject", "recipient", "template", "created_at")
    list_filter = ("template",)
    search_fields = ("subject", "recipient__email", "message_id")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    inlines = [DeliveryInline]
    # The bodies hold links only their recipients may use; the Outbox page shows them with
    # those links inert, so the admin does not show them at all.
    exclude = ("body_text", "body_html")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("message", "channel", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "channel")
    list_select_related = ("message",)
