from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Outbound messages: Message, Delivery (the outbox) and the transports that send them."""

    name = "closeloop.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from closeloop.accounts.hooks import invitation_accepted, person_deactivated
        from closeloop.accounts.people import invitation_sender_register
        from closeloop.accounts.services import (
            calendar_change_sender_register,
            password_reset_sender_register,
        )
        from closeloop.notify.selectors import private_link_register
        from closeloop.notify.services import (
            calendar_change_queue,
            invitation_queue,
            on_invitation_accepted,
            on_person_deactivated,
            password_reset_queue,
        )

        password_reset_sender_register(password_reset_queue)
        private_link_register(r"/accounts/password/reset/[^/\s\"'<>]+/[^/\s\"'<>]+/")
        invitation_sender_register(invitation_queue)
        calendar_change_sender_register(calendar_change_queue)
        private_link_register(r"/welcome/[^/\s\"'<>]+/")
        person_deactivated.connect(on_person_deactivated, dispatch_uid="notify-deactivated")
        invitation_accepted.connect(on_invitation_accepted, dispatch_uid="notify-invited")
