"""Jobs's migrations 0001–0010 squashed: what a fresh database runs instead of them.

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
        ("jobs", "0001_initial"),
        ("jobs", "0002_job_service_levels"),
        ("jobs", "0003_agreement_fields_and_interview_rounds"),
        ("jobs", "0004_debrief_decision_in_business_days"),
        ("jobs", "0005_scheduling_stage_name"),
        ("jobs", "0006_job_outcome"),
        ("jobs", "0007_stage_removed"),
        ("jobs", "0008_job_closed_by"),
        ("jobs", "0009_job_reopened_at"),
        ("jobs", "0010_job_held_at"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Job",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("team", models.CharField(blank=True, max_length=120)),
                ("location", models.CharField(blank=True, max_length=120)),
                (
                    "remote",
                    models.BooleanField(default=False, help_text="Remote work is possible."),
                ),
                ("headcount", models.PositiveSmallIntegerField(default=1)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("open", "Open"),
                            ("on_hold", "On hold"),
                            ("filled", "Filled"),
                            ("closed", "Closed"),
                        ],
                        default="draft",
                        max_length=16,
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("filled", "Filled"),
                            ("cancelled", "Cancelled"),
                            ("failed", "Failed (could not be filled)"),
                        ],
                        help_text="How the search ended.",
                        max_length=16,
                    ),
                ),
                ("must_haves", models.TextField(blank=True, help_text="One per line.")),
                ("nice_to_haves", models.TextField(blank=True, help_text="One per line.")),
                ("deal_breakers", models.TextField(blank=True, help_text="One per line.")),
                ("compensation_min", models.PositiveIntegerField(blank=True, null=True)),
                ("compensation_max", models.PositiveIntegerField(blank=True, null=True)),
                ("compensation_currency", models.CharField(blank=True, max_length=3)),
                ("target_start_date", models.DateField(blank=True, null=True)),
                ("target_fill_date", models.DateField(blank=True, null=True)),
                ("touchbase_weekday", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("touchbase_time", models.TimeField(blank=True, null=True)),
                ("touchbase_minutes", models.PositiveSmallIntegerField(default=30)),
                ("touchbase_time_zone", models.CharField(blank=True, max_length=64)),
                (
                    "service_levels",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text='Agreed due times per ask kind, e.g. {"review_submission": 1}.',
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("opened_at", models.DateTimeField(blank=True, null=True)),
                ("reopened_at", models.DateTimeField(blank=True, null=True)),
                ("held_at", models.DateTimeField(blank=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "coordinator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="coordinated_jobs",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "escalation_contact",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="escalation_jobs",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "hiring_manager",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="managed_jobs",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "interviewers",
                    models.ManyToManyField(
                        blank=True, related_name="interviewer_jobs", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "recruiter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recruiter_jobs",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["title", "pk"],
                "indexes": [models.Index(fields=["status"], name="jobs_job_status_7d017a_idx")],
            },
        ),
        migrations.CreateModel(
            name="InterviewRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField()),
                ("name", models.CharField(max_length=80)),
                ("duration_minutes", models.PositiveSmallIntegerField(default=45)),
                ("focus_attributes", models.JSONField(blank=True, default=list)),
                (
                    "interviewers",
                    models.ManyToManyField(
                        blank=True, related_name="interview_rounds", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interview_rounds",
                        to="jobs.job",
                    ),
                ),
            ],
            options={
                "ordering": ["job", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("job", "position"), name="round_unique_position"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Stage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=60)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("sourced", "Sourced"),
                            ("submitted", "Submitted"),
                            ("hm_review", "Scheduling"),
                            ("interviewing", "Interviewing"),
                            ("debrief", "Debrief"),
                            ("offer", "Offer"),
                            ("hired", "Hired"),
                            ("custom", "Custom"),
                        ],
                        default="custom",
                        max_length=16,
                    ),
                ),
                ("position", models.PositiveSmallIntegerField()),
                (
                    "move_owner",
                    models.CharField(
                        choices=[
                            ("recruiter", "Recruiter"),
                            ("hiring_manager", "Hiring manager"),
                            ("interviewers", "Interviewers"),
                            ("nobody", "Nobody"),
                        ],
                        default="recruiter",
                        max_length=16,
                    ),
                ),
                ("removed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stages",
                        to="jobs.job",
                    ),
                ),
            ],
            options={
                "ordering": ["job", "position"],
                "default_manager_name": "objects",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("removed_at__isnull", True)),
                        fields=("job", "position"),
                        name="stage_unique_position",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("removed_at__isnull", True)),
                        fields=("job", "name"),
                        name="stage_unique_name",
                    ),
                ],
            },
        ),
    ]
