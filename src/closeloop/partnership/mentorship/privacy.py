"""What mentorship holds about a candidate (session notes, action items, goals and a
pairing's note that name them): plugged into pipeline.privacy."""

from __future__ import annotations

from typing import Any

from closeloop.partnership.mentorship.models import (
    TEXT_MAX,
    MentoringAction,
    MentoringGoal,
    MentoringSession,
    Mentorship,
)
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource


def mentorship_erase(erasure: CandidateErasure) -> None:
    """Every mention of the candidate leaves the sessions' notes, the action items, the goals
    and the pairing's note ("getting Sam's offer out" is a goal someone might write); the
    rows stay."""
    scrub = erasure.scrubber
    for goal in MentoringGoal.objects.filter(scrub.q("text")):
        goal.text = scrub.text(goal.text)[:TEXT_MAX]
        goal.save(update_fields=["text"])
    for pairing in Mentorship.objects.filter(scrub.q("note")):
        pairing.note = scrub.text(pairing.note)[:TEXT_MAX]
        pairing.save(update_fields=["note"])
    for session in MentoringSession.objects.filter(scrub.q("notes")):
        session.notes = scrub.text(session.notes)
        session.save(update_fields=["notes"])
    for item in MentoringAction.objects.filter(scrub.q("description")):
        item.description = scrub.text(item.description)[:300]
        item.save(update_fields=["description"])


def mentorship_export(erasure: CandidateErasure) -> dict[str, Any]:
    """The notes' lines, goals and action items that name the person, without the other
    candidates they name (`Scrubber.without_others`)."""
    scrub = erasure.scrubber
    sessions = MentoringSession.objects.filter(scrub.q("notes")).order_by("starts_at", "pk")
    goals = MentoringGoal.objects.filter(scrub.q("text")).order_by("pk")
    items = MentoringAction.objects.filter(scrub.q("description")).order_by("due_on", "pk")
    return {
        "mentoring_notes": [
            {"starts_at": session.starts_at.isoformat(), "notes": scrub.lines_naming(session.notes)}
            for session in sessions
        ],
        "mentoring_goals": [scrub.without_others(goal.text) for goal in goals],
        "mentoring_action_items": [
            {
                "description": scrub.without_others(item.description),
                "due_on": item.due_on.isoformat(),
            }
            for item in items
        ],
    }


PRIVACY_SOURCE = PrivacySource("mentorship", mentorship_erase, mentorship_export)
