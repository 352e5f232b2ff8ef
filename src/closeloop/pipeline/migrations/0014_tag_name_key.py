"""A tag's name is once in the organisation whatever its case, compared case-folded in Python
(`tag_name_key`) instead of by SQL's LOWER(), which left "Übersee" and "übersee" two tags on
SQLite (ASCII letters only) and "Straße" and "STRASSE" two tags on every database.

Tags made twice that way before are merged into the first one made, whose spelling stays:
each candidate keeps one link, the earliest (who tagged first), and a saved view filtering
on a merged tag filters on the one kept. The unique constraint on the key is the next
migration's: on PostgreSQL a table cannot be altered in the transaction that deleted rows
a deferred foreign key still checks.
"""

import unicodedata
from urllib.parse import parse_qsl, urlencode

from django.db import migrations, models

KEY_MAX = 160


def name_key(name):
    # pipeline.models.tag_name_key (lib.folding.case_key) as it stands at this migration.
    spaced = " ".join(unicodedata.normalize("NFKC", str(name)).split())
    return unicodedata.normalize("NFKC", spaced.casefold())[:KEY_MAX]


def tags_merge(apps, schema_editor):
    Tag = apps.get_model("pipeline", "Tag")
    CandidateTag = apps.get_model("pipeline", "CandidateTag")
    SavedView = apps.get_model("pipeline", "SavedView")
    kept, merged, keyed = {}, {}, []
    for tag in Tag.objects.order_by("created_at", "pk").only("pk", "name").iterator():
        key = name_key(tag.name)
        if key in kept:
            merged[tag.pk] = kept[key]
            continue
        kept[key] = tag.pk
        tag.name_key = key
        keyed.append(tag)
    Tag.objects.bulk_update(keyed, ["name_key"], batch_size=500)
    if not merged:
        return
    groups = {}
    for duplicate, keep in merged.items():
        groups.setdefault(keep, []).append(duplicate)
    for keep, duplicates in groups.items():
        first, later = {}, []
        links = CandidateTag.objects.filter(tag_id__in=[keep, *duplicates])
        for link in links.order_by("added_at", "pk").only("pk", "candidate_id"):
            if link.candidate_id in first:
                later.append(link.pk)
            else:
                first[link.candidate_id] = link.pk
        # The later links go first: a duplicate's link moved onto the tag kept must not meet
        # the same candidate's link to it under (candidate, tag)'s unique constraint.
        CandidateTag.objects.filter(pk__in=later).delete()
        CandidateTag.objects.filter(pk__in=first.values(), tag_id__in=duplicates).update(
            tag_id=keep
        )
    Tag.objects.filter(pk__in=list(merged)).delete()
    for view in SavedView.objects.filter(query__contains="tag=").only("pk", "query"):
        pairs = parse_qsl(view.query, keep_blank_values=True)
        moved = [
            (name, str(merged[int(value)]))
            if name == "tag" and value.isdigit() and int(value) in merged
            else (name, value)
            for name, value in pairs
        ]
        if moved != pairs:
            SavedView.objects.filter(pk=view.pk).update(query=urlencode(moved))


class Migration(migrations.Migration):

    dependencies = [
        ("pipeline", "0013_submission_closed_before_a_decision"),
    ]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=160),
            preserve_default=False,
        ),
        migrations.RunPython(tags_merge, migrations.RunPython.noop, elidable=True),
    ]
