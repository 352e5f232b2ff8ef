"""The sentence a hold stored is gone: `held_for` (0012) names whom it waits for."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0012_ask_held_for"),
    ]

    operations = [
        migrations.RemoveField(model_name="ask", name="hold_reason"),
    ]
