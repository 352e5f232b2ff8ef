"""A tag's name is unique by its case-folded key (filled and merged by 0014), no longer by
SQL's LOWER()."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("pipeline", "0014_tag_name_key"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="tag",
            name="tag_name_unique_any_case",
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(fields=("name_key",), name="tag_name_key_unique"),
        ),
    ]
