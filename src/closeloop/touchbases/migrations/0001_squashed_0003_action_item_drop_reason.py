"""Touchbases's migrations 0001–0003 squashed: what a fresh database runs instead of them.

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

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("touchbases", "0001_initial"),
        ("touchbases", "0002_actionitem_dropped_because"),
        ("touchbases", "0003_action_item_drop_reason"),
    ]

    initial = True

    dependencies = [
        ("jobs", "0003_agreement_fields_and_interview_rounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TouchbaseSeries",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("weekday", models.PositiveSmallIntegerField(help_text="0 = Monday.")),
                ("start_time", models.TimeField()),
                ("minutes", models.PositiveSmallIntegerField(default=30)),
                ("time_zone", models.CharField(default="UTC", max_length=64)),
                (
                    "first_at",
                    models.DateTimeField(
                        help_text="Start of the first meeting (the event's DTSTART)."
                    ),
                ),
                ("uid", models.CharField(max_length=120, unique=True)),
                ("sequence", models.PositiveIntegerField(default=0)),
                ("active", models.BooleanField(default=True)),
                ("next_due_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
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
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="touchbase_series",
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
                "verbose_name_plural": "touch-base series",
                "indexes": [
                    models.Index(
                        condition=models.Q(("active", True), ("next_due_at__isnull", False)),
                        fields=["next_due_at"],
                        name="tb_series_due_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Touchbase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scheduled_at", models.DateTimeField()),
                ("ends_at", models.DateTimeField()),
                (
                    "status",
                    models.CharField(
                        choices=[("planned", "Planned"), ("held", "Held"), ("skipped", "Skipped")],
                        default="planned",
                        max_length=16,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("agenda", models.JSONField(blank=True, default=dict)),
                ("held_at", models.DateTimeField(blank=True, null=True)),
                ("skip_reason", models.CharField(blank=True, max_length=300)),
                ("notes_updated_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "held_by",
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
                        related_name="touchbases",
                        to="jobs.job",
                    ),
                ),
                (
                    "series",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="occurrences",
                        to="touchbases.touchbaseseries",
                    ),
                ),
            ],
            options={
                "ordering": ["-scheduled_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["job", "scheduled_at"], name="touchbases__job_id_e8d041_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("series", "scheduled_at"), name="touchbase_once_per_slot"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="WeeklyUpdateSchedule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("enabled", models.BooleanField(default=True)),
                ("weekday", models.PositiveSmallIntegerField(default=0, help_text="0 = Monday.")),
                ("send_time", models.TimeField(default=datetime.time(8, 0))),
                ("next_run_at", models.DateTimeField(blank=True, null=True)),
                ("last_run_at", models.DateTimeField(blank=True, null=True)),
                ("last_sent_at", models.DateTimeField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="weekly_update_schedule",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("enabled", True), ("next_run_at__isnull", False)),
                        fields=["next_run_at"],
                        name="weekly_update_due_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ActionItem",
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
                    "due_at",
                    models.DateTimeField(help_text="The end of the owner's working day on due_on."),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("done", "Done"), ("cancelled", "Dropped")],
                        default="open",
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("done_at", models.DateTimeField(blank=True, null=True)),
                ("dropped_because", models.CharField(blank=True, max_length=120)),
                ("drop_reason", models.CharField(blank=True, max_length=300)),
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
                    "done_by",
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
                        related_name="action_items",
                        to="jobs.job",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="action_items",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "touchbase",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="action_items",
                        to="touchbases.touchbase",
                    ),
                ),
            ],
            options={
                "ordering": ["due_at", "pk"],
                "indexes": [
                    models.Index(fields=["job", "status"], name="touchbases__job_id_ae7234_idx")
                ],
            },
        ),
    ]
