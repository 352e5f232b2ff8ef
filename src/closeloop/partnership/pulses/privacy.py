"""What pulses hold about a candidate: a comment that names one ("Sam's feedback took a
week"). Plugged into pipeline.privacy: erasing takes the mentions out, the scores stay."""

from __future__ import annotations

from typing import Any

from closeloop.partnership.pulses.models import PulseAnswer
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource


def pulses_erase(erasure: CandidateErasure) -> None:
    scrub = erasure.scrubber
    changed = []
    for answer in PulseAnswer.objects.filter(scrub.q("comment")).only("pk", "comment"):
        answer.comment = scrub.text(answer.comment)
        changed.append(answer)
    PulseAnswer.objects.bulk_update(changed, ["comment"], batch_size=500)


def pulses_export(erasure: CandidateErasure) -> dict[str, Any]:
    """The comments that name the person (what a pulse holds about them)."""
    answers = PulseAnswer.objects.filter(erasure.scrubber.q("comment")).order_by("pk")
    lines = [erasure.scrubber.lines_naming(answer.comment) for answer in answers]
    return {"pulse_comments": [" ".join(found) for found in lines]}


PRIVACY_SOURCE = PrivacySource("partnership-pulses", pulses_erase, pulses_export)
