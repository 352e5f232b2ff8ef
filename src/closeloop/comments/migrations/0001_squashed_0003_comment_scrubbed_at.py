"""Comments's migrations 0001–0003 squashed: what a fresh database runs instead of them.

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
        ("comments", "0001_initial"),
        ("comments", "0002_comment_told"),
        ("comments", "0003_comment_scrubbed_at"),
    ]

    initial = True

    dependencies = [
        ("jobs", "0005_scheduling_stage_name"),
        ("pipeline", "0005_candidate_resume_text"),
        ("touchbases", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Comment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("body", models.TextField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("edited_at", models.DateTimeField(blank=True, null=True)),
                ("scrubbed_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "application",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="pipeline.application",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="pipeline.candidate",
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="jobs.job",
                    ),
                ),
                (
                    "mentions",
                    models.ManyToManyField(
                        blank=True, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "told",
                    models.ManyToManyField(
                        blank=True, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "touchbase",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="touchbases.touchbase",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["candidate", "-created_at"], name="comment_candidate_idx"),
                    models.Index(
                        fields=["application", "-created_at"], name="comment_application_idx"
                    ),
                    models.Index(fields=["job", "-created_at"], name="comment_job_idx"),
                    models.Index(fields=["touchbase", "-created_at"], name="comment_touchbase_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("application__isnull", True),
                                ("candidate__isnull", False),
                                ("job__isnull", True),
                                ("touchbase__isnull", True),
                            ),
                            models.Q(
                                ("application__isnull", False),
                                ("candidate__isnull", True),
                                ("job__isnull", True),
                                ("touchbase__isnull", True),
                            ),
                            models.Q(
                                ("application__isnull", True),
                                ("candidate__isnull", True),
                                ("job__isnull", False),
                                ("touchbase__isnull", True),
                            ),
                            models.Q(
                                ("application__isnull", True),
                                ("candidate__isnull", True),
                                ("job__isnull", True),
                                ("touchbase__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="comment_one_subject",
                    )
                ],
            },
        ),
    ]
