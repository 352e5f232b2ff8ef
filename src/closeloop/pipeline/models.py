"""Candidates, their applications to jobs, submissions to the HM and the stage history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from closeloop.lib.files import resume_upload_path
from closeloop.lib.folding import case_key
from closeloop.lib.models import AppendOnlyModel

if TYPE_CHECKING:
    from closeloop.jobs.models import Job


class Source(models.TextChoices):
    SOURCED = "sourced", "Sourced by recruiter"
    REFERRAL = "referral", "Referral"
    INBOUND = "inbound", "Applied"
    AGENCY = "agency", "Agency"
    INTERNAL = "internal", "Internal"
    EVENT = "event", "Event"
    OTHER = "other", "Other"


class Candidate(models.Model):
    """A person being considered. Not a user: candidates receive messages, never log in."""

    full_name = models.CharField(max_length=150)
    # Null (not blank) when unknown, so the unique constraint only binds real addresses.
    email = models.EmailField(null=True, blank=True, unique=True)
    phone = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=120, blank=True)
    links = models.TextField(blank=True, help_text="Profile or portfolio links, one per line.")
    current_company = models.CharField(max_length=150, blank=True)
    current_title = models.CharField(max_length=150, blank=True)
    expected_compensation = models.PositiveIntegerField(null=True, blank=True)
    compensation_currency = models.CharField(max_length=3, blank=True, default="EUR")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SOURCED)
    resume = models.FileField(upload_to=resume_upload_path, blank=True)
    resume_filename = models.CharField(max_length=200, blank=True)
    # The résumé's words (lib.documents), for search; erased with the résumé.
    resume_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Candidate privacy (pipeline.privacy): when the person was erased (their details gone,
    # the anonymous rows kept), when admins were told retention would anonymise them, and
    # an admin's decision to keep them anyway (a legal hold), with who and why.
    erased_at = models.DateTimeField(null=True, blank=True)
    retention_noticed_at = models.DateTimeField(null=True, blank=True)
    retention_kept_at = models.DateTimeField(null=True, blank=True)
    retention_kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retention_kept_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["full_name", "pk"]
        indexes = [
            # A job's funnel counts its candidates by source: read from this index alone, a
            # job's 2,000 candidates cost 2,000 lookups; without it PostgreSQL read every
            # candidate of the organisation to join them (37 ms at 100,000, 7 with it).
            models.Index(fields=["id", "source"], name="candidate_source_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class ApplicationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RejectionReason(models.TextChoices):
    """Structured reasons for passes and rejections: what calibration and drift count."""

    SKILLS = "skills", "Missing a must-have skill"
    EXPERIENCE = "experience", "Experience level does not fit"
    COMPENSATION = "compensation", "Compensation expectations"
    LOCATION = "location", "Location or work pattern"
    COMMUNICATION = "communication", "Communication"
    TEAM_FIT = "team_fit", "Team or role fit"
    STABILITY = "stability", "Career history"
    OTHER_CANDIDATE = "other_candidate", "A stronger candidate was chosen"
    OTHER = "other", "Other (see note)"


# A rejection nobody picks on the form: the search ended (the job was filled or closed) with
# the candidate still active (pipeline.services.on_job_closed).
JOB_CLOSED_REASON = "job_closed"
JOB_CLOSED_LABEL = "The job closed"


class WithdrawalReason(models.TextChoices):
    OTHER_OFFER = "other_offer", "Accepted another offer"
    COUNTER_OFFER = "counter_offer", "Stayed after a counter-offer"
    PROCESS_TOO_SLOW = "process_too_slow", "Our process was too slow"
    COMPENSATION = "compensation", "Compensation"
    PERSONAL = "personal", "Personal reasons"
    NOT_INTERESTED = "not_interested", "Lost interest in the role"
    OTHER = "other", "Other (see note)"


class Application(models.Model):
    """A candidate on a job, in one stage, with whose move it is."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="applications")
    stage = models.ForeignKey("jobs.Stage", on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.ACTIVE
    )
    entered_stage_at = models.DateTimeField(default=timezone.now)
    next_move_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owed_applications",
        help_text="Who the candidate waits on now; empty when the loop is closed.",
    )
    next_move_since = models.DateTimeField(null=True, blank=True)
    # The last time the candidate heard from us: the candidate waiting clock runs from here.
    candidate_updated_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=32, blank=True)
    closed_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-entered_stage_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "job"], name="application_once_per_job"),
        ]
        indexes = [
            # A job's applications by status, longest in stage first. The columns after
            # them are what the jobs list counts per job (time in stage, whose move) and
            # what a visibility check reads (the id), so those counts are index-only scans.
            # The id is a key column, not an INCLUDE, so the index is the same on SQLite.
            models.Index(
                fields=["job", "status", "entered_stage_at", "next_move_owner", "id"],
                name="application_job_status_idx",
            ),
            models.Index(fields=["next_move_owner", "status"]),
            # The candidates of a person's jobs, read from the index alone: a search checks
            # its matches against that set (`candidate_visible_many_q`).
            models.Index(fields=["job", "candidate"], name="application_job_candidate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"

    @property
    def is_active(self) -> bool:
        return self.status == ApplicationStatus.ACTIVE

    def closed_reason_label(self) -> str:
        if self.closed_reason == JOB_CLOSED_REASON:
            return JOB_CLOSED_LABEL
        choices = RejectionReason if self.status == ApplicationStatus.REJECTED else WithdrawalReason
        return str(dict(choices.choices).get(self.closed_reason, self.closed_reason))


class SubmissionDecision(models.TextChoices):
    PENDING = "pending", "Waiting for the HM"
    ADVANCED = "advanced", "Advanced"
    PASSED = "passed", "Passed"
    # The application closed while the submission waited, not by a pass: the candidate
    # withdrew (or was erased). Nobody decided, so it has no decided_by or decided_at and
    # counts as neither a pass nor a decision (the funnel, calibration, decision times).
    CLOSED = "closed", "Closed before a decision"


class Closeness(models.IntegerChoices):
    """How close a submitted profile was to what the HM needs, said with the decision
    (calibration). Numbers, so "Close or better" is `closeness >= CLOSE` in SQL."""

    FAR_OFF = 1, "Far off"
    SOME_WAY_OFF = 2, "Some way off"
    CLOSE = 3, "Close"
    SPOT_ON = 4, "Spot on"


# The decider's sentence on a calibration-round submission: one or two plain sentences.
CALIBRATION_NOTE_MAX = 500


# What a job's funnel and the jobs side by side read of a submission, in its index's order.
SUBMISSION_READ = ["application", "submitted_at", "id", "decided_at", "decision", "pass_reason"]


class Submission(models.Model):
    """The recruiter presenting an application to the HM, with a pitch.

    With the decision the HM also rates how close the profile was (`closeness`) and which of
    the job's must-haves it met or missed in their eyes (`hm_must_haves_met` / `_missed`,
    beside the recruiter's `must_haves_met`). The job's first CALIBRATION_ROUND_SIZE
    submissions are its calibration round (`in_calibration_round`, set when submitted): the
    decider also writes a sentence (`calibration_note`). Rows decided before calibration
    existed, and imports, keep no closeness.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    pitch = models.TextField(help_text="Why this person, in the recruiter's words.")
    must_haves_met = models.JSONField(default=list, blank=True)
    # The job's must-haves as the recruiter checked them (None: submitted before they were
    # kept): one the agreement added since is not "not met", it was never asked.
    must_haves_listed = models.JSONField(null=True, blank=True)
    decision = models.CharField(
        max_length=16, choices=SubmissionDecision.choices, default=SubmissionDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    pass_reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    decision_note = models.TextField(blank=True)
    in_calibration_round = models.BooleanField(default=False)
    closeness = models.PositiveSmallIntegerField(choices=Closeness.choices, null=True, blank=True)
    hm_must_haves_met = models.JSONField(default=list, blank=True)
    hm_must_haves_missed = models.JSONField(default=list, blank=True)
    calibration_note = models.CharField(max_length=CALIBRATION_NOTE_MAX, blank=True)

    class Meta:
        ordering = ["-submitted_at", "pk"]
        indexes = [
            models.Index(fields=["decision"]),
            # The calibration figures read rated decisions by time.
            models.Index(
                fields=["decided_at"],
                condition=models.Q(closeness__isnull=False),
                name="submission_rated_idx",
            ),
            # A job's calibration round (its first few submissions), on every job page:
            # without it, PostgreSQL read every submission of the organisation (16 ms at
            # 81,000) to find none or five.
            models.Index(
                fields=["application"],
                condition=models.Q(in_calibration_round=True),
                name="submission_round_idx",
            ),
            # A job's submissions (its funnel) and a page of jobs' submissions in a period (the
            # jobs side by side), read from the index alone: by their applications, not by a
            # scan of every submission of the organisation (a job's funnel: 26 ms at 100,000
            # candidates, 6 with it). Every column those pages read is a key (SQLite has no
            # INCLUDE), and the closeness a job's calibration figures count before its round
            # (a job page read every submission of the organisation for them: 19 ms at
            # 100,000 candidates, 3 at 10,000).
            models.Index(
                fields=[*SUBMISSION_READ, "closeness"], name="submission_by_application_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Submission of {self.application}"

    @property
    def closed_undecided(self) -> bool:
        """Closed with its application when the candidate withdrew (or was erased, or the job
        closed), not by anyone's decision on it: the pages say so instead of "Passed by…",
        naming why from its `decision_note`."""
        return self.decision == SubmissionDecision.CLOSED

    def must_haves_pitched(self, job: Job) -> list[str]:
        """The must-haves this submission was pitched against: those the job listed when the
        recruiter checked them (the job's own today for a submission from before they were
        kept). The hiring manager's calibration assesses these, not ones added since."""
        return (
            job.must_have_list if self.must_haves_listed is None else list(self.must_haves_listed)
        )

    def clean(self) -> None:
        if self.decision == SubmissionDecision.PASSED and not self.pass_reason:
            raise ValidationError({"pass_reason": "A pass needs a reason."})


class Question(models.Model):
    """The HM asking the recruiter about a submission; the recruiter moves next."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


def closing_reason(reason: str, note: str) -> str:
    """How a closing StageChange records why: the reason code, then the note ("skills: …")."""
    return f"{reason}: {note}".strip(": ") if note else reason


def closing_reason_code(reason: str) -> str:
    """The code a `closing_reason` starts with ("skills: …" → "skills"); for a reason that is
    not one (a move's own words) the words before any colon, which the caller checks."""
    return reason.partition(":")[0].strip()


class StageChange(AppendOnlyModel):
    """Append-only record of every move: who, when, from, to and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        "jobs.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_stage = models.ForeignKey(
        "jobs.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            # An application's moves in order, read from the index alone: a job's funnel reads
            # its candidates' history by their applications (PostgreSQL otherwise read every
            # stage change of the organisation: 55 ms at 100,000 candidates, 10 with it).
            models.Index(
                fields=["application", "at", "id", "to_stage", "to_status"],
                name="stage_change_history_idx",
            ),
        ]


class CandidateAccessKind(models.TextChoices):
    RESUME = "resume", "Downloaded the résumé"
    EXPORT = "export", "Exported all their data"


class CandidateAccess(AppendOnlyModel):
    """Who downloaded a candidate's résumé or exported their data, and when (the view record
    admins read on the candidate's page). Holds no personal details of the candidate."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="accesses")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=CandidateAccessKind.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["candidate", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"


# Four characters for each of a name's 40, as a saved view's key has (ß folds to "ss"); the
# rare fold longer than that is cut.
TAG_NAME_KEY_MAX = 160


def tag_name_key(name: str) -> str:
    """A tag's name as it is compared (`lib.folding.case_key`); the unique constraint reads
    it, so the database, not SQL's LOWER(), decides what "the same tag" is."""
    return case_key(name)[:TAG_NAME_KEY_MAX]


class Tag(models.Model):
    """A label the hiring team puts on candidates ("python", "relocating", "silver medal").

    Tags belong to the organisation, not to a job: a candidate tagged on one search keeps the
    tag on the next, as in most ATSs. Names are unique whatever their case ("Python" and
    "python", "Übersee" and "übersee", "Straße" and "STRASSE" are one tag: `tag_name_key`),
    and kept as first typed.
    """

    name = models.CharField(max_length=40)
    # `tag_name_key(name)`, kept by save(): what makes a name once in the organisation.
    name_key = models.CharField(max_length=TAG_NAME_KEY_MAX, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="tag_name_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = tag_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)


class CandidateTag(models.Model):
    """One tag on one candidate, with who put it there. Erasing the candidate deletes these."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="candidate_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tag__name", "pk"]
        constraints = [
            # Leads with the candidate: a list row's tags and the tag filter's EXISTS on
            # (candidate, tag) are both probes of this index.
            models.UniqueConstraint(fields=["candidate", "tag"], name="candidate_tag_once"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} on {self.candidate}"


SAVED_VIEW_NAME_KEY_MAX = 240


def saved_view_name_key(name: str) -> str:
    """A saved view's name as it is compared (`lib.folding.case_key`), so "Überfällig" and
    "überfällig" (or "Straße" and "STRASSE") are one name; the unique constraint reads it."""
    return case_key(name)[:SAVED_VIEW_NAME_KEY_MAX]


class SavedView(models.Model):
    """A person's named filters of one job's candidate list; `query` is the list's query
    string (as `pipeline.forms.PipelineFilterForm` writes it), so a saved view is a link."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=60)
    # `saved_view_name_key(name)`, kept by save(): what makes a name once per person and job.
    name_key = models.CharField(max_length=SAVED_VIEW_NAME_KEY_MAX, editable=False)
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "job", "name_key"], name="saved_view_name_key_once_per_job"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = saved_view_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)
