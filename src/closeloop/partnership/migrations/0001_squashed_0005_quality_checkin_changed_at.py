"""Partnership's migrations 0001–0005 squashed: what a fresh database runs instead of them.

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

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("partnership", "0001_initial"),
        ("partnership", "0002_searchsurvey_called_off_at"),
        ("partnership", "0003_mentorship_declined_by"),
        ("partnership", "0004_pulse_round_ended_with_the_search"),
        ("partnership", "0005_quality_checkin_changed_at"),
    ]

    initial = True

    dependencies = [
        ("jobs", "0006_job_outcome"),
        ("pipeline", "0007_submission_calibration"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MentoringSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField()),
                ("minutes", models.PositiveSmallIntegerField(default=45)),
                ("notes", models.TextField(blank=True)),
                ("held_at", models.DateTimeField(blank=True, null=True)),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                ("sequence", models.PositiveIntegerField(default=0)),
            ],
            options={
                "ordering": ["starts_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MentoringAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("description", models.CharField(max_length=300)),
                ("due_on", models.DateField()),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("done", "Done"), ("dropped", "Dropped")],
                        default="open",
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("done_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentoring_actions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="action_items",
                        to="partnership.mentoringsession",
                    ),
                ),
            ],
            options={
                "ordering": ["due_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Mentorship",
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
                        choices=[
                            ("proposed", "Proposed"),
                            ("active", "Active"),
                            ("declined", "Declined"),
                            ("ended", "Ended"),
                        ],
                        default="proposed",
                        max_length=16,
                    ),
                ),
                (
                    "note",
                    models.CharField(blank=True, help_text="Why this pairing.", max_length=300),
                ),
                ("cadence_days", models.PositiveSmallIntegerField(default=14)),
                ("session_minutes", models.PositiveSmallIntegerField(default=45)),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                ("ended_at", models.DateTimeField(blank=True, null=True)),
                (
                    "declined_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentored_by",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentoring",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-proposed_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("mentor", models.F("mentee")), _negated=True),
                        name="mentorship_two_people",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["proposed", "active"])),
                        fields=("mentor", "mentee"),
                        name="mentorship_one_live_per_pair",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="mentoringsession",
            name="mentorship",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sessions",
                to="partnership.mentorship",
            ),
        ),
        migrations.CreateModel(
            name="MentoringGoal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.CharField(max_length=300)),
                (
                    "figure",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "No measured figure"),
                            ("reviews_in_time", "Share of reviews answered in time"),
                            ("scorecards_in_time", "Share of scorecards in time"),
                            ("all_in_time", "Share of all asks answered in time"),
                        ],
                        max_length=32,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reached_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentorship",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="goals",
                        to="partnership.mentorship",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PulseRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("closes_at", models.DateTimeField()),
                ("revealed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "reveal_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("both_answered", "Both sides answered"),
                            ("window_closed", "The window closed"),
                            ("job_ended", "The search ended"),
                        ],
                        max_length=16,
                    ),
                ),
                ("alerts", models.JSONField(blank=True, default=list)),
                (
                    "hiring_manager",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pulse_rounds",
                        to="jobs.job",
                    ),
                ),
                (
                    "recruiter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["job", "-number"],
                "indexes": [
                    models.Index(
                        fields=["revealed_at", "closes_at"], name="partnership_reveale_4889e2_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("job", "number"), name="pulse_unique_round_number"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("revealed_at__isnull", True)),
                        fields=("job",),
                        name="pulse_one_open_round_per_job",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PulseAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        choices=[("hiring_manager", "Hiring manager"), ("recruiter", "Recruiter")],
                        max_length=16,
                    ),
                ),
                (
                    "score_1",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ]
                    ),
                ),
                (
                    "score_2",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ]
                    ),
                ),
                (
                    "score_3",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ]
                    ),
                ),
                ("comment", models.TextField(blank=True, max_length=1000)),
                ("answered_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("via", models.CharField(default="app", max_length=16)),
                (
                    "about",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="pulse_answers_received",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="partnership.pulseround",
                    ),
                ),
            ],
            options={
                "ordering": ["round", "side"],
                "indexes": [
                    models.Index(
                        fields=["about", "answered_at"], name="partnership_about_i_d426ea_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("round", "side"), name="pulse_one_answer_per_side"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("score_1__gte", 1),
                            ("score_1__lte", 5),
                            ("score_2__gte", 1),
                            ("score_2__lte", 5),
                            ("score_3__gte", 1),
                            ("score_3__lte", 5),
                        ),
                        name="pulse_scores_1_to_5",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="QualityCheckin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("days", models.PositiveSmallIntegerField()),
                ("hired_at", models.DateTimeField()),
                ("due_at", models.DateTimeField()),
                ("opened_at", models.DateTimeField(blank=True, null=True)),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                (
                    "rating",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        choices=[
                            (1, "Struggling"),
                            (2, "Mixed"),
                            (3, "Doing well"),
                            (4, "Excellent"),
                        ],
                        null=True,
                    ),
                ),
                (
                    "hire_again",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("maybe", "Maybe"), ("no", "No")],
                        max_length=8,
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=500)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                ("changed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="quality_checkins",
                        to="pipeline.application",
                    ),
                ),
                (
                    "hiring_manager",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="quality_checkins",
                        to="jobs.job",
                    ),
                ),
            ],
            options={
                "ordering": ["due_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["opened_at", "due_at"], name="partnership_opened__fe101d_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("application", "days", "hired_at"),
                        name="checkin_one_per_hire_and_day",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchSurvey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("outcome", models.CharField(max_length=16)),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("window_ends_at", models.DateTimeField()),
                ("revealed_at", models.DateTimeField(blank=True, null=True)),
                ("called_off_at", models.DateTimeField(blank=True, null=True)),
                (
                    "hiring_manager",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="surveys",
                        to="jobs.job",
                    ),
                ),
                (
                    "recruiter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-opened_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["revealed_at", "window_ends_at"],
                        name="partnership_reveale_9c7d46_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("job", "opened_at"), name="survey_one_per_close"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SurveyAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        choices=[("recruiter", "Recruiter"), ("hiring_manager", "Hiring manager")],
                        max_length=16,
                    ),
                ),
                ("what_worked", models.TextField(blank=True, max_length=1000)),
                ("what_to_change", models.TextField(blank=True, max_length=1000)),
                (
                    "again",
                    models.CharField(
                        choices=[("yes", "Yes"), ("maybe", "Maybe"), ("no", "No")], max_length=8
                    ),
                ),
                ("answered_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="partnership.searchsurvey",
                    ),
                ),
            ],
            options={
                "ordering": ["survey", "side"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("survey", "side"), name="survey_answer_one_per_side"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="WorkingCard",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("best_times", models.CharField(blank=True, max_length=300)),
                ("channel", models.CharField(blank=True, max_length=300)),
                ("looks_for", models.CharField(blank=True, max_length=300)),
                ("feedback", models.CharField(blank=True, max_length=300)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="working_card",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="mentoringsession",
            index=models.Index(
                fields=["mentorship", "starts_at"], name="partnership_mentors_1e3171_idx"
            ),
        ),
    ]
