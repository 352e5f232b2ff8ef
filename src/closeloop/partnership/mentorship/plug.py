"""What the mentorship part plugs into the layers below (called from PartnershipConfig.ready())."""

from __future__ import annotations

from closeloop.calendars.sources import register_source
from closeloop.followups.selectors import register_ask_url
from closeloop.partnership.mentorship import policies  # noqa: F401  (registers its ask kinds)
from closeloop.partnership.mentorship.calendar import action_url, mentoring_events, mentorship_url


def plug_in() -> None:
    """Register this part's ask kinds (at import), ask pages and calendar source."""
    register_ask_url("mentorship", mentorship_url)
    register_ask_url("mentoring-action", action_url)
    register_source("mentorship", mentoring_events)
