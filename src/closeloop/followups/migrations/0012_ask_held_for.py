"""A held ask keeps whose answer it waits for (`held_for`), not the sentence: each page words
it for its reader ("waiting for your answer" to the person awaited).

Existing holds are carried over: the person awaited is the owner of the open answer the
review waits for (the recruiter, or the delegate the question's ask went to), the one the
stored sentence names when several could be; failing that, the job's recruiter. The sentence
goes in 0013, a migration of its own: PostgreSQL refuses to alter a table in the transaction
that just wrote rows checked by a deferred foreign key.
"""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

NAMED = re.compile(r"waiting for (?P<name>.+)'s answer")


def _short_name(user):
    return (user.full_name or user.email).split(" ")[0]


def _awaited(ask, Ask):
    """Who the held ask waits for: among the owners of the open answers owed on its
    candidate and the job's recruiter, the one its sentence named (else the first)."""
    people = []
    if ask.application_id is not None:
        answers = Ask.objects.filter(
            application_id=ask.application_id, kind="answer_question", status="open"
        ).select_related("owner")
        people += [answer.owner for answer in answers.order_by("opened_at", "pk")]
    job = ask.job if ask.job_id is not None else None
    if job is not None and job.recruiter_id is not None:
        people.append(job.recruiter)
    named = NAMED.fullmatch(ask.hold_reason.strip())
    for person in people:
        if named and _short_name(person) == named["name"]:
            return person
    return people[0] if people else None


def holds_name_a_person(apps, schema_editor):
    Ask = apps.get_model("followups", "Ask")
    held = Ask.objects.filter(held_at__isnull=False).select_related("job__recruiter")
    for ask in held.iterator(chunk_size=500):
        ask.held_for = _awaited(ask, Ask)
        ask.save(update_fields=["held_for"])


def holds_say_a_sentence(apps, schema_editor):
    Ask = apps.get_model("followups", "Ask")
    held = Ask.objects.filter(held_at__isnull=False).select_related("held_for")
    for ask in held.iterator(chunk_size=500):
        whose = f"{_short_name(ask.held_for)}'s" if ask.held_for is not None else "an"
        ask.hold_reason = f"waiting for {whose} answer"
        ask.save(update_fields=["hold_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0011_notices_escalated_index"),
        ("jobs", "0010_job_held_at"),
        ("pipeline", "0015_tag_name_key_unique"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ask",
            name="held_for",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(holds_name_a_person, holds_say_a_sentence),
    ]
