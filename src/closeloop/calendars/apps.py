from __future__ import annotations

from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "closeloop.calendars"
    label = "calendars"
    verbose_name = "Calendars"
