"""What touch-bases hold about a candidate (notes, agenda snapshots and action items that name
them): plugged into pipeline.privacy."""

from __future__ import annotations

from typing import Any

from closeloop.lib.scrub import json_as_text
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource
from closeloop.touchbases.models import ActionItem, Touchbase


def touchbases_erase(erasure: CandidateErasure) -> None:
    """Every mention of the candidate leaves the meetings' notes, agendas, skip reasons and
    action items; the meetings and items stay."""
    scrub = erasure.scrubber
    meetings = Touchbase.objects.annotate(agenda_text=json_as_text("agenda")).filter(
        scrub.q("notes", "skip_reason", "agenda_text")
    )
    for meeting in meetings:
        meeting.notes = scrub.text(meeting.notes)
        meeting.skip_reason = scrub.text(meeting.skip_reason)[:300]
        meeting.agenda = scrub.json(meeting.agenda)
        meeting.save(update_fields=["notes", "skip_reason", "agenda"])
    for item in ActionItem.objects.filter(scrub.q("description", "drop_reason")):
        item.description = scrub.text(item.description)[:300]
        item.drop_reason = scrub.text(item.drop_reason)[:300]
        item.save(update_fields=["description", "drop_reason"])


def touchbases_export(erasure: CandidateErasure) -> dict[str, Any]:
    """The lines of meeting notes and of the meetings' kept agendas that name the person (a
    meeting talks about many candidates: the rest is theirs), and the action items naming
    them; other candidates named there are left out (`Scrubber.without_others`)."""
    scrub = erasure.scrubber
    meetings = Touchbase.objects.annotate(agenda_text=json_as_text("agenda")).filter(
        scrub.q("notes", "agenda_text")
    )
    items = ActionItem.objects.filter(scrub.q("description"))
    return {
        "touchbase_notes": [
            {
                "scheduled_at": meeting.scheduled_at.isoformat(),
                "notes": scrub.lines_naming(meeting.notes),
                "agenda": scrub.lines_naming("\n".join(_agenda_texts(meeting.agenda))),
            }
            for meeting in meetings.order_by("scheduled_at", "pk")
        ],
        "action_items": [
            {
                "description": scrub.without_others(item.description),
                "due_on": item.due_on.isoformat(),
            }
            for item in items.order_by("due_at", "pk")
        ],
    }


def _agenda_texts(value: Any) -> list[str]:
    """Every string of a kept agenda (its items' texts and details), one per line."""
    if isinstance(value, str):
        return value.splitlines()
    if isinstance(value, list):
        return [text for item in value for text in _agenda_texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _agenda_texts(item)]
    return []


PRIVACY_SOURCE = PrivacySource("touchbases", touchbases_erase, touchbases_export)
