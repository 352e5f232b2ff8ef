from __future__ import annotations

from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "closeloop.followups"
    label = "followups"
    verbose_name = "Follow-ups"

    def ready(self) -> None:
        from closeloop.accounts.hooks import (
            absence_note_register,
            calendar_changed,
            deactivation_impact_register,
            person_count_register,
            person_deactivated,
            person_reactivated,
            reactivation_impact_register,
        )
        from closeloop.followups import worker
        from closeloop.followups.notices import working_moment_for
        from closeloop.followups.people import (
            ASKS_OWED,
            absence_delegate_note,
            deactivation_asks_impact,
            on_calendar_changed,
            on_person_deactivated,
            on_person_reactivated,
            reactivation_asks_impact,
        )
        from closeloop.followups.steps import DEFAULT_STEPS
        from closeloop.notify.selectors import private_link_register
        from closeloop.notify.services import working_moment_register

        # A person who leaves: their links die and their open asks move (docs: People).
        person_deactivated.connect(on_person_deactivated, dispatch_uid="followups-deactivated")
        person_reactivated.connect(on_person_reactivated, dispatch_uid="followups-reactivated")
        # A new working calendar: open asks keep the business time they had left in it.
        calendar_changed.connect(on_calendar_changed, dispatch_uid="followups-calendar")
        person_count_register(ASKS_OWED)
        deactivation_impact_register("followups", deactivation_asks_impact, order=10)
        reactivation_impact_register("followups", reactivation_asks_impact, order=10)
        # A delegate away during the absence: the profile says who covers instead.
        absence_note_register("followups", absence_delegate_note)

        # Every message waits for its recipient's working hours (README "Respect"): the
        # outbox holds each one by the engine's business time.
        working_moment_register(working_moment_for)

        # A one-click answer acts as its recipient: the Outbox shows it inert to others.
        private_link_register(r"/act/[^/\s\"'<>]+/")

        # Register once, even if ready() runs twice (tests can re-populate the registry).
        known = {name for name, _ in worker.STEPS}
        worker.STEPS.extend(step for step in DEFAULT_STEPS if step[0] not in known)
