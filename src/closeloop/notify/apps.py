from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Outbound messages: Message, Delivery (the outbox) and the transports that send them."""

    name = "closeloop.notify"
    label = "notify"
    verbose_name = "Notifications"
