from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Read-only figures about how the work went: selectors, charts and exports, no models."""

    name = "closeloop.insights"
    label = "insights"
    verbose_name = "Insights"
