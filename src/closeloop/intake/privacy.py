"""What intake agreements may say about a candidate: their notes and criteria are about the
job, but a note can cite someone ("like Carla Candidate, but in Berlin"). Plugged into
pipeline.privacy: erasure takes the mention out; an export lists the versions that named them.
"""

from __future__ import annotations

from typing import Any

from closeloop.intake.models import IntakeVersion
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource

TEXT_FIELDS = ("notes", "must_haves", "nice_to_haves", "deal_breakers")


def intake_erase(erasure: CandidateErasure) -> None:
    """Every mention of the candidate leaves the agreements' texts; the versions, their
    signatures and terms stay."""
    scrub = erasure.scrubber
    for version in IntakeVersion.objects.filter(scrub.q(*TEXT_FIELDS)):
        for field in TEXT_FIELDS:
            setattr(version, field, scrub.text(getattr(version, field)))
        version.save(update_fields=list(TEXT_FIELDS))


def intake_export(erasure: CandidateErasure) -> dict[str, Any]:
    versions = IntakeVersion.objects.filter(erasure.scrubber.q(*TEXT_FIELDS)).order_by("pk")
    return {
        "intake_mentions": [
            {
                "job": version.job_id,
                "version": version.number,
                # The lines naming them: a version's notes are about the whole search.
                "notes": erasure.scrubber.lines_naming(version.notes),
            }
            for version in versions
        ]
    }


PRIVACY_SOURCE = PrivacySource("intake", intake_erase, intake_export)
