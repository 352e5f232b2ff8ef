from __future__ import annotations

from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "closeloop.calendars"
    label = "calendars"
    verbose_name = "Calendars"

    def ready(self) -> None:
        from closeloop.accounts.hooks import person_deactivated
        from closeloop.calendars.receivers import on_person_deactivated

        person_deactivated.connect(on_person_deactivated, dispatch_uid="calendars-deactivated")
