from django.db import migrations
from django.db.models import Exists, OuterRef


def unseat_cancelled_only(apps, schema_editor):
    """Seats are held by live interviews only now: drop those held by nothing but cancelled
    interviews (the panel of an interview called off no longer sees its candidate)."""
    Interview = apps.get_model("interviews", "Interview")
    PanelSeat = apps.get_model("interviews", "PanelSeat")
    panels = Interview._meta.get_field("interviewers").remote_field.through.objects
    live = panels.filter(
        user=OuterRef("user"), interview__application=OuterRef("application")
    ).exclude(interview__status="cancelled")
    PanelSeat.objects.exclude(Exists(live)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0008_debrief_for_next_round"),
    ]

    operations = [
        migrations.RunPython(unseat_cancelled_only, migrations.RunPython.noop, elidable=True),
    ]
