"""Intake versions and templates agree the debrief decision in business days, no longer in
wall-clock hours (72 h → 3 business days, to the nearest half day within 0.5–30)."""

from django.db import migrations

KIND = "decide_after_debrief"


def _days(hours):
    days = min(30.0, max(0.5, round(float(hours) / 24 * 2) / 2))
    return int(days) if days.is_integer() else days


def _hours(days):
    return int(min(720, float(days) * 24))


def _convert(apps, change):
    for name in ("IntakeVersion", "IntakeTemplate"):
        model = apps.get_model("intake", name)
        for row in model.objects.filter(service_levels__has_key=KIND):
            levels = dict(row.service_levels)
            try:
                levels[KIND] = change(levels[KIND])
            except (TypeError, ValueError):
                continue  # not a number: the engine already ignores it (and logs it)
            model.objects.filter(pk=row.pk).update(service_levels=levels)


def forwards(apps, schema_editor):
    _convert(apps, _days)


def backwards(apps, schema_editor):
    _convert(apps, _hours)


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
