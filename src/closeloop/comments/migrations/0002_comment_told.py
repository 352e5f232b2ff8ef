"""A comment remembers whom it told it mentions them (`Comment.told`), so an edit that puts
back a mention an earlier edit took out does not tell that person a second time.

The comments written before were told of by their mentions: each person a comment mentions
now, but its author, is taken as told. (One taken out by an edit before this migration is
not known; comments are edited within 10 minutes only, so at most those few may tell them
again.)
"""

from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def told_fill(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    Mentioned, Told = Comment.mentions.through, Comment.told.through
    rows = Mentioned.objects.values_list("pk", "comment_id", "user_id", "comment__author_id")
    told = []
    for _, comment_id, user_id, author_id in rows.order_by("pk").iterator(BATCH):
        if user_id != author_id:
            told.append(Told(comment_id=comment_id, user_id=user_id))
        if len(told) >= BATCH:
            Told.objects.bulk_create(told, ignore_conflicts=True)
            told = []
    Told.objects.bulk_create(told, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("comments", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="told",
            field=models.ManyToManyField(blank=True, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(told_fill, migrations.RunPython.noop, elidable=True),
    ]
