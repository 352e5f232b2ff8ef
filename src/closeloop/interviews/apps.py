from __future__ import annotations

from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "closeloop.interviews"
    label = "interviews"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete

        from closeloop.accounts.hooks import absence_note_register, deactivation_impact_register
        from closeloop.calendars.sources import register_source
        from closeloop.followups import worker
        from closeloop.followups.selectors import register_ask_url
        from closeloop.interviews import (
            calendar,
            moves,
            policies,  # noqa: F401  (registers its ask kinds)
            privacy,
            queue,
            receivers,
            selectors,
            services,
        )
        from closeloop.interviews.models import Interview
        from closeloop.interviews.people import (
            absence_interviews_note,
            deactivation_interviews_impact,
        )
        from closeloop.pipeline.hooks import application_closed, application_moved
        from closeloop.pipeline.interview_source import interview_source_register
        from closeloop.pipeline.move_words import move_words_register
        from closeloop.pipeline.privacy import privacy_register

        # Worker steps, once even if ready() runs twice: interviews that ended open their
        # scorecard asks; rounds whose scorecards are overdue open their debrief.
        steps = [
            ("interviews_complete", lambda: services.interviews_complete()),
            ("debriefs_open_due", lambda: services.debriefs_open_due()),
        ]
        known = {name for name, _ in worker.STEPS}
        worker.STEPS.extend(step for step in steps if step[0] not in known)

        # Where their asks are answered: the interview's briefing, the debrief's page.
        register_ask_url("scorecard", selectors.scorecard_ask_url)
        register_ask_url("debrief", selectors.debrief_ask_url)
        register_source("interviews", calendar.interview_events_for)
        application_closed.connect(receivers.on_application_closed, dispatch_uid="interviews")
        # A hand move into a Debrief stage opens the debrief of the rounds held (or is
        # refused); a move out of one records them decided by the move.
        application_moved.connect(receivers.on_application_moved, dispatch_uid="interviews")
        register_source("debriefs", calendar.debrief_events_for)
        # The queue's "whose move" and its interview lists read interviews through this.
        interview_source_register(queue.QUEUE_SOURCE)
        # A move says who decides after the debrief it opened, or which debriefs it closed
        # (a move out of Debrief decides them), then the interviews it left still to come.
        move_words_register("interviews_decisions", moves.move_decisions_words, order=10)
        move_words_register("interviews_settled", moves.move_settled_words, order=15)
        move_words_register("interviews_ahead", moves.move_interviews_left_words, order=20)
        # Panel seats follow every change of a panel made through the m2m API (services,
        # admin, shell) and every interview deleted (its panel rows go without a signal).
        m2m_changed.connect(
            receivers.on_panel_changed,
            sender=Interview.interviewers.through,
            dispatch_uid="interviews_panel_seats",
        )
        post_delete.connect(
            receivers.on_interview_deleted, sender=Interview, dispatch_uid="interviews_seats"
        )
        # What erasing or exporting a candidate covers here: scorecards, debriefs, notes.
        privacy_register(privacy.PRIVACY_SOURCE)
        # A person who leaves still sits on panels to come: the deactivation page lists them.
        deactivation_impact_register("interviews", deactivation_interviews_impact, order=30)
        # Saving an absence on the profile names the panels it collides with.
        absence_note_register("interviews", absence_interviews_note)
