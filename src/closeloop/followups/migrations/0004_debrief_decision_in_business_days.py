"""The debrief decision is due in business days, no longer in wall-clock hours.

An organisation's setting stored in hours becomes the nearest half business day
(72 h → 3 business days), within the 0.5–30 days a due time may be.
"""

from decimal import Decimal

from django.db import migrations

KIND = "decide_after_debrief"


def _days(hours):
    return min(30.0, max(0.5, round(float(hours) / 24 * 2) / 2))


def _hours(days):
    return float(days) * 24


def forwards(apps, schema_editor):
    ServiceLevel = apps.get_model("followups", "ServiceLevel")
    for row in ServiceLevel.objects.filter(kind=KIND):
        row.amount = Decimal(str(_days(row.amount)))
        row.save(update_fields=["amount"])


def backwards(apps, schema_editor):
    ServiceLevel = apps.get_model("followups", "ServiceLevel")
    for row in ServiceLevel.objects.filter(kind=KIND):
        row.amount = Decimal(str(min(720.0, _hours(row.amount))))
        row.save(update_fields=["amount"])


class Migration(migrations.Migration):
    dependencies = [("followups", "0003_service_levels")]

    operations = [migrations.RunPython(forwards, backwards)]
