"""Submissions left waiting when their candidate withdrew were marked "passed" by whoever
recorded the withdrawal, at the moment the application closed: the funnel counted them as the
hiring manager's passes and calibration as decisions. They become "closed before a decision",
with nobody as decider and no decision time."""

from django.db import migrations, models
from django.db.models import F


def closed_undecided(apps, schema_editor):
    Submission = apps.get_model("pipeline", "Submission")
    Submission.objects.filter(
        decision="passed",
        pass_reason="",
        application__status="withdrawn",
        decided_at=F("application__closed_at"),
    ).update(decision="closed", decided_by=None, decided_at=None)


def passed_again(apps, schema_editor):
    """Back to the old form: passed by nobody known, when the application closed."""
    Submission = apps.get_model("pipeline", "Submission")
    for submission in Submission.objects.filter(decision="closed").select_related("application"):
        submission.decision = "passed"
        submission.decided_at = submission.application.closed_at
        submission.save(update_fields=["decision", "decided_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0012_saved_view_name_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="submission",
            name="decision",
            field=models.CharField(
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
        migrations.RunPython(closed_undecided, passed_again),
    ]
