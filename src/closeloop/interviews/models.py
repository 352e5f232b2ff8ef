"""Interviews, scorecards and debriefs: who meets which candidate, when, what
each interviewer concluded, and the decision the round ends in.

An interview belongs to one round of the job's interview plan (`jobs.InterviewRound`); its
`sequence` goes up with every change so calendar files replace the event instead of adding
another. A scorecard is one interviewer's verdict on one interview (blind until they submit
theirs). A debrief is the decision meeting after a round, for one application.

See docs/architecture.md#vocabulary.
"""

from __future__ import annotations

import datetime as dt

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from closeloop.followups.subjects import subject_key
from closeloop.lib.text import round_label
from closeloop.pipeline.models import RejectionReason

# The tags the Markdown of notes renders to; nh3 keeps only these on display (defence in depth).
NOTE_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote"}


# The Markdown people type in notes, and no more: **bold**, *italics*, lists ("- " or "1. "),
# "> " quotes and line breaks as typed. Notes are stored exactly as typed, so anything that
# looks like HTML ("List<String>", "a<b>c") is text and shown escaped, never read as a tag;
# entities are read back, so notes stored escaped by older versions still read "<5ms".
_NOTES_MARKDOWN = MarkdownIt("zero", {"breaks": True, "html": False}).enable(
    ["emphasis", "list", "blockquote", "newline", "escape", "entity"]
)


def notes_html(text: str) -> SafeString:
    """Stored notes for display: their Markdown rendered (raw HTML escaped), then sanitised."""
    rendered = _NOTES_MARKDOWN.render(text.strip())
    cleaned = nh3.clean(rendered, tags=NOTE_TAGS, attributes={}, link_rel=None).strip()
    return mark_safe(cleaned)  # noqa: S308 — nh3 output: only NOTE_TAGS, no attributes


def web_address(text: str) -> str:
    """`text` when it is one http(s) address, safe to link; else ""."""
    value = text.strip()
    try:
        _WEB_ADDRESS(value)
    except ValidationError:
        return ""
    return value


