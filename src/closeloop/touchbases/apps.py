from __future__ import annotations

from django.apps import AppConfig


class TouchbasesConfig(AppConfig):
    name = "closeloop.touchbases"
    label = "touchbases"
    verbose_name = "Touch-bases and weekly updates"
