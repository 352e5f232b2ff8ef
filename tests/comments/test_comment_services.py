"""Adding and editing comments: who may, what is refused with a clear message (and changes
nothing), the activity log, and the mentioned person's message through the outbox, inside
their working hours."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.comments.models import BODY_MAX, Comment
from closeloop.comments.selectors import comment_subject_of
from closeloop.comments.services import comment_add, comment_edit
from closeloop.notify.models import Delivery, DeliveryStatus, Message
from closeloop.notify.outbox import deliver_due

# Saturday 28 Nov 2026 03:00 UTC: nobody's working hours.
SATURDAY_NIGHT = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)
NEXT_MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def on(obj):
    return comment_subject_of(obj)


def mention_messages(person):
    return Message.objects.filter(recipient=person, template="comment-mention")


def test_the_team_comments_on_an_application_and_the_log_records_it(world, clock):
    comment = comment_add(subject=on(world.interviewed), by=world.hank, body="  Strong on SQL.  ")
    assert comment.body == "Strong on SQL." and comment.application_id == world.interviewed.pk
    event = Activity.objects.get(kind="closeloop.comment.added")
    assert event.application_id == world.interviewed.pk
    assert event.candidate_id == world.interviewed.candidate_id
    assert event.actor == world.hank and event.detail == "Strong on SQL."
    assert event.data == {"comment": comment.pk, "subject": "application"}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("   \n ", "Write something"),
        ("x" * (BODY_MAX + 1), f"at most {BODY_MAX:,} characters; this one has {BODY_MAX + 1:,}"),
    ],
)
def test_an_empty_or_overlong_comment_is_refused_with_a_clear_message(world, body, says):
    with pytest.raises(ValidationError) as refused:
        comment_add(subject=on(world.job), by=world.rita, body=body)
    assert says in str(refused.value)
    assert not Comment.objects.exists() and not Activity.objects.filter(kind__contains="comment")


def test_nobody_comments_on_what_they_cannot_see(world):
    with pytest.raises(PermissionDenied):
        comment_add(subject=on(world.other_application), by=world.rita, body="Hello")
    with pytest.raises(PermissionDenied):
        comment_add(subject=on(world.sourced), by=world.ivy, body="Hello")
    assert not Comment.objects.exists()


def test_mentioning_someone_who_cannot_see_the_subject_is_refused_naming_them(world):
    body = "@hank and @olga and @ivy, thoughts on Sam?"
    with pytest.raises(ValidationError) as refused:
        comment_add(subject=on(world.sourced), by=world.rita, body=body)
    problems = refused.value.message_dict["body"]
    assert any(
        "Olga Outsider (@olga) cannot see Sam Sourced for Backend Engineer" in p for p in problems
    )
    assert any("Ivy Interviewer (@ivy)" in p for p in problems)  # not on Sam's panel
    assert not any("Hank" in p for p in problems)
    assert not Comment.objects.exists() and not Message.objects.filter(template="comment-mention")


def test_unknown_ambiguous_and_departed_people_cannot_be_mentioned(world):
    User.objects.create_user("rita@other.example", None, full_name="Rita Two")
    User.objects.create_user("gone@example.com", None, full_name="Gus Gone", is_active=False)
    with pytest.raises(ValidationError) as refused:
        comment_add(subject=on(world.job), by=world.hank, body="@nobody @rita @gone")
    problems = " ".join(refused.value.message_dict["body"])
    assert "Nobody here is @nobody" in problems
    assert "@rita could be 2 people" in problems and "@rita@example.com" in problems
    assert "Gus Gone (@gone) no longer uses Closeloop" in problems
    comment = comment_add(subject=on(world.job), by=world.hank, body="@rita@example.com ok")
    assert list(comment.mentions.all()) == [world.rita]


def test_an_unknown_mention_shows_how_a_mention_is_written_with_a_colleagues_handle(world):
    """A handle is the address's part before the "@" ("hank@example.com" typed after a
    space is no mention): the refusal says so, with a colleague on the job as the example,
    never the author; a candidate's own page (no one job) says it without one."""
    how = "mention a colleague as @ and the part of their email address before the @"
    said = {}
    for by, obj in (
        (world.rita, world.job),
        (world.hank, world.interviewed),
        (world.rita, world.interviewed.candidate),
    ):
        with pytest.raises(ValidationError) as refused:
            comment_add(subject=on(obj), by=by, body="@nobody hi")
        said[by.email, obj] = refused.value.message_dict["body"]
    assert said["rita@example.com", world.job] == [f"Nobody here is @nobody: {how}, e.g. @hank."]
    assert said["hank@example.com", world.interviewed] == [
        f"Nobody here is @nobody: {how}, e.g. @rita."
    ]
    assert said["rita@example.com", world.interviewed.candidate] == [
        f"Nobody here is @nobody: {how}."
    ]
    assert not Comment.objects.exists()


