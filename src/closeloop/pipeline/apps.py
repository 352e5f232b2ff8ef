from __future__ import annotations

from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "closeloop.pipeline"
    label = "pipeline"

    def ready(self) -> None:
        from closeloop.followups.one_click import one_click_register
        from closeloop.pipeline import policies  # noqa: F401  (registers its ask kinds)
        from closeloop.pipeline.one_click import REVIEW_ONE_CLICK

        # Review reminders carry Advance / Pass / Ask a question / Snooze buttons.
        one_click_register(REVIEW_ONE_CLICK)
