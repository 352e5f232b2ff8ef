"""What the mentorship part plugs into the layers below (called from PartnershipConfig.ready())."""

from __future__ import annotations

from closeloop.accounts.hooks import (
    deactivation_impact_register,
    people_field_register,
    person_deactivated,
)
from closeloop.calendars.sources import register_source
from closeloop.followups.selectors import register_ask_url
from closeloop.partnership.mentorship import policies  # noqa: F401  (registers its ask kinds)
from closeloop.partnership.mentorship.calendar import action_url, mentoring_events, mentorship_url
from closeloop.partnership.mentorship.privacy import PRIVACY_SOURCE
from closeloop.partnership.mentorship.receivers import (
    deactivation_mentorship_impact,
    on_person_deactivated,
)
from closeloop.partnership.mentorship.selectors import mentees_to_offer
from closeloop.pipeline.privacy import privacy_register


def plug_in() -> None:
    """Register this part's ask kinds (at import), ask pages, calendar source, privacy
    source and what ends when a person is deactivated."""
    register_ask_url("mentorship", mentorship_url)
    register_ask_url("mentoring-action", action_url)
    register_source("mentorship", mentoring_events)
    # What erasing or exporting a candidate covers here: session notes, action items.
    privacy_register(PRIVACY_SOURCE)
    person_deactivated.connect(on_person_deactivated, dispatch_uid="mentorship-deactivated")
    # The deactivation page says so beforehand.
    deactivation_impact_register("mentorship", deactivation_mentorship_impact, order=40)
    # A big organisation's typed mentee offers whom the list would.
    people_field_register("mentee", mentees_to_offer)
