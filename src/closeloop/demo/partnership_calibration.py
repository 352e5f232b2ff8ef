"""The demo's calibration: how close each hiring manager found the submitted profiles.

The pipeline's seeding decided submissions in bulk, before calibration existed in its story;
here each decision its hiring manager made gets the rating they would have given (mostly
Close or Spot on when advanced, Far off or Some way off when passed, with a few surprises
either way), and the must-haves met or missed (a pass that names a must-have missed it).

*Senior Backend Engineer* (rita recruits, hank hires) has its calibration round: its first
submissions, each with hank's sentence, side by side on the round page. *Site Reliability
Engineer* drifts: its recent submissions were mostly far off, so its figure is low and the
next touch-base agenda asks "review the must-haves?". The pipeline's story leaves hank
several submissions waiting on *Senior Backend Engineer*, so rating three of them from the
app, a phone or the email moves the job's figure. Other jobs have no round: their first
submissions predate calibration.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings

from closeloop.pipeline.models import Closeness, Submission, SubmissionDecision

ROUND_JOB = "backend"
LOW_JOB = "sre"  # recent profiles far off: the agenda flags it
FIELDS = ["closeness", "hm_must_haves_met", "hm_must_haves_missed", "calibration_note"]

# hank's ratings and sentences on the round, by his decision, in turn, with the words of
# the must-haves each sentence says are missing: the ticks agree with the sentence (the round
# page shows them side by side), and no sentence names an employer (it is said of several
# candidates, each at a company of their own).
ROUND_ADVANCED = [
    (Closeness.SPOT_ON, "Spot on: has run a public API others build on, pager included.", ()),
    (
        Closeness.CLOSE,
        "Close: on-call and Postgres are there; API design needs a deeper look.",
        ("API",),
    ),
    (
        Closeness.SOME_WAY_OFF,
        "Some way off on paper, but the on-call story is worth an hour.",
        ("PostgreSQL", "API"),
    ),
]
ROUND_PASSED = [
    (
        Closeness.FAR_OFF,
        "Good engineer, wrong shape: mostly front-end work for three years.",
        ("PostgreSQL", "API", "On-call"),
    ),
    (Closeness.SOME_WAY_OFF, "Strong Python, but the APIs were all internal ones.", ("API",)),
    (
        Closeness.CLOSE,
        "Close, but never ran PostgreSQL at anything like our scale.",
        ("PostgreSQL",),
    ),
]
SENTENCES = {
    Closeness.FAR_OFF: "Far from the role: the core must-haves are missing.",
    Closeness.SOME_WAY_OFF: "Some of it is there, not the must-haves that matter most.",
    Closeness.CLOSE: "Close to what we need; one gap to probe in the interview.",
    Closeness.SPOT_ON: "Exactly the profile we are looking for.",
}


def _closeness(submission: Submission, draw: random.Random, low: bool) -> int:
    """What the HM would have said, given what they decided (a few surprises either way)."""
    if submission.decision == SubmissionDecision.ADVANCED:
        choices = [Closeness.CLOSE, Closeness.SPOT_ON, Closeness.SOME_WAY_OFF]
        weights = [5, 3, 1] if not low else [3, 1, 3]
    else:
        choices = [Closeness.FAR_OFF, Closeness.SOME_WAY_OFF, Closeness.CLOSE]
        weights = [4, 4, 1] if not low else [6, 3, 0]
    return draw.choices(choices, weights)[0]


def _rate(
    submission: Submission,
    closeness: int,
    draw: random.Random,
    sentence: str,
    missing: tuple[str, ...] | None = None,
) -> None:
    """`missing`: the words of the must-haves the sentence says are missing (the round's),
    else a lower rating misses one or two at random."""
    listed = submission.application.job.must_have_list
    # A pass that names a must-have missed it.
    missed = {m for m in listed if m in submission.decision_note}
    if missing is not None:
        missed.update(m for m in listed if any(word in m for word in missing))
    else:
        misses = {Closeness.FAR_OFF: 2, Closeness.SOME_WAY_OFF: 1}.get(Closeness(closeness), 0)
        missed.update(draw.sample(listed, min(misses, len(listed))))
    submission.closeness = closeness
    submission.hm_must_haves_met = [m for m in listed if m not in missed]
    submission.hm_must_haves_missed = [m for m in listed if m in missed]
    submission.calibration_note = sentence


def _rate_job(key: str, ctx: Any) -> int:
    """Rate the job's decisions its HM made; the round job's first ones get sentences."""
    job = ctx.job
    rows = list(
        Submission.objects.filter(application__job=job)
        .select_related("application__job")
        .order_by("submitted_at", "pk")
    )
    in_round = rows[: settings.CALIBRATION_ROUND_SIZE] if key == ROUND_JOB else []
    rated = []
    for index, submission in enumerate(rows):
        submission.in_calibration_round = submission in in_round
        if submission.decided_by_id != job.hiring_manager_id or submission.decided_at is None:
            continue
        draw = random.Random(f"{key}:{index}")
        recent = index >= len(rows) - 8
        closeness = _closeness(submission, draw, low=key == LOW_JOB and recent)
        sentence, missing = "", None
        if submission.in_calibration_round:
            closeness, sentence, missing = _round_rating(submission, index)
        elif draw.random() < 0.3:
            sentence = SENTENCES[Closeness(closeness)]
        _rate(submission, closeness, draw, sentence, missing)
        rated.append(submission)
    Submission.objects.bulk_update(rows, ["in_calibration_round"], batch_size=500)
    Submission.objects.bulk_update(rated, FIELDS, batch_size=500)
    return len(rated)


def _round_rating(submission: Submission, index: int) -> tuple[int, str, tuple[str, ...]]:
    """hank's rating and sentence on a round submission, matching his decision, and the
    must-haves the sentence says are missing."""
    advanced = submission.decision == SubmissionDecision.ADVANCED
    said = ROUND_ADVANCED if advanced else ROUND_PASSED
    return said[index % len(said)]


def seed(org: Any) -> dict[str, int]:
    # hank's submissions waiting on Senior Backend Engineer come from the pipeline's story
    # (the same at every moment of seeding; tests/partnership/test_calibration_demo.py).
    return {"calibration_ratings": sum(_rate_job(key, ctx) for key, ctx in org.jobs.items())}