_WEB_ADDRESS = URLValidator(schemes=["https", "http"])


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Interview(models.Model):
    """One interview of one application in one round, with its interviewers."""

    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, related_name="interviews"
    )
    round = models.ForeignKey(
        "jobs.InterviewRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews",
    )
    # The round's name when booked: kept if the plan changes, and for rows without a round.
    round_name = models.CharField(max_length=80)
    # The round's focus attributes when booked: what the scorecards rate once the intake
    # removes the round from the plan (the round's own list wins while it exists).
    focus_attributes = models.JSONField(default=list, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    location = models.CharField(max_length=200, blank=True)
    video_url = models.CharField(max_length=500, blank=True, help_text="https://…")
    notes = models.TextField(blank=True, help_text="For the interviewers: what to probe.")
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    status = models.CharField(
        max_length=16, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    # RFC 5545 SEQUENCE: +1 on every reschedule and on cancellation.
    sequence = models.PositiveIntegerField(default=0)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    # When the scorecards of this interview are due at the latest (set when it completes):
    # after that the debrief opens even if some are missing.
    scorecards_due_at = models.DateTimeField(null=True, blank=True)
    debrief = models.ForeignKey(
        "interviews.Debrief",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            # The worker's sweep: scheduled interviews that have ended. Its included columns
            # (PostgreSQL) answer My queue's "has a scheduled interview of the candidate's
            # begun?" for the whole organisation from the index alone: the planner, reading
            # begun interviews off the whole table's statistics, reads every scheduled one
            # (6,700 at 100,000 candidates: 13 ms from the table, under 1 ms from the index).
            models.Index(
                fields=["ends_at"],
                name="interview_to_complete_idx",
                condition=models.Q(status="scheduled"),
                include=["starts_at", "application", "id"],
            ),
            models.Index(
                fields=["scorecards_due_at"],
                name="interview_debrief_due_idx",
                condition=models.Q(status="completed", debrief__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_name} with {self.application.candidate}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "An interview must end after it starts."})

    @property
    def uid(self) -> str:
        """The calendar UID: the same for the life of the interview."""
        return f"interview-{self.pk}@closeloop"

    @property
    def round_label(self) -> str:
        """The interview as a noun: "Onsite interview", "Technical interview" as named."""
        return round_label(self.round_name, "interview")

    @property
    def is_scheduled(self) -> bool:
        return self.status == InterviewStatus.SCHEDULED

    @property
    def is_cancelled(self) -> bool:
        return self.status == InterviewStatus.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class PanelSeat(models.Model):
    """The user sits on the panel of at least one live (not cancelled) interview of the
    application.

    Kept from the interviews' panels by `interviews.services.panel_seats_sync`, so the
    permission filters read "the applications (or jobs) this person interviews" as a few
    index lookups on (user, application) and (user, job), instead of joining every
    interview's panel: at 100,000 candidates that join read all ~106,000 interviews.
    `job` is the application's (an application never changes job), kept here so the jobs
    list needs no join through the applications. See docs/architecture.md#security-and-
    permissions.
    """

    # The unique (user, application) index leads with the user: no index of its own.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="panel_seats",
        db_index=False,
    )
    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, related_name="panel_seats"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="panel_seats")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "application"], name="panel_seat_one_per_user"),
        ]
        # The jobs list: the jobs of the user's seats, read from the index alone; search:
        # the applications of the user's seats outside given jobs, from the index alone too.
        indexes = [
            models.Index(fields=["user", "job", "application"], name="panel_seat_user_job_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on application {self.application_id}"


class Recommendation(models.TextChoices):
    """The overall verdict: four points and no neutral, so every scorecard takes a side."""

    STRONG_NO = "strong_no", "Strong no"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"


# A rating per focus attribute, 1–4 with words (again no middle).
RATING_LABELS = {1: "Weak", 2: "Mixed", 3: "Strong", 4: "Exceptional"}


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Scorecard(models.Model):
    """One interviewer's verdict on one interview: ratings, recommendation and notes.

    Blind: other interviewers see it only once they submitted their own;
    the selectors enforce it. A draft is seen only by its author.

    See docs/architecture.md#security-and-permissions.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorecards"
    )
    status = models.CharField(
        max_length=16, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    # {focus attribute: 1–4}
    ratings = models.JSONField(default=dict, blank=True)
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices, blank=True)
    notes = models.TextField(blank=True, help_text="As typed; its Markdown is shown formatted.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["interview", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="scorecard_one_per_interviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} on {self.interview}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ScorecardStatus.SUBMITTED

    @property
    def notes_html(self) -> SafeString:
        return notes_html(self.notes)

    def rating_rows(self, attributes: list[str]) -> list[tuple[str, int | None, str]]:
        """(attribute, rating, label) in the round's order; None where not rated."""
        rows = []
        for attribute in attributes:
            value = self.ratings.get(attribute)
            rows.append((attribute, value, RATING_LABELS.get(value, "")))
        return rows


class DebriefStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    HELD = "held", "On hold"
    DECIDED = "decided", "Decided"
    # The application closed (rejected elsewhere, withdrew, hired) before a decision here:
    # nothing is left to decide, and the HM's ask is cancelled with it.
    CLOSED = "closed", "Closed with the application"


class DebriefDecision(models.TextChoices):
    ADVANCE = "advance", "Advance"
    REJECT = "reject", "Reject"
    HOLD = "hold", "Hold"


class DebriefOpenedBecause(models.TextChoices):
    ALL_IN = "all_in", "All scorecards are in"
    TIME_PASSED = "time_passed", "The agreed time for scorecards has passed"
    BY_HAND = "by_hand", "Opened by the hiring team"


class Debrief(models.Model):
    """The decision meeting after a round, for one application (docs/architecture.md#vocabulary).

    Opened when the round's scorecards are in, or when the agreed time has passed; the
    hiring manager owes the decision (a `decide_after_debrief` ask). A decision on hold
    can be decided again later; advance and reject end it.
    """

    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, related_name="debriefs"
    )
    round = models.ForeignKey(
        "jobs.InterviewRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="debriefs",
    )
    round_name = models.CharField(max_length=80)
    status = models.CharField(
        max_length=16, choices=DebriefStatus.choices, default=DebriefStatus.OPEN
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_because = models.CharField(max_length=16, choices=DebriefOpenedBecause.choices)
    # When the round's last interview ended: the decision is due a set time after it.
    last_interview_ended_at = models.DateTimeField()

    # The meeting itself, when the team books one (an invitation goes out with an .ics).
    meets_at = models.DateTimeField(null=True, blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(default=30)
    time_zone = models.CharField(max_length=64, default="UTC")
    location = models.CharField(max_length=200, blank=True)
    sequence = models.PositiveIntegerField(default=0)

    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="debriefs_attended"
    )
    decision = models.CharField(max_length=16, choices=DebriefDecision.choices, blank=True)
    reject_reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    rationale = models.TextField(blank=True)
    to_stage = models.ForeignKey(
        "jobs.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The advance kept the candidate in their stage, for the plan's next round: whatever the
    # job calls that stage and whatever its kind, the words say "the next round".
    for_next_round = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    informed_at = models.DateTimeField(null=True, blank=True)
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round"],
                condition=models.Q(round__isnull=False),
                name="debrief_one_per_round",
            ),
            models.UniqueConstraint(
                fields=["application", "round_name"],
                condition=models.Q(round__isnull=True),
                name="debrief_one_per_round_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_name} debrief for {self.application.candidate}"

    @property
    def round_label(self) -> str:
        """The round as a noun: "Technical round", but "Technical interview" as it is named
        (never "Technical interview round")."""
        return round_label(self.round_name, "round")

    @property
    def uid(self) -> str:
        return f"debrief-{self.pk}@closeloop"

    @property
    def subject(self) -> str:
        """The subject of its decide ask (the queue links it to this page)."""
        return subject_key("debrief", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in (DebriefStatus.OPEN, DebriefStatus.HELD)

    @property
    def location_link(self) -> str:
        """The meeting's place when it is a web address (a video call typed into Location):
        the page links it, as an interview's video link is."""
        return web_address(self.location)

    @property
    def advanced_to(self) -> str:
        """Where an advance took the candidate, as people read it, by the job's own stage
        names: "the next round (Interviewing)" when they stayed in their stage for it, never
        "advance to Interviewing" for someone already there; else the stage they moved to
        (another interviewing stage of a job's own plan is a stage, not "the next round")."""
        stage = self.to_stage
        if stage is None:
            return ""
        if self.for_next_round:
            return f"the next round ({stage.name})"
        return stage.name

    @property
    def meets_until(self) -> dt.datetime | None:
        if self.meets_at is None:
            return None
        return self.meets_at + dt.timedelta(minutes=self.meeting_minutes)

    @property
    def has_outcome(self) -> bool:
        """Whether there is an outcome to tell the candidate: decided, not on hold (a hold
        defers the decision; the candidate is kept posted on the news clock meanwhile) nor
        sent back for another round."""
        return self.status == DebriefStatus.DECIDED and not self.sent_back

    @property
    def sent_back(self) -> bool:
        """Closed by a move of the candidate back to an earlier stage (`to_stage`), for
        another round: decided, with no decision of its own and no outcome to tell."""
        return self.status == DebriefStatus.DECIDED and not self.decision

    @property
    def informed_on(self) -> dt.datetime | None:
        """When the candidate heard the outcome: recorded here, or news given since."""
        if self.informed_at or self.decided_at is None:
            return self.informed_at
        updated = self.application.candidate_updated_at
        return updated if updated and updated >= self.decided_at else None

    @property
    def rationale_html(self) -> SafeString:
        return notes_html(self.rationale)
