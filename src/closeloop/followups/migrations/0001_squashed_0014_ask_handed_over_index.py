"""Followups's migrations 0001–0014 squashed: what a fresh database runs instead of them.

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
        ("followups", "0001_initial"),
        ("followups", "0002_asks"),
        ("followups", "0003_service_levels"),
        ("followups", "0004_debrief_decision_in_business_days"),
        ("followups", "0005_sweep_holds"),
        ("followups", "0006_ask_hold"),
        ("followups", "0007_alter_actionlink_application"),
        ("followups", "0008_ask_stage"),
        ("followups", "0009_open_asks_by_owner_due"),
        ("followups", "0010_ask_handovers"),
        ("followups", "0011_notices_escalated_index"),
        ("followups", "0012_ask_held_for"),
        ("followups", "0013_ask_hold_reason_gone"),
        ("followups", "0014_ask_handed_over_index"),
    ]

    initial = True

    dependencies = [
        ("jobs", "0010_job_held_at"),
        ("notify", "0005_message_unread_index"),
        ("pipeline", "0015_tag_name_key_unique"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, unique=True)),
                ("pid", models.PositiveIntegerField()),
                ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("beat_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("loops", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "ordering": ["-beat_at"],
            },
        ),
        migrations.CreateModel(
            name="Ask",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("subject", models.CharField(max_length=120)),
                ("title", models.CharField(max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("done", "Answered"),
                            ("cancelled", "No longer needed"),
                        ],
                        default="open",
                        max_length=16,
                    ),
                ),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("due_at", models.DateTimeField()),
                ("next_nudge_at", models.DateTimeField(blank=True, null=True)),
                ("steps_done", models.PositiveSmallIntegerField(default=0)),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="0: owner only; 1: escalation contact too; 2: admin too.",
                    ),
                ),
                (
                    "policy",
                    models.JSONField(
                        default=dict, help_text="The service level this ask runs under."
                    ),
                ),
                ("snoozed_until", models.DateTimeField(blank=True, null=True)),
                ("snooze_reason", models.CharField(blank=True, max_length=300)),
                ("held_at", models.DateTimeField(blank=True, null=True)),
                ("held_seconds", models.PositiveIntegerField(default=0)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("closed_via", models.CharField(blank=True, max_length=40)),
                ("response_seconds", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "application",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="asks",
                        to="pipeline.application",
                    ),
                ),
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
                    "held_for",
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
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="asks",
                        to="jobs.job",
                    ),
                ),
                (
                    "original_owner",
                    models.ForeignKey(
                        blank=True,
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
                        related_name="asks_owed",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="asks_requested",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "stage",
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
                "ordering": ["due_at", "pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("next_nudge_at__isnull", False), ("status", "open")),
                        fields=["next_nudge_at"],
                        name="ask_next_nudge_idx",
                    ),
                    models.Index(fields=["owner", "status"], name="followups_a_owner_i_21b558_idx"),
                    models.Index(fields=["job", "status"], name="followups_a_job_id_62234a_idx"),
                    models.Index(
                        condition=models.Q(("status", "open")),
                        fields=["owner", "due_at", "id"],
                        name="ask_open_by_owner_due_idx",
                    ),
                    models.Index(
                        condition=models.Q(("status", "open")),
                        fields=["application", "opened_at"],
                        name="ask_open_by_application_idx",
                    ),
                    models.Index(
                        condition=models.Q(("original_owner__isnull", False), ("status", "open")),
                        fields=["application", "original_owner", "owner"],
                        name="ask_handed_over_idx",
                    ),
                    models.Index(
                        condition=models.Q(("closed_at__isnull", False)),
                        fields=[
                            "closed_at",
                            "status",
                            "owner",
                            "response_seconds",
                            "due_at",
                            "level",
                            "job",
                            "stage",
                            "application",
                            "opened_at",
                            "kind",
                        ],
                        include=("id",),
                        name="ask_closed_idx",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("kind", "subject"),
                        name="ask_one_open_per_subject",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ActionLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("group", models.CharField(db_index=True, max_length=32)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("advance", "Advance"),
                            ("pass", "Pass"),
                            ("question", "Ask the recruiter a question"),
                            ("snooze", "Snooze 1 business day"),
                        ],
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
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
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ask",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="followups.ask",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="AskHandover",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "ask",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="handovers",
                        to="followups.ask",
                    ),
                ),
                (
                    "from_owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "to_owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
                "indexes": [models.Index(fields=["ask", "at"], name="ask_handover_by_ask_idx")],
            },
        ),
        migrations.CreateModel(
            name="Nudge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("step", models.PositiveSmallIntegerField()),
                ("kind", models.CharField(max_length=16)),
                ("level", models.PositiveSmallIntegerField(default=0)),
                ("scheduled_at", models.DateTimeField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "ask",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="nudges",
                        to="followups.ask",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("ask", "step"), name="nudge_once_per_step")
                ],
            },
        ),
        migrations.CreateModel(
            name="Notice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("role", models.CharField(help_text="owner, escalation or admin", max_length=16)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("not_before", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "message",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="notices",
                        to="notify.message",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "nudge",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notices",
                        to="followups.nudge",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("message__isnull", True)),
                        fields=["not_before"],
                        name="notice_pending_idx",
                    ),
                    models.Index(
                        condition=models.Q(("role__in", ["escalation", "admin"])),
                        fields=["recipient", "nudge"],
                        name="notice_escalated_idx",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("nudge", "recipient"), name="notice_once_per_person"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ServiceLevel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40, unique=True)),
                ("amount", models.DecimalField(decimal_places=1, max_digits=5)),
                ("enabled", models.BooleanField(default=True)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "updated_by",
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
                "ordering": ["kind"],
            },
        ),
        migrations.CreateModel(
            name="SweepHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("step", models.CharField(max_length=60)),
                ("row_id", models.BigIntegerField()),
                ("failures", models.PositiveIntegerField(default=1)),
                ("retry_at", models.DateTimeField()),
                ("failed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_error", models.CharField(blank=True, max_length=500)),
            ],
            options={
                "ordering": ["step", "retry_at"],
                "indexes": [
                    models.Index(fields=["step", "retry_at"], name="sweep_hold_step_retry_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("step", "row_id"), name="sweep_hold_once_per_row"
                    )
                ],
            },
        ),
    ]
