from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "closeloop.intake"
    label = "intake"
    verbose_name = "Intake agreements"

    def ready(self) -> None:
        from closeloop.followups.selectors import register_ask_url
        from closeloop.intake import (
            policies,  # noqa: F401  (registers sign_intake)
            privacy,
        )
        from closeloop.intake.receivers import (
            on_job_closed,
            on_job_reopened,
            on_submission_passed_citing,
        )
        from closeloop.intake.selectors import (
            intake_ask_url,
            intake_ask_urls,
            intake_first_progress,
            intake_in_force,
        )
        from closeloop.jobs.hooks import job_closed, job_reopened
        from closeloop.jobs.selectors import agreement_source_register
        from closeloop.pipeline.first_steps import intake_progress_register
        from closeloop.pipeline.hooks import submission_passed_citing
        from closeloop.pipeline.privacy import privacy_register

        # The signed version is the job's agreement in force (jobs hides the fields it owns).
        agreement_source_register(intake_in_force)

        # A sign_intake ask ("intake:<version pk>:<side>") is answered on the version's page.
        register_ask_url("intake", intake_ask_url, many=intake_ask_urls)
        # A new organisation's first steps end with the first intake written.
        intake_progress_register(intake_first_progress)
        # A pass citing the agreement is recorded for the drift watch.
        submission_passed_citing.connect(on_submission_passed_citing, dispatch_uid="intake")
        # An ended search is not chased for signatures; reopened, they are asked again.
        job_closed.connect(on_job_closed, dispatch_uid="intake")
        job_reopened.connect(on_job_reopened, dispatch_uid="intake")
        # An agreement's notes may cite a candidate: erasure takes the mention out.
        privacy_register(privacy.PRIVACY_SOURCE)
