"""Interviews's migrations 0001–0010 squashed: what a fresh database runs instead of them.

Hand-made (Django's documented squash, a migration that `replaces` the originals, which stay
for the installations part-way through): the operations are those makemigrations writes for
the models as they stand, each model's indexes and constraints inside its CreateModel, so a
fresh install renders the project state a few times rather than once per original operation.
The dependencies are those of the originals (the latest of each app they name): an
installation's history is checked against the same parents as before.

The originals' data migrations (RunPython) are left out, and it is safe because of when
Django's loader uses a squash (MigrationLoader.build_graph): only when NONE of the migrations
it replaces is recorded as applied. When all are, the squash is merely recorded as applied;
when some are, it is dropped and the originals run, data migrations included. None applied
means this app's tables do not exist yet (this squash creates them: it would fail on a table
already there), so they are empty when it has run, and each of those functions only rewrites
or derives rows of this app's own tables (from rows of them, or of a lower app's, as
followups' 0008 reads applications): with this app's tables empty there is nothing to do.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("interviews", "0001_initial"),
        ("interviews", "0002_rounds_scorecards_debriefs"),
        ("interviews", "0003_debrief_closed_with_application"),
        ("interviews", "0004_interview_focus_attributes"),
        ("interviews", "0005_panel_seats"),
        ("interviews", "0006_panel_seat_index_holds_application"),
        ("interviews", "0007_scorecard_notes_as_typed"),
        ("interviews", "0008_debrief_for_next_round"),
        ("interviews", "0009_panel_seats_of_live_interviews"),
        ("interviews", "0010_scheduled_interviews_covered"),
    ]

    initial = True

    dependencies = [
        ("jobs", "0010_job_held_at"),
        ("pipeline", "0015_tag_name_key_unique"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Debrief",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round_name", models.CharField(max_length=80)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Waiting for a decision"),
                            ("held", "On hold"),
                            ("decided", "Decided"),
                            ("closed", "Closed with the application"),
                        ],
                        default="open",
                        max_length=16,
                    ),
                ),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "opened_because",
                    models.CharField(
                        choices=[
                            ("all_in", "All scorecards are in"),
                            ("time_passed", "The agreed time for scorecards has passed"),
                            ("by_hand", "Opened by the hiring team"),
                        ],
                        max_length=16,
                    ),
                ),
                ("last_interview_ended_at", models.DateTimeField()),
                ("meets_at", models.DateTimeField(blank=True, null=True)),
                ("meeting_minutes", models.PositiveSmallIntegerField(default=30)),
                ("time_zone", models.CharField(default="UTC", max_length=64)),
                ("location", models.CharField(blank=True, max_length=200)),
                ("sequence", models.PositiveIntegerField(default=0)),
                (
                    "decision",
                    models.CharField(
                        blank=True,
                        choices=[("advance", "Advance"), ("reject", "Reject"), ("hold", "Hold")],
                        max_length=16,
                    ),
                ),
                (
                    "reject_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("skills", "Missing a must-have skill"),
                            ("experience", "Experience level does not fit"),
                            ("compensation", "Compensation expectations"),
                            ("location", "Location or work pattern"),
                            ("communication", "Communication"),
                            ("team_fit", "Team or role fit"),
                            ("stability", "Career history"),
                            ("other_candidate", "A stronger candidate was chosen"),
                            ("other", "Other (see note)"),
                        ],
                        max_length=32,
                    ),
                ),
                ("rationale", models.TextField(blank=True)),
                ("for_next_round", models.BooleanField(default=False)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("informed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="debriefs",
                        to="pipeline.application",
                    ),
                ),
                (
                    "attendees",
                    models.ManyToManyField(
                        blank=True, related_name="debriefs_attended", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "informed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="debriefs",
                        to="jobs.interviewround",
                    ),
                ),
                (
                    "to_stage",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="jobs.stage",
                    ),
                ),
            ],
            options={
                "ordering": ["-opened_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("round__isnull", False)),
                        fields=("application", "round"),
                        name="debrief_one_per_round",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("round__isnull", True)),
                        fields=("application", "round_name"),
                        name="debrief_one_per_round_name",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Interview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round_name", models.CharField(max_length=80)),
                ("focus_attributes", models.JSONField(blank=True, default=list)),
                ("starts_at", models.DateTimeField()),
                ("ends_at", models.DateTimeField()),
                ("time_zone", models.CharField(default="UTC", max_length=64)),
                ("location", models.CharField(blank=True, max_length=200)),
                ("video_url", models.CharField(blank=True, help_text="https://…", max_length=500)),
                (
                    "notes",
                    models.TextField(blank=True, help_text="For the interviewers: what to probe."),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("scheduled", "Scheduled"),
                            ("completed", "Completed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="scheduled",
                        max_length=16,
                    ),
                ),
                ("sequence", models.PositiveIntegerField(default=0)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("completed_at", models.DateTimeField(blank=True, null=True)),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                ("cancel_reason", models.CharField(blank=True, max_length=300)),
                ("scorecards_due_at", models.DateTimeField(blank=True, null=True)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interviews",
                        to="pipeline.application",
                    ),
                ),
                (
                    "booked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "debrief",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="interviews",
                        to="interviews.debrief",
                    ),
                ),
                (
                    "interviewers",
                    models.ManyToManyField(related_name="interviews", to=settings.AUTH_USER_MODEL),
                ),
                (
                    "round",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="interviews",
                        to="jobs.interviewround",
                    ),
                ),
            ],
            options={
                "ordering": ["starts_at", "pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status", "scheduled")),
                        fields=["ends_at"],
                        include=("starts_at", "application", "id"),
                        name="interview_to_complete_idx",
                    ),
                    models.Index(
                        condition=models.Q(("debrief__isnull", True), ("status", "completed")),
                        fields=["scorecards_due_at"],
                        name="interview_debrief_due_idx",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PanelSeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="panel_seats",
                        to="pipeline.application",
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="panel_seats",
                        to="jobs.job",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="panel_seats",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["user", "job", "application"], name="panel_seat_user_job_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "application"), name="panel_seat_one_per_user"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Scorecard",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("submitted", "Submitted")],
                        default="draft",
                        max_length=16,
                    ),
                ),
                ("ratings", models.JSONField(blank=True, default=dict)),
                (
                    "recommendation",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("strong_no", "Strong no"),
                            ("no", "No"),
                            ("yes", "Yes"),
                            ("strong_yes", "Strong yes"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True, help_text="As typed; its Markdown is shown formatted."
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("submitted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "interview",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scorecards",
                        to="interviews.interview",
                    ),
                ),
                (
                    "interviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scorecards",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["interview", "submitted_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("interview", "interviewer"), name="scorecard_one_per_interviewer"
                    )
                ],
            },
        ),
    ]
