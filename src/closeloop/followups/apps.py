from __future__ import annotations

from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "closeloop.followups"
    label = "followups"
    verbose_name = "Follow-ups"

    def ready(self) -> None:
        from closeloop.followups import worker
        from closeloop.followups.steps import DEFAULT_STEPS

        # Register once, even if ready() runs twice (tests can re-populate the registry).
        known = {name for name, _ in worker.STEPS}
        worker.STEPS.extend(step for step in DEFAULT_STEPS if step[0] not in known)
