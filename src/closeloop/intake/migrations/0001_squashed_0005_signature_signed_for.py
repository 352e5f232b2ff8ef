"""Intake's migrations 0001–0005 squashed: what a fresh database runs instead of them.

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
        ("intake", "0001_initial"),
        ("intake", "0002_debrief_decision_in_business_days"),
        ("intake", "0003_intakeversion_started_with"),
        ("intake", "0004_pulse_weeks"),
        ("intake", "0005_signature_signed_for"),
    ]

    initial = True

    dependencies = [
        ("jobs", "0003_agreement_fields_and_interview_rounds"),
        ("pipeline", "0002_candidate_updated_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IntakeTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("must_haves", models.TextField(blank=True)),
                ("nice_to_haves", models.TextField(blank=True)),
                ("deal_breakers", models.TextField(blank=True)),
                ("interview_plan", models.JSONField(blank=True, default=list)),
                ("service_levels", models.JSONField(blank=True, default=dict)),
                ("touchbase_weekday", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("touchbase_time", models.TimeField(blank=True, null=True)),
                ("touchbase_minutes", models.PositiveSmallIntegerField(default=30)),
                (
                    "pulse_weeks",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Every week"),
                            (2, "Every 2 weeks"),
                            (4, "Every 4 weeks"),
                            (0, "No pulses"),
                        ],
                        default=2,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("name", models.CharField(max_length=120, unique=True)),
                (
                    "job_family",
                    models.CharField(help_text="e.g. Backend engineering, Sales.", max_length=80),
                ),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["job_family", "name"],
            },
        ),
        migrations.CreateModel(
            name="IntakeVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("must_haves", models.TextField(blank=True)),
                ("nice_to_haves", models.TextField(blank=True)),
                ("deal_breakers", models.TextField(blank=True)),
                ("interview_plan", models.JSONField(blank=True, default=list)),
                ("service_levels", models.JSONField(blank=True, default=dict)),
                ("touchbase_weekday", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("touchbase_time", models.TimeField(blank=True, null=True)),
                ("touchbase_minutes", models.PositiveSmallIntegerField(default=30)),
                (
                    "pulse_weeks",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Every week"),
                            (2, "Every 2 weeks"),
                            (4, "Every 4 weeks"),
                            (0, "No pulses"),
                        ],
                        default=2,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("number", models.PositiveIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("proposed", "Awaiting signatures"),
                            ("signed", "In force"),
                            ("superseded", "Superseded"),
                            ("withdrawn", "Replaced before signing"),
                        ],
                        default="draft",
                        max_length=16,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("team", models.CharField(blank=True, max_length=120)),
                ("location", models.CharField(blank=True, max_length=120)),
                ("remote", models.BooleanField(default=False)),
                ("headcount", models.PositiveSmallIntegerField(default=1)),
                ("compensation_min", models.PositiveIntegerField(blank=True, null=True)),
                ("compensation_max", models.PositiveIntegerField(blank=True, null=True)),
                ("compensation_currency", models.CharField(blank=True, max_length=3)),
                ("target_start_date", models.DateField(blank=True, null=True)),
                ("target_fill_date", models.DateField(blank=True, null=True)),
                ("touchbase_time_zone", models.CharField(blank=True, max_length=64)),
                ("started_from", models.CharField(blank=True, max_length=160)),
                ("started_with", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("step", models.CharField(blank=True, max_length=16)),
                ("proposed_at", models.DateTimeField(blank=True, null=True)),
                ("in_force_at", models.DateTimeField(blank=True, null=True)),
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
                    "escalation_contact",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="intake_versions",
                        to="jobs.job",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["job", "-number"],
                "indexes": [
                    models.Index(fields=["job", "status"], name="intake_inta_job_id_398290_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("job", "number"), name="intake_unique_number"),
                    models.UniqueConstraint(
                        condition=models.Q(("status", "draft")),
                        fields=("job",),
                        name="intake_one_draft_per_job",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status", "signed")),
                        fields=("job",),
                        name="intake_one_in_force_per_job",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="IntakeSignature",
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
                ("signed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "signed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "signed_for",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signatures",
                        to="intake.intakeversion",
                    ),
                ),
            ],
            options={
                "ordering": ["signed_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "side"), name="intake_one_signature_per_side"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PassCitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=16)),
                ("criterion", models.CharField(max_length=300)),
                (
                    "submission",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="intake_citation",
                        to="pipeline.submission",
                    ),
                ),
            ],
        ),
    ]
