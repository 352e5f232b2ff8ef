"""Pipeline's migrations 0001–0015 squashed: what a fresh database runs instead of them.

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

import closeloop.lib.files


class Migration(migrations.Migration):
    replaces = [
        ("pipeline", "0001_initial"),
        ("pipeline", "0002_candidate_updated_at"),
        ("pipeline", "0003_application_job_counts_index"),
        ("pipeline", "0004_candidate_privacy"),
        ("pipeline", "0005_candidate_resume_text"),
        ("pipeline", "0006_tags_and_saved_views"),
        ("pipeline", "0007_submission_calibration"),
        ("pipeline", "0008_application_job_candidate_index"),
        ("pipeline", "0009_submission_calibration_round_index"),
        ("pipeline", "0010_history_and_source_indexes"),
        ("pipeline", "0011_submission_must_haves_listed"),
        ("pipeline", "0012_saved_view_name_key"),
        ("pipeline", "0013_submission_closed_before_a_decision"),
        ("pipeline", "0014_tag_name_key"),
        ("pipeline", "0015_tag_name_key_unique"),
    ]

    initial = True

    dependencies = [
        ("jobs", "0006_job_outcome"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Candidate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("full_name", models.CharField(max_length=150)),
                ("email", models.EmailField(blank=True, max_length=254, null=True, unique=True)),
                ("phone", models.CharField(blank=True, max_length=40)),
                ("location", models.CharField(blank=True, max_length=120)),
                (
                    "links",
                    models.TextField(
                        blank=True, help_text="Profile or portfolio links, one per line."
                    ),
                ),
                ("current_company", models.CharField(blank=True, max_length=150)),
                ("current_title", models.CharField(blank=True, max_length=150)),
                ("expected_compensation", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "compensation_currency",
                    models.CharField(blank=True, default="EUR", max_length=3),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("sourced", "Sourced by recruiter"),
                            ("referral", "Referral"),
                            ("inbound", "Applied"),
                            ("agency", "Agency"),
                            ("internal", "Internal"),
                            ("event", "Event"),
                            ("other", "Other"),
                        ],
                        default="sourced",
                        max_length=16,
                    ),
                ),
                (
                    "resume",
                    models.FileField(blank=True, upload_to=closeloop.lib.files.resume_upload_path),
                ),
                ("resume_filename", models.CharField(blank=True, max_length=200)),
                ("resume_text", models.TextField(blank=True, editable=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("erased_at", models.DateTimeField(blank=True, null=True)),
                ("retention_noticed_at", models.DateTimeField(blank=True, null=True)),
                ("retention_kept_at", models.DateTimeField(blank=True, null=True)),
                ("retention_kept_reason", models.CharField(blank=True, max_length=300)),
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
                    "retention_kept_by",
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
                "ordering": ["full_name", "pk"],
                "indexes": [models.Index(fields=["id", "source"], name="candidate_source_idx")],
            },
        ),
        migrations.CreateModel(
            name="Application",
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
                            ("active", "Active"),
                            ("hired", "Hired"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="active",
                        max_length=16,
                    ),
                ),
                ("entered_stage_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("next_move_since", models.DateTimeField(blank=True, null=True)),
                ("candidate_updated_at", models.DateTimeField(blank=True, null=True)),
                ("closed_reason", models.CharField(blank=True, max_length=32)),
                ("closed_note", models.TextField(blank=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="applications",
                        to="jobs.job",
                    ),
                ),
                (
                    "next_move_owner",
                    models.ForeignKey(
                        blank=True,
                        help_text="Who the candidate waits on now; empty when the loop is closed.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="owed_applications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "stage",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="jobs.stage",
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="applications",
                        to="pipeline.candidate",
                    ),
                ),
            ],
            options={
                "ordering": ["-entered_stage_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["job", "status", "entered_stage_at", "next_move_owner", "id"],
                        name="application_job_status_idx",
                    ),
                    models.Index(
                        fields=["next_move_owner", "status"], name="pipeline_ap_next_mo_76faea_idx"
                    ),
                    models.Index(fields=["job", "candidate"], name="application_job_candidate_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("candidate", "job"), name="application_once_per_job"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CandidateAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("resume", "Downloaded the résumé"),
                            ("export", "Exported all their data"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="accesses",
                        to="pipeline.candidate",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["candidate", "-at"], name="pipeline_ca_candida_8526dc_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="SavedView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=60)),
                ("name_key", models.CharField(editable=False, max_length=240)),
                ("query", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_views",
                        to="jobs.job",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_views",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "job", "name_key"), name="saved_view_name_key_once_per_job"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StageChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("from_status", models.CharField(blank=True, max_length=16)),
                ("to_status", models.CharField(max_length=16)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reason", models.TextField(blank=True)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_changes",
                        to="pipeline.application",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "from_stage",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="jobs.stage",
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
                "ordering": ["at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["application", "at", "id", "to_stage", "to_status"],
                        name="stage_change_history_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Submission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("submitted_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("pitch", models.TextField(help_text="Why this person, in the recruiter's words.")),
                ("must_haves_met", models.JSONField(blank=True, default=list)),
                ("must_haves_listed", models.JSONField(blank=True, null=True)),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for the HM"),
                            ("advanced", "Advanced"),
                            ("passed", "Passed"),
                            ("closed", "Closed before a decision"),
                        ],
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "pass_reason",
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
                ("decision_note", models.TextField(blank=True)),
                ("in_calibration_round", models.BooleanField(default=False)),
                (
                    "closeness",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        choices=[(1, "Far off"), (2, "Some way off"), (3, "Close"), (4, "Spot on")],
                        null=True,
                    ),
                ),
                ("hm_must_haves_met", models.JSONField(blank=True, default=list)),
                ("hm_must_haves_missed", models.JSONField(blank=True, default=list)),
                ("calibration_note", models.CharField(blank=True, max_length=500)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="submissions",
                        to="pipeline.application",
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
                    "submitted_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-submitted_at", "pk"],
                "indexes": [
                    models.Index(fields=["decision"], name="pipeline_su_decisio_67f62e_idx"),
                    models.Index(
                        condition=models.Q(("closeness__isnull", False)),
                        fields=["decided_at"],
                        name="submission_rated_idx",
                    ),
                    models.Index(
                        condition=models.Q(("in_calibration_round", True)),
                        fields=["application"],
                        name="submission_round_idx",
                    ),
                    models.Index(
                        fields=[
                            "application",
                            "submitted_at",
                            "id",
                            "decided_at",
                            "decision",
                            "pass_reason",
                        ],
                        name="submission_by_application_idx",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Question",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("asked_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("text", models.TextField()),
                ("answer", models.TextField(blank=True)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
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
                    "asked_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="pipeline.submission",
                    ),
                ),
            ],
            options={
                "ordering": ["asked_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40)),
                ("name_key", models.CharField(editable=False, max_length=160)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "created_by",
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
                "ordering": ["name", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("name_key",), name="tag_name_key_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="CandidateTag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tag_links",
                        to="pipeline.candidate",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="candidate_links",
                        to="pipeline.tag",
                    ),
                ),
            ],
            options={
                "ordering": ["tag__name", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("candidate", "tag"), name="candidate_tag_once")
                ],
            },
        ),
    ]
