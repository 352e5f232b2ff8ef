from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "closeloop.demo"
    label = "demo"

    def ready(self) -> None:
        from closeloop.accounts.login_hints import login_hints_register
        from closeloop.demo.seed import DEMO_LOGINS, DEMO_PASSWORD

        # The login page lists these only while `closeloop demo` runs (CLOSELOOP_DEMO).
        login_hints_register(logins=DEMO_LOGINS, password=DEMO_PASSWORD)
