from __future__ import annotations

from django.apps import AppConfig


class TouchbasesConfig(AppConfig):
    name = "closeloop.touchbases"
    label = "touchbases"
    verbose_name = "Touch-bases and weekly updates"

    def ready(self) -> None:
        from closeloop.accounts.hooks import calendar_changed
        from closeloop.calendars.sources import register_source
        from closeloop.followups import worker
        from closeloop.followups.selectors import register_ask_url
        from closeloop.intake.hooks import agreement_applied, cadence_check_register
        from closeloop.jobs.hooks import (
            job_closed,
            job_ending_effect_register,
            job_reopened,
            job_role_changed,
        )
        from closeloop.pipeline.privacy import privacy_register
        from closeloop.touchbases import (
            policies,  # noqa: F401  (registers its ask kinds)
            privacy,
        )
        from closeloop.touchbases.calendar import action_url, touchbase_events, touchbase_url
        from closeloop.touchbases.receivers import (
            on_agreement_applied,
            on_calendar_changed,
            on_job_closed,
            on_job_reopened,
            on_job_role_changed,
        )
        from closeloop.touchbases.selectors import action_items_ending, series_clashing
        from closeloop.touchbases.services import series_sync_due, touchbases_advance
        from closeloop.touchbases.weekly import weekly_updates_send

        register_ask_url("action", action_url)
        # What erasing or exporting a candidate covers here: notes, agendas, action items.
        privacy_register(privacy.PRIVACY_SOURCE)
        register_ask_url("touchbase", touchbase_url)
        register_source("touchbases", touchbase_events)
        agreement_applied.connect(on_agreement_applied, dispatch_uid="touchbases")
        # The intake's cadence step warns of a slot the two already meet in for another job.
        cadence_check_register("touchbases", series_clashing)
        job_role_changed.connect(on_job_role_changed, dispatch_uid="touchbases")
        # A new time zone moves the weekly update to its day and time there, at once.
        calendar_changed.connect(on_calendar_changed, dispatch_uid="touchbases")
        # A search that ends drops its open action items; the job form says so first.
        job_closed.connect(on_job_closed, dispatch_uid="touchbases")
        job_ending_effect_register(action_items_ending)
        # Reopened, the series and its unrecorded meetings' asks come back at once.
        job_reopened.connect(on_job_reopened, dispatch_uid="touchbases")
        steps = [
            ("touch-base series", series_sync_due),
            ("touch-bases", touchbases_advance),
            ("weekly updates", weekly_updates_send),
        ]
        known = {name for name, _ in worker.STEPS}
        worker.STEPS.extend(step for step in steps if step[0] not in known)
