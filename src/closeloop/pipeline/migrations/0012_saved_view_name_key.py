"""A saved view's name is once per person and job whatever its case, compared case-folded in
Python (`saved_view_name_key`) instead of by SQL's LOWER(), which left "Überfällig" and
"überfällig" apart on SQLite (ASCII letters only) and on PostgreSQL under some locales.

Views saved twice that way before are kept: the later one is renamed "… (2)".
"""

import unicodedata

from django.db import migrations, models

KEY_MAX = 240
NAME_MAX = 60


def name_key(name):
    # pipeline.models.saved_view_name_key as it stands at this migration.
    spaced = " ".join(unicodedata.normalize("NFKC", str(name)).split())
    return unicodedata.normalize("NFKC", spaced.casefold())[:KEY_MAX]


def keys_fill(apps, schema_editor):
    SavedView = apps.get_model("pipeline", "SavedView")
    views = list(SavedView.objects.order_by("owner_id", "job_id", "pk"))
    # Every name as it stands is taken before any is renamed: a new name "… (2)" must not be
    # one a later view already has ("Straße", "STRASSE" and "Strasse (2)"), whose own name
    # stays, nor equal it under the old LOWER() rule while that rule is still in force.
    taken = {(view.owner_id, view.job_id, name_key(view.name)) for view in views}
    kept = set()
    for view in views:
        key, name, n = name_key(view.name), view.name, 1
        if (view.owner_id, view.job_id, key) in kept:
            while (view.owner_id, view.job_id, key) in taken:
                n += 1
                suffix = f" ({n})"
                name = view.name[: NAME_MAX - len(suffix)] + suffix
                key = name_key(name)
            taken.add((view.owner_id, view.job_id, key))
        kept.add((view.owner_id, view.job_id, key))
        SavedView.objects.filter(pk=view.pk).update(name=name, name_key=key)


class Migration(migrations.Migration):

    dependencies = [
        ('pipeline', '0011_submission_must_haves_listed'),
    ]

    operations = [
        migrations.AddField(
            model_name='savedview',
            name='name_key',
            field=models.CharField(default='', editable=False, max_length=240),
            preserve_default=False,
        ),
        # The old rule goes before the names are worked out, so it cannot refuse a rename
        # whatever a locale's LOWER() pairs. The new one comes after: PostgreSQL allows that
        # ALTER because the updates change no foreign key, so no trigger event is pending.
        migrations.RemoveConstraint(
            model_name='savedview',
            name='saved_view_name_once_per_job',
        ),
        migrations.RunPython(keys_fill, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='savedview',
            constraint=models.UniqueConstraint(fields=('owner', 'job', 'name_key'), name='saved_view_name_key_once_per_job'),
        ),
    ]
