from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "closeloop.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from closeloop.accounts.hooks import deactivation_impact_register
        from closeloop.accounts.people import deactivation_delegates_impact
        from closeloop.accounts.services import session_note_sign_in
        from closeloop.lib.folding import fold_after_migrate, sqlite_fold_register

        deactivation_impact_register("delegates", deactivation_delegates_impact, order=5)
        user_logged_in.connect(session_note_sign_in, dispatch_uid="closeloop-session-sign-in")
        # Names sort case- and accent-blind (lib.folding), from the people lists up: SQLite
        # has no fold of its own, so each of its connections gets ours; PostgreSQL's is the
        # `unaccent` wrapper, made after every migrate (search's document reads it too).
        connection_created.connect(sqlite_fold_register, dispatch_uid="closeloop.fold")
        post_migrate.connect(fold_after_migrate, sender=self, dispatch_uid="closeloop.fold")
