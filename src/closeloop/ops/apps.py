from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Processes and health: `closeloop serve`, `closeloop demo`, /healthz and /readyz."""

    name = "closeloop.ops"
    label = "ops"

    def ready(self) -> None:
        from closeloop.followups import worker
        from closeloop.ops.housekeeping import housekeeping

        if "housekeeping" not in {name for name, _ in worker.STEPS}:
            worker.STEPS.append(("housekeeping", housekeeping))
