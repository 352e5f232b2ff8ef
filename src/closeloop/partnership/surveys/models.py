"""End-of-search surveys (both sides of a closed job) and quality-of-hire check-ins (the HM,
30 and 90 days after a hire). See docs/architecture.md#partnership."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# Free text in a survey or check-in answer: a few sentences, plain text.
ANSWER_TEXT_MAX = 1000
CHECKIN_NOTE_MAX = 500


class SurveySide(models.TextChoices):
    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"


class Again(models.TextChoices):
    """Would you work together (or hire them) again?"""

    YES = "yes", "Yes"
    MAYBE = "maybe", "Maybe"
    NO = "no", "No"


class HireRating(models.IntegerChoices):
    """How the hire is doing: four levels, no middle to hide in."""

    STRUGGLING = 1, "Struggling"
    MIXED = 2, "Mixed"
    GOOD = 3, "Doing well"
    EXCELLENT = 4, "Excellent"


class SearchSurvey(models.Model):
    """The end-of-search survey of one closing of a job, to its recruiter and HM.

    Blind like scorecards: neither side sees the other's answers until both answered or the
    window closed (`revealed_at` is set then, by the second answer or the worker); answers
    change until then and are final after.
    """

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="surveys")
    outcome = models.CharField(max_length=16)  # jobs.JobOutcome at the close
    # Who the sides were when the search ended (the job's team may change later).
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    window_ends_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)
    # The job was reopened before both sides answered: the search was not over after all,
    # so nobody is asked any more and the window closed then (`revealed_at` too).
    called_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "opened_at"], name="survey_one_per_close")
        ]
        indexes = [models.Index(fields=["revealed_at", "window_ends_at"])]

    def __str__(self) -> str:
        return f"End-of-search survey of {self.job}"

    def person_for(self, side: str) -> object:
        return self.recruiter if side == SurveySide.RECRUITER else self.hiring_manager

    def side_of(self, user_id: int) -> str | None:
        """The side `user_id` answers for (a person on both sides answers as recruiter)."""
        if user_id == self.recruiter_id:
            return SurveySide.RECRUITER
        if user_id == self.hiring_manager_id:
            return SurveySide.HIRING_MANAGER
        return None


class SurveyAnswer(models.Model):
    """One side's answer to a survey; changed in place until the survey is revealed."""

    survey = models.ForeignKey(SearchSurvey, on_delete=models.CASCADE, related_name="answers")
    side = models.CharField(max_length=16, choices=SurveySide.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what_worked = models.TextField(max_length=ANSWER_TEXT_MAX, blank=True)
    what_to_change = models.TextField(max_length=ANSWER_TEXT_MAX, blank=True)
    again = models.CharField(max_length=8, choices=Again.choices)
    answered_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey", "side"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "side"], name="survey_answer_one_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}'s answer to {self.survey}"


class QualityCheckin(models.Model):
    """The HM's check-in on a hire, `days` after the hire: planned at the hire, opened (an
    ask) by the worker when due, answered on its page."""

    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, related_name="quality_checkins"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="quality_checkins")
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveSmallIntegerField()
    hired_at = models.DateTimeField()
    due_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(choices=HireRating.choices, null=True, blank=True)
    hire_again = models.CharField(max_length=8, choices=Again.choices, blank=True)
    note = models.TextField(max_length=CHECKIN_NOTE_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # the first answer
    # The last correction (None: never corrected): the page says "changed" then, as the
    # survey's answers do, and keeps when it was first answered.
    changed_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "days", "hired_at"], name="checkin_one_per_hire_and_day"
            )
        ]
        indexes = [models.Index(fields=["opened_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.days}-day check-in on {self.application}"
