"""The stage after the HM's yes is where the recruiter schedules interviews: call it so.

Only stages still named as the old default plan named them ("HM review", the recruiter's
move) are renamed; a stage someone renamed keeps its name, and a job that already has a
stage called "Scheduling" is left alone (stage names are unique per job).
"""

from __future__ import annotations

from django.db import migrations, models

OLD_NAME = "HM review"
NEW_NAME = "Scheduling"


def name_scheduling_stages(apps, schema_editor) -> None:
    Stage = apps.get_model("jobs", "Stage")
    taken = Stage.objects.filter(name=NEW_NAME).values("job_id")
    Stage.objects.filter(kind="hm_review", name=OLD_NAME, move_owner="recruiter").exclude(
        job_id__in=taken
    ).update(name=NEW_NAME)


def name_review_stages(apps, schema_editor) -> None:
    Stage = apps.get_model("jobs", "Stage")
    taken = Stage.objects.filter(name=OLD_NAME).values("job_id")
    Stage.objects.filter(kind="hm_review", name=NEW_NAME, move_owner="recruiter").exclude(
        job_id__in=taken
    ).update(name=OLD_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0004_debrief_decision_in_business_days"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stage",
            name="kind",
            field=models.CharField(
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
        migrations.RunPython(name_scheduling_stages, name_review_stages),
    ]
