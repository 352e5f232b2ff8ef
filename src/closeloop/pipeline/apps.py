from __future__ import annotations

from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "closeloop.pipeline"
    label = "pipeline"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from closeloop.accounts.signin import welcome_calendar_said_register
        from closeloop.followups import worker
        from closeloop.followups.one_click import one_click_register
        from closeloop.jobs.hooks import job_closed, job_ending_effect_register, job_role_changed
        from closeloop.jobs.selectors import job_counts_register, stage_occupancy_register
        from closeloop.pipeline import policies  # noqa: F401  (registers its ask kinds)
        from closeloop.pipeline.first_steps import first_steps_say_calendar
        from closeloop.pipeline.one_click import REVIEW_ONE_CLICK
        from closeloop.pipeline.privacy import RETENTION_STEP, retention_step
        from closeloop.pipeline.search import search_after_migrate
        from closeloop.pipeline.selectors import job_list_counts, stage_occupancy_counts
        from closeloop.pipeline.services import (
            ENDED_JOBS_STEP,
            ended_jobs_close,
            job_ending_active_candidates,
            on_job_closed,
            on_job_role_changed,
        )

        # A newcomer whose first steps list their calendar is not told it twice on arrival.
        welcome_calendar_said_register(first_steps_say_calendar)
        # Review reminders carry Advance / Pass / Ask a question / Snooze buttons.
        one_click_register(REVIEW_ONE_CLICK)
        # A new recruiter or hiring manager: the candidates waiting on the old one wait on them.
        job_role_changed.connect(on_job_role_changed, dispatch_uid="pipeline")
        # A search that ends closes its active candidates; the job form says so first.
        job_closed.connect(on_job_closed, dispatch_uid="pipeline")
        job_ending_effect_register(job_ending_active_candidates)
        # The jobs list counts each job's candidates by the pipeline's visibility rule.
        job_counts_register(job_list_counts)
        # The stage editor counts who stands in each stage by the board's rule.
        stage_occupancy_register(stage_occupancy_counts)
        # Retention: tell the admins, then anonymise candidates long closed (README
        # "Candidate privacy"); once even if ready() runs twice.
        # A big search's candidates beyond the first JOB_CLOSE_NOW close in the worker.
        known = {name for name, _ in worker.STEPS}
        steps = [(RETENTION_STEP, retention_step), (ENDED_JOBS_STEP, ended_jobs_close)]
        worker.STEPS.extend(step for step in steps if step[0] not in known)
        # Search's full-text indexes are database objects no model declares: made after
        # every migrate (and for test databases built without migrations).
        post_migrate.connect(search_after_migrate, sender=self, dispatch_uid="closeloop.search")
