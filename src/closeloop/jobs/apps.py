from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "closeloop.jobs"
    label = "jobs"

    def ready(self) -> None:
        from closeloop.accounts.hooks import (
            deactivation_impact_register,
            role_removal_check_register,
        )
        from closeloop.jobs.people import deactivation_jobs_impact, role_removal_jobs_check

        # The deactivation page lists the live jobs a leaving person still runs.
        deactivation_impact_register("jobs", deactivation_jobs_impact, order=20)
        # A live job's hiring manager or recruiter keeps that role until the job has another.
        role_removal_check_register("jobs", role_removal_jobs_check)
