"""A job's agreed time for the debrief decision moves from wall-clock hours to business days
(72 h → 3 business days, to the nearest half day within 0.5–30)."""

from django.db import migrations

KIND = "decide_after_debrief"


def _days(hours):
    days = min(30.0, max(0.5, round(float(hours) / 24 * 2) / 2))
    return int(days) if days.is_integer() else days


def _hours(days):
    return int(min(720, float(days) * 24))


def _convert(apps, change):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.filter(service_levels__has_key=KIND):
        levels = dict(job.service_levels)
        try:
            levels[KIND] = change(levels[KIND])
        except (TypeError, ValueError):
            continue  # not a number: the engine already ignores it (and logs it)
        Job.objects.filter(pk=job.pk).update(service_levels=levels)


def forwards(apps, schema_editor):
    _convert(apps, _days)


def backwards(apps, schema_editor):
    _convert(apps, _hours)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_agreement_fields_and_interview_rounds")]

    operations = [migrations.RunPython(forwards, backwards)]
