"""Activity's migrations 0001–0004 squashed: what a fresh database runs instead of them.

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
        ("activity", "0001_initial"),
        ("activity", "0002_form_receipts"),
        ("activity", "0003_receipt_fingerprint"),
        ("activity", "0004_activity_kind_at"),
    ]

    initial = True

    dependencies = [
        ("jobs", "0006_job_outcome"),
        ("pipeline", "0008_application_job_candidate_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Activity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=80)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("summary", models.CharField(max_length=300)),
                ("detail", models.TextField(blank=True)),
                ("data", models.JSONField(blank=True, default=dict)),
                ("team_only", models.BooleanField(default=False)),
                (
                    "actor",
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
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="activities",
                        to="pipeline.application",
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="activities",
                        to="pipeline.candidate",
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="activities",
                        to="jobs.job",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "activities",
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["candidate", "-at"], name="activity_ac_candida_2fa02f_idx"
                    ),
                    models.Index(fields=["job", "-at"], name="activity_ac_job_id_6dc0a7_idx"),
                    models.Index(fields=["kind", "at"], name="activity_kind_at_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="FormReceipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=64, unique=True)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("result_url", models.CharField(blank=True, max_length=500)),
                ("fingerprint", models.CharField(blank=True, max_length=64)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["user", "fingerprint", "at"], name="activity_fo_user_id_0843e4_idx"
                    )
                ],
            },
        ),
    ]
