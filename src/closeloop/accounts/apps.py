from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "closeloop.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from closeloop.accounts.services import session_note_sign_in

        user_logged_in.connect(session_note_sign_in, dispatch_uid="closeloop-session-sign-in")