def test_a_mention_reaches_the_inbox_on_the_channel_the_person_chose(world, clock, login):
    world.hank.notify_channel = "in_app"
    world.hank.save()
    comment = comment_add(subject=on(world.interviewed), by=world.rita, body="@hank @HANK see this")
    message = mention_messages(world.hank).get()
    assert message.subject == "Rita Recruiter mentioned you on Carla Candidate for Backend Engineer"
    assert "see this" in message.body_text and f"#comment-{comment.pk}" in message.body_text
    assert message.deliveries.get().channel == "in_app"
    inbox = login(world.hank).get("/inbox/").content.decode()
    assert "Rita Recruiter mentioned you" in inbox


def test_mentioning_oneself_tells_nobody(world, clock):
    comment_add(subject=on(world.job), by=world.rita, body="Note to self @rita")
    assert not Message.objects.filter(template="comment-mention").exists()


def test_a_mention_at_night_waits_for_the_persons_working_hours(world, settings, time_machine):
    settings.QUIET_HOURS = True
    time_machine.move_to(SATURDAY_NIGHT, tick=False)
    comment_add(subject=on(world.job), by=world.rita, body="@hank when you are back")
    delivery = Delivery.objects.get(message__in=mention_messages(world.hank))
    assert delivery.next_attempt_at == NEXT_MONDAY_9  # hank works 09:00-17:00 UTC
    deliver_due(worker="test")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    time_machine.move_to(NEXT_MONDAY_9 + dt.timedelta(minutes=1), tick=False)
    deliver_due(worker="test")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_the_author_edits_within_ten_minutes_and_it_keeps_its_time(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    comment = comment_add(subject=on(world.interviewed), by=world.rita, body="First go")
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 9, 59, tzinfo=dt.UTC), tick=False)
    edited = comment_edit(comment=comment, by=world.rita, body="Second go @hank").comment
    assert edited.body == "Second go @hank"
    assert edited.created_at == dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    assert edited.edited_at == dt.datetime(2026, 11, 23, 10, 9, 59, tzinfo=dt.UTC)
    assert Activity.objects.filter(kind="closeloop.comment.edited", detail="Second go @hank")
    assert mention_messages(world.hank).count() == 1  # newly mentioned: told once
    comment_edit(comment=edited, by=world.rita, body="Third go @hank")
    assert mention_messages(world.hank).count() == 1  # already told


def test_a_mention_removed_and_written_again_is_not_told_twice(world, time_machine):
    """An edit tells only people the comment never told: taking @hank out and putting him
    back is the same comment, and he already had its message."""
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    comment = comment_add(subject=on(world.job), by=world.rita, body="@hank look")
    assert mention_messages(world.hank).count() == 1
    comment = comment_edit(comment=comment, by=world.rita, body="Look").comment
    assert list(comment.mentions.all()) == []  # the text no longer names him
    edited = comment_edit(comment=comment, by=world.rita, body="@hank look again @ivy")
    assert list(edited.comment.mentions.order_by("email")) == [world.hank, world.ivy]
    assert edited.told == [world.ivy]
    assert mention_messages(world.hank).count() == 1
    assert mention_messages(world.ivy).count() == 1


def test_a_comment_remembers_whom_it_told(world, clock):
    """Its author is never told; each person it mentions is, once."""
    comment = comment_add(subject=on(world.job), by=world.rita, body="@hank and me @rita")
    assert list(comment.told.all()) == [world.hank]


def test_the_migration_takes_everyone_a_comment_mentions_as_told(world, clock):
    """Comments written before `told` was kept: their mentions were told, but the author."""
    comment = comment_add(subject=on(world.job), by=world.rita, body="@hank @ivy and me @rita")
    other = comment_add(subject=on(world.job), by=world.hank, body="@rita")
    for each in (comment, other):
        each.told.clear()
    migration = importlib.import_module("closeloop.comments.migrations.0002_comment_told")
    migration.told_fill(django_apps, None)
    assert sorted(comment.told.values_list("email", flat=True)) == [
        "hank@example.com",
        "ivy@example.com",
    ]
    assert list(other.told.all()) == [world.rita]


