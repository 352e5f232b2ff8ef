"""What surveys and check-ins hold about a candidate: plugged into pipeline.privacy.

A check-in is about one hire: erasing empties its sentence (the rating and "hire again" stay,
they count something). A survey answer is about the search: it loses every mention of the
person and stays.
"""

from __future__ import annotations

from typing import Any

from closeloop.partnership.surveys.models import QualityCheckin, SurveyAnswer
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource


def surveys_erase(erasure: CandidateErasure) -> None:
    QualityCheckin.objects.filter(application_id__in=erasure.application_ids).update(note="")
    scrub = erasure.scrubber
    changed = []
    mentions = scrub.q("what_worked") | scrub.q("what_to_change")
    for answer in SurveyAnswer.objects.filter(mentions).only("pk", "what_worked", "what_to_change"):
        answer.what_worked = scrub.text(answer.what_worked)
        answer.what_to_change = scrub.text(answer.what_to_change)
        changed.append(answer)
    SurveyAnswer.objects.bulk_update(changed, ["what_worked", "what_to_change"], batch_size=500)


def surveys_export(erasure: CandidateErasure) -> dict[str, Any]:
    """The check-ins on the person's hires, as plain data."""
    rows = QualityCheckin.objects.filter(application_id__in=erasure.application_ids)
    return {
        "quality_checkins": [
            {
                "days": checkin.days,
                "hired_at": checkin.hired_at.isoformat(),
                "rating": checkin.get_rating_display() if checkin.rating else None,
                "hire_again": checkin.hire_again or None,
                "note": checkin.note,
                "answered_at": checkin.answered_at.isoformat() if checkin.answered_at else None,
                "changed_at": checkin.changed_at.isoformat() if checkin.changed_at else None,
            }
            for checkin in rows.order_by("hired_at", "days")
        ]
    }


PRIVACY_SOURCE = PrivacySource("partnership-surveys", surveys_erase, surveys_export)
