"""A debrief remembers that its advance kept the candidate in their stage for the plan's next
round (`Debrief.for_next_round`), so its words no longer guess from the stage's kind.

Debriefs decided before were read by kind: an advance to an Interviewing stage said "the
next round". They keep reading so.
"""

from django.db import migrations, models


def for_next_round_fill(apps, schema_editor):
    Debrief = apps.get_model("interviews", "Debrief")
    Debrief.objects.filter(decision="advance", to_stage__kind="interviewing").update(
        for_next_round=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0007_scorecard_notes_as_typed"),
    ]

    operations = [
        migrations.AddField(
            model_name="debrief",
            name="for_next_round",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(for_next_round_fill, migrations.RunPython.noop),
    ]
