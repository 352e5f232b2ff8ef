"""Two-way partnership pulses: every few weeks each side of an open job rates the other.

A *round* is opened by the worker when the job's agreed cadence is due (`pulse_weeks` in the
intake agreement in force, every 2 weeks by default). The hiring manager rates the recruiter
and the recruiter rates the hiring manager: three questions each, 1 to 5, and an optional
comment. Answers are blind: each side sees only its own until the round is *revealed*,
when both have answered or the window closes; from then on they are final.

See docs/architecture.md#two-way-pulses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX = 1000


class PulseSide(models.TextChoices):
    """Who answers: the hiring manager (about the recruiter) or the recruiter (about the HM)."""

    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    RECRUITER = "recruiter", "Recruiter"


# The three questions each side answers about the other, in order (score_1, score_2, score_3).
QUESTIONS: dict[str, tuple[str, str, str]] = {
    PulseSide.HIRING_MANAGER: ("Quality of the slate", "Communication", "Pace"),
    PulseSide.RECRUITER: ("Speed of answers", "Clarity of feedback", "Availability"),
}


class RevealReason(models.TextChoices):
    BOTH_ANSWERED = "both_answered", "Both sides answered"
    WINDOW_CLOSED = "window_closed", "The window closed"
    # The job was filled or closed while the round was open: nobody is chased for scores
    # about a search that is over, and what was answered is kept.
    JOB_ENDED = "job_ended", "The search ended"


class PulseRound(models.Model):
    """One round of a job's pulse: who answers (as the team stood when it opened) and when it
    closes. `revealed_at` empty = open (answers blind and changeable)."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="pulse_rounds")
    number = models.PositiveIntegerField()
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)
    reveal_reason = models.CharField(max_length=16, choices=RevealReason.choices, blank=True)
    # What the reveal flagged (a score of 2 or lower, a drop of more than a point): a list of
    # {"side", "question", "label", "score", "previous", "about"} for the agenda and alerts.
    alerts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["job", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="pulse_unique_round_number"),
            models.UniqueConstraint(
                fields=["job"],
                condition=Q(revealed_at__isnull=True),
                name="pulse_one_open_round_per_job",
            ),
        ]
        indexes = [models.Index(fields=["revealed_at", "closes_at"])]

    def __str__(self) -> str:
        return f"{self.job} pulse {self.number}"

    @property
    def is_open(self) -> bool:
        return self.revealed_at is None

    def person_for(self, side: str) -> int:
        """The id of who answers for `side`."""
        return self.hiring_manager_id if side == PulseSide.HIRING_MANAGER else self.recruiter_id

    def about_for(self, side: str) -> int:
        """The id of who `side` rates (the other side)."""
        return self.recruiter_id if side == PulseSide.HIRING_MANAGER else self.hiring_manager_id


def _score_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )


class PulseAnswer(models.Model):
    """One side's answer in one round (changeable until the round is revealed)."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="answers")
    side = models.CharField(max_length=16, choices=PulseSide.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pulse_answers_received"
    )
    score_1 = _score_field()
    score_2 = _score_field()
    score_3 = _score_field()
    comment = models.TextField(max_length=COMMENT_MAX, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=16, default="app")

    class Meta:
        ordering = ["round", "side"]
        constraints = [
            models.UniqueConstraint(fields=["round", "side"], name="pulse_one_answer_per_side"),
            models.CheckConstraint(
                condition=Q(score_1__gte=1, score_1__lte=5)
                & Q(score_2__gte=1, score_2__lte=5)
                & Q(score_3__gte=1, score_3__lte=5),
                name="pulse_scores_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["about", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.get_side_display()} answer, {self.round}"

    @property
    def scores(self) -> tuple[int, int, int]:
        return (self.score_1, self.score_2, self.score_3)

    @property
    def average(self) -> float:
        return sum(self.scores) / 3

    @property
    def questions(self) -> list[tuple[str, int]]:
        return list(zip(QUESTIONS[self.side], self.scores, strict=True))


def alert_text(alert: dict[str, Any]) -> str:
    """One flagged score in words: "Pace for Rita Recruiter: 2 (was 4)"."""
    was = f" (was {alert['previous']})" if alert.get("previous") is not None else ""
    return f"{alert['label']} for {alert['about']}: {alert['score']}{was}"
