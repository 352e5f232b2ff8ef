"""What mentorship holds about a candidate (session notes and action items that name them):
plugged into pipeline.privacy."""

from __future__ import annotations

from typing import Any

from closeloop.partnership.mentorship.models import MentoringAction, MentoringSession
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource


def mentorship_erase(erasure: CandidateErasure) -> None:
    """Every mention of the candidate leaves the sessions' notes and the action items; the
    rows stay."""
    scrub = erasure.scrubber
    for session in MentoringSession.objects.filter(scrub.q("notes")):
        session.notes = scrub.text(session.notes)
        session.save(update_fields=["notes"])
    for item in MentoringAction.objects.filter(scrub.q("description")):
        item.description = scrub.text(item.description)[:300]
        item.save(update_fields=["description"])


def mentorship_export(erasure: CandidateErasure) -> dict[str, Any]:
    scrub = erasure.scrubber
    sessions = MentoringSession.objects.filter(scrub.q("notes")).order_by("starts_at", "pk")
    items = MentoringAction.objects.filter(scrub.q("description")).order_by("due_on", "pk")
    return {
        "mentoring_notes": [
            {"starts_at": session.starts_at.isoformat(), "notes": session.notes}
            for session in sessions
        ],
        "mentoring_action_items": [
            {"description": item.description, "due_on": item.due_on.isoformat()} for item in items
        ],
    }


PRIVACY_SOURCE = PrivacySource("mentorship", mentorship_erase, mentorship_export)
