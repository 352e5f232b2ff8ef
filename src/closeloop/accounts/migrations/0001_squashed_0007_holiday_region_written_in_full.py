"""Accounts's migrations 0001–0007 squashed: what a fresh database runs instead of them.

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

import closeloop.accounts.models
import closeloop.lib.folding


def fold_ensure(apps, schema_editor):
    # Not a data migration (0006's, kept): PostgreSQL's fold function, made before any later
    # migration reads people in their default order (by the fold), not only after the migrate.
    closeloop.lib.folding.fold_ensure(schema_editor.connection)


class Migration(migrations.Migration):
    replaces = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_notification_preferences"),
        ("accounts", "0003_sessions_with_their_user"),
        ("accounts", "0004_invitations"),
        ("accounts", "0005_user_sso_identity"),
        ("accounts", "0006_people_sort_as_read"),
        ("accounts", "0007_holiday_region_written_in_full"),
    ]

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(fold_ensure, migrations.RunPython.noop),
        migrations.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("password", models.CharField(max_length=128, verbose_name="password")),
                (
                    "last_login",
                    models.DateTimeField(blank=True, null=True, verbose_name="last login"),
                ),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                ("email", models.EmailField(max_length=254, unique=True)),
                ("full_name", models.CharField(max_length=150)),
                ("title", models.CharField(blank=True, max_length=150)),
                (
                    "is_admin",
                    models.BooleanField(
                        default=False,
                        help_text="Talent-acquisition lead/ops: sees everything.",
                        verbose_name="admin",
                    ),
                ),
                ("is_recruiter", models.BooleanField(default=False, verbose_name="recruiter")),
                (
                    "is_hiring_manager",
                    models.BooleanField(default=False, verbose_name="hiring manager"),
                ),
                ("is_interviewer", models.BooleanField(default=False, verbose_name="interviewer")),
                (
                    "sees_all_jobs",
                    models.BooleanField(
                        default=False,
                        help_text="Set by an admin: this recruiter sees every job, not only their own.",
                    ),
                ),
                (
                    "time_zone",
                    models.CharField(
                        default="UTC",
                        max_length=64,
                        validators=[closeloop.accounts.models.validate_time_zone],
                    ),
                ),
                ("work_start", models.TimeField(default=datetime.time(9, 0))),
                ("work_end", models.TimeField(default=datetime.time(17, 0))),
                (
                    "work_days",
                    models.JSONField(
                        default=closeloop.accounts.models.default_work_days,
                        help_text="Weekday numbers, Monday = 0.",
                    ),
                ),
                (
                    "holiday_country",
                    models.CharField(
                        blank=True, help_text="ISO country code, e.g. GB.", max_length=2
                    ),
                ),
                (
                    "holiday_subdivision",
                    models.CharField(blank=True, help_text="e.g. ENG, CA, BY.", max_length=40),
                ),
                ("out_of_office_from", models.DateTimeField(blank=True, null=True)),
                ("out_of_office_until", models.DateTimeField(blank=True, null=True)),
                (
                    "notify_channel",
                    models.CharField(
                        choices=[("email", "Email"), ("in_app", "In the app only")],
                        default="email",
                        help_text="Where reminders and escalations reach you.",
                        max_length=16,
                    ),
                ),
                (
                    "batch_window_minutes",
                    models.PositiveSmallIntegerField(
                        default=120,
                        help_text="At most one reminder message per this many minutes; the rest are batched.",
                    ),
                ),
                (
                    "sso_identity",
                    models.CharField(blank=True, db_default="", default="", max_length=400),
                ),
                ("is_active", models.BooleanField(default=True)),
                (
                    "is_staff",
                    models.BooleanField(default=False, help_text="May open the Django admin."),
                ),
                ("date_joined", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "delegate",
                    models.ForeignKey(
                        blank=True,
                        help_text="Takes over this person's asks while they are out of office.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="delegators",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
                (
                    "manager",
                    models.ForeignKey(
                        blank=True,
                        help_text="Receives escalations for this person.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reports",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user_permissions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Specific permissions for this user.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.permission",
                        verbose_name="user permissions",
                    ),
                ),
            ],
            options={
                "ordering": [
                    models.OrderBy(closeloop.lib.folding.Folded("full_name")),
                    "full_name",
                    "pk",
                ],
            },
            managers=[
                ("objects", closeloop.accounts.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "accounts_session",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Invitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254)),
                ("full_name", models.CharField(max_length=150)),
                ("is_admin", models.BooleanField(default=False, verbose_name="admin")),
                ("is_recruiter", models.BooleanField(default=False, verbose_name="recruiter")),
                (
                    "is_hiring_manager",
                    models.BooleanField(default=False, verbose_name="hiring manager"),
                ),
                ("is_interviewer", models.BooleanField(default=False, verbose_name="interviewer")),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="invitations_sent",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["email"], name="accounts_in_email_571f5a_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(
                            ("accepted_at__isnull", True), ("revoked_at__isnull", True)
                        ),
                        fields=("user",),
                        name="invitation_one_open_per_user",
                    )
                ],
            },
        ),
    ]
