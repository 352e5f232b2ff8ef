from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Processes and health: `closeloop serve`, `closeloop demo`, /healthz and /readyz."""

    name = "closeloop.ops"
    label = "ops"
