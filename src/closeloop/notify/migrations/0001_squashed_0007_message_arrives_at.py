"""Notify's migrations 0001–0007 squashed: what a fresh database runs instead of them.

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
        ("notify", "0001_initial"),
        ("notify", "0002_message_attachments"),
        ("notify", "0003_delivery_kept_without_mail_server"),
        ("notify", "0004_delivery_withdrawn"),
        ("notify", "0005_message_unread_index"),
        ("notify", "0006_message_held_as_first_queued"),
        ("notify", "0007_message_arrives_at"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Message",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("template", models.CharField(max_length=80)),
                ("subject", models.CharField(max_length=300)),
                ("body_text", models.TextField()),
                ("body_html", models.TextField(blank=True)),
                ("message_id", models.CharField(max_length=200, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                ("data", models.JSONField(blank=True, default=dict)),
                ("attachments", models.JSONField(blank=True, default=list)),
                ("at_once", models.BooleanField(default=False)),
                ("needed_by", models.DateTimeField(blank=True, null=True)),
                ("arrives_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["recipient", "-created_at"], name="notify_mess_recipie_2364d4_idx"
                    ),
                    models.Index(
                        fields=["recipient", "-arrives_at"], name="notify_msg_arrived_idx"
                    ),
                    models.Index(
                        fields=["recipient", "read_at", "arrives_at"], name="notify_msg_unread_idx"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Delivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[("email", "Email"), ("in_app", "In the app only")],
                        default="email",
                        max_length=16,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("kept", "Kept here; no mail server configured"),
                            ("failed", "Failed"),
                            ("withdrawn", "Not sent: recipient deactivated"),
                        ],
                        default="queued",
                        max_length=16,
                    ),
                ),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("lease_until", models.DateTimeField(blank=True, null=True)),
                ("leased_by", models.CharField(blank=True, max_length=120)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "message",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="notify.message",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "deliveries",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status__in", ["queued", "sending"])),
                        fields=["next_attempt_at"],
                        name="delivery_due_idx",
                    ),
                    models.Index(
                        fields=["status", "-created_at"], name="notify_deli_status_4102e9_idx"
                    ),
                ],
            },
        ),
    ]