def test_an_edit_after_ten_minutes_or_by_someone_else_is_refused(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    comment = comment_add(subject=on(world.interviewed), by=world.rita, body="Said")
    with pytest.raises(PermissionDenied, match="Only the person who wrote"):
        comment_edit(comment=comment, by=world.hank, body="Changed")
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 10, 1, tzinfo=dt.UTC), tick=False)
    with pytest.raises(PermissionDenied, match="10 minutes"):
        comment_edit(comment=comment, by=world.rita, body="Changed")
    comment.refresh_from_db()
    assert comment.body == "Said" and comment.edited_at is None


def test_an_edit_may_not_add_a_mention_of_someone_who_cannot_see(world, clock):
    comment = comment_add(subject=on(world.sourced), by=world.rita, body="Fine")
    with pytest.raises(ValidationError, match="cannot see"):
        comment_edit(comment=comment, by=world.rita, body="Fine @olga")
    comment.refresh_from_db()
    assert comment.body == "Fine"


def test_an_erased_candidate_takes_no_more_comments(world, clock):
    from closeloop.pipeline.privacy import candidate_erase

    candidate = world.other_application.candidate
    candidate_erase(candidate=candidate, by=world.ada, reason="Asked to be forgotten")
    candidate.refresh_from_db()
    with pytest.raises(ValidationError, match="erased"):
        comment_add(subject=on(candidate), by=world.ada, body="Anything")


def test_touchbase_comments_reach_the_team_only(world, clock):
    from editing_world import build

    touchbase = build(world).touchbase
    comment_add(subject=on(touchbase), by=world.rita, body="@hank agenda item")
    with pytest.raises(ValidationError, match="Ivy Interviewer"):
        comment_add(subject=on(touchbase), by=world.rita, body="@ivy too")
    with pytest.raises(PermissionDenied):
        comment_add(subject=on(touchbase), by=world.ivy, body="Me too")
    event = Activity.objects.get(kind="closeloop.comment.added")
    assert event.job_id == touchbase.job_id and event.candidate_id is None


def test_mentions_while_the_person_is_off_work_wait_together_in_one_message(
    world, settings, time_machine, ivy_scored
):
    settings.QUIET_HOURS = True
    time_machine.move_to(SATURDAY_NIGHT, tick=False)
    comment_add(subject=on(world.job), by=world.rita, body="@hank first thing")
    time_machine.move_to(SATURDAY_NIGHT + dt.timedelta(hours=5), tick=False)
    comment_add(subject=on(world.interviewed), by=world.ivy, body="@hank about Carla")
    message = mention_messages(world.hank).get()
    assert message.subject == "You were mentioned in 2 comments"
    assert "first thing" in message.body_text and "about Carla" in message.body_text
    assert message.body_text.index("first thing") < message.body_text.index("about Carla")
    assert message.created_at == SATURDAY_NIGHT + dt.timedelta(hours=5)  # top of the Inbox
    assert message.deliveries.get().next_attempt_at == NEXT_MONDAY_9
    time_machine.move_to(NEXT_MONDAY_9 + dt.timedelta(minutes=1), tick=False)
    deliver_due(worker="test")
    assert message.deliveries.get().status == DeliveryStatus.SENT
    # Once it went, a new mention is a message of its own, sent at once in working hours.
    comment_add(subject=on(world.job), by=world.rita, body="@hank and another")
    assert mention_messages(world.hank).count() == 2


def test_a_mention_message_read_in_the_inbox_is_not_reworded(world, settings, time_machine):
    settings.QUIET_HOURS = True
    time_machine.move_to(SATURDAY_NIGHT, tick=False)
    comment_add(subject=on(world.job), by=world.rita, body="@hank one")
    Message.objects.filter(recipient=world.hank).update(read_at=SATURDAY_NIGHT)
    comment_add(subject=on(world.job), by=world.rita, body="@hank two")
    assert mention_messages(world.hank).count() == 2


def test_an_author_who_lost_sight_of_the_subject_cannot_edit(world, clock, ivy_scored):
    from closeloop.interviews.models import PanelSeat

    comment = comment_add(subject=on(world.interviewed), by=world.ivy, body="Mine")
    PanelSeat.objects.filter(user=world.ivy).delete()
    with pytest.raises(PermissionDenied, match="no longer see"):
        comment_edit(comment=comment, by=world.ivy, body="Changed")
