"""Mentorship: a pairing of two people with goals, sessions and action items; and each
person's "working with me" card.

See docs/architecture.md#mentorship-and-working-with-me.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

TEXT_MAX = 300  # a goal, an action item, a line of a card
NOTES_MAX = 5000  # a session's notes


class MentorshipStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


OPEN_STATUSES = (MentorshipStatus.PROPOSED, MentorshipStatus.ACTIVE)


class Mentorship(models.Model):
    """A mentor and a mentee. Proposed by an admin or the mentor, accepted or declined by
    the mentee (an `accept_mentorship` ask), or declined by a mentor someone else proposed;
    ended by either. Sessions recur every `cadence_days` from the first one."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentored_by"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=MentorshipStatus.choices, default=MentorshipStatus.PROPOSED
    )
    note = models.CharField(max_length=TEXT_MAX, blank=True, help_text="Why this pairing.")
    cadence_days = models.PositiveSmallIntegerField(default=14)
    session_minutes = models.PositiveSmallIntegerField(default=45)
    proposed_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Who declined: the mentee, or the mentor of a proposal someone else made. Either may say
    # no, so the record keeps which one did (the page names them).
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-proposed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentorship_two_people"
            ),
            # One live pairing per pair: proposing it again is refused, not duplicated.
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="mentorship_one_live_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee}"

    @property
    def is_active(self) -> bool:
        return self.status == MentorshipStatus.ACTIVE

    @property
    def is_proposed(self) -> bool:
        return self.status == MentorshipStatus.PROPOSED

    @property
    def status_at(self) -> dt.datetime:
        """When it took its present status: proposed, accepted (active), declined or ended.
        A list reads this beside the status, not the proposal's date for every one."""
        if self.status == MentorshipStatus.ENDED and self.ended_at:
            return self.ended_at
        if self.status in (MentorshipStatus.ACTIVE, MentorshipStatus.DECLINED) and (
            self.answered_at
        ):
            return self.answered_at
        return self.proposed_at


class GoalFigure(models.TextChoices):
    """Measured figures a goal may be tied to (computed by insights' responsiveness)."""

    NONE = "", "No measured figure"
    REVIEWS_IN_TIME = "reviews_in_time", "Share of reviews answered in time"
    SCORECARDS_IN_TIME = "scorecards_in_time", "Share of scorecards in time"
    ALL_IN_TIME = "all_in_time", "Share of all asks answered in time"


class MentoringGoal(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=TEXT_MAX)
    figure = models.CharField(max_length=32, choices=GoalFigure.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class MentoringSession(models.Model):
    """One meeting of a mentorship, an event in both people's calendar feeds."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=45)
    notes = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Raised on every change, so an invitation replaces the event in the calendar.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["mentorship", "starts_at"])]

    def __str__(self) -> str:
        return f"Mentoring session {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)

    @property
    def uid(self) -> str:
        return f"mentoring-session-{self.pk}@closeloop"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class MentoringAction(models.Model):
    """Something one of the two agreed to do in a session: a `mentoring_action` ask."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="action_items"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_actions"
    )
    description = models.CharField(max_length=TEXT_MAX)
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN


class WorkingCard(models.Model):
    """How a person likes to work, shown to the people they hire with."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_card"
    )
    best_times = models.CharField(max_length=TEXT_MAX, blank=True)
    channel = models.CharField(max_length=TEXT_MAX, blank=True)
    looks_for = models.CharField(max_length=TEXT_MAX, blank=True)
    feedback = models.CharField(max_length=TEXT_MAX, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Working with {self.user}"

    @property
    def is_empty(self) -> bool:
        return not any((self.best_times, self.channel, self.looks_for, self.feedback))


__all__ = ["MentoringAction", "MentoringGoal", "MentoringSession", "Mentorship", "WorkingCard"]
