"""What interviews, scorecards and debriefs hold about a candidate: plugged into
pipeline.privacy (erase on request or after retention; export for an access request)."""

from __future__ import annotations

from typing import Any

from closeloop.interviews.models import Debrief, Interview, Scorecard
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def interviews_erase(erasure: CandidateErasure) -> None:
    """The candidate's interviews lose their briefing notes and meeting links, their
    scorecards the written notes, their debriefs the rationale; the ratings,
    recommendations, decisions and timings stay (calibration and responsiveness still add
    up). An interview, scorecard or debrief is always about one candidate: another's, even
    of someone with the same name, is not touched."""
    ids, scrub = erasure.application_ids, erasure.scrubber
    # Their meetings' links go too: a coordinator may have named the room after them.
    Interview.objects.filter(application_id__in=ids).update(
        notes="", cancel_reason="", video_url=""
    )
    Scorecard.objects.filter(interview__application_id__in=ids).update(notes="")
    Debrief.objects.filter(application_id__in=ids).update(rationale="")
    texts = ("notes", "cancel_reason", "location", "video_url")
    # Rows about another candidate name that person (who may share the full name): left alone.
    for interview in Interview.objects.filter(scrub.q(*texts), application_id__in=ids):
        interview.notes = scrub.text(interview.notes)
        interview.cancel_reason = scrub.text(interview.cancel_reason)[:300]
        interview.location = scrub.text(interview.location)[:200]
        interview.video_url = scrub.text(interview.video_url)[:500]
        interview.save(update_fields=list(texts))
    for card in Scorecard.objects.filter(scrub.q("notes"), interview__application_id__in=ids):
        card.notes = scrub.text(card.notes)
        card.save(update_fields=["notes"])
    for debrief in Debrief.objects.filter(scrub.q("rationale", "location"), application_id__in=ids):
        debrief.rationale = scrub.text(debrief.rationale)
        debrief.location = scrub.text(debrief.location)[:200]
        debrief.save(update_fields=["rationale", "location"])


def interviews_export(erasure: CandidateErasure) -> dict[str, Any]:
    ids = erasure.application_ids
    interviews = (
        Interview.objects.filter(application_id__in=ids)
        .prefetch_related("interviewers", "scorecards__interviewer")
        .order_by("starts_at", "pk")
    )
    debriefs = Debrief.objects.filter(application_id__in=ids).order_by("opened_at", "pk")
    return {
        "interviews": [
            {
                "application": interview.application_id,
                "round": interview.round_name,
                "starts_at": _when(interview.starts_at),
                "status": interview.status,
                "interviewers": [str(person) for person in interview.interviewers.all()],
                "notes": interview.notes,
                "scorecards": [
                    {
                        "interviewer": str(card.interviewer),
                        "status": card.status,
                        "ratings": card.ratings,
                        "recommendation": card.recommendation,
                        "notes": card.notes,
                        "submitted_at": _when(card.submitted_at),
                    }
                    for card in interview.scorecards.all()
                ],
            }
            for interview in interviews
        ],
        "debriefs": [
            {
                "application": debrief.application_id,
                "round": debrief.round_name,
                "status": debrief.status,
                "decision": debrief.decision,
                "rationale": debrief.rationale,
                "decided_at": _when(debrief.decided_at),
            }
            for debrief in debriefs
        ],
    }


PRIVACY_SOURCE = PrivacySource("interviews", interviews_erase, interviews_export)
