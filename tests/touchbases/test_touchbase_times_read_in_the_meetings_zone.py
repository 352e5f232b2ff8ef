"""A touch-base named in a mention or on its comments page reads as the touch-base page
says it: in the meeting's own zone, named when it is not the reader's, and in an email in
the recipient's terms, never the author's.

The series here meets on Thursdays 14:00 Berlin (13:00 in London); rita (London) mentions
hank (Berlin) on the Thu 26 Nov meeting from her browser.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.notify.models import Message
from closeloop.touchbases.selectors import touchbase_current
from closeloop.touchbases.services import series_sync


def _berlin_meeting(world):
    job = world.job
    job.touchbase_weekday, job.touchbase_time = 3, dt.time(14, 0)
    job.touchbase_minutes, job.touchbase_time_zone = 30, "Europe/Berlin"
    job.save()
    world.rita.time_zone = "Europe/London"
    world.rita.save()
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    series = series_sync(job=job, by=world.rita)
    return touchbase_current(series=series)


def test_the_mention_email_gives_the_meeting_time_as_the_recipient_reads_it(world, login):
    touchbase = _berlin_meeting(world)
    page = reverse("comments:touchbase-comments", args=[touchbase.pk])
    login(world.rita).post(page, {"body": "@hank can we move tomorrow to 10:30?"})
    message = Message.objects.get(recipient=world.hank, template="comment-mention")
    assert message.subject.endswith("touch-base of Thu 26 Nov 14:00"), message.subject


def test_the_comments_page_names_the_meetings_zone_to_a_reader_elsewhere(world, login):
    touchbase = _berlin_meeting(world)
    page = reverse("comments:touchbase-comments", args=[touchbase.pk])
    text = login(world.rita).get(page).content.decode()
    assert "touch-base of Thu 26 Nov 14:00 (Europe/Berlin)" in text
    text = login(world.hank).get(page).content.decode()
    assert "touch-base of Thu 26 Nov 14:00<" in text


def test_the_activity_log_names_the_meetings_zone_whoever_wrote(world, login):
    """The log is read by everyone: its line names the zone even when the author's is it."""
    touchbase = _berlin_meeting(world)
    page = reverse("comments:touchbase-comments", args=[touchbase.pk])
    login(world.hank).post(page, {"body": "Agenda point for Thursday"})
    summary = Activity.objects.get(kind="closeloop.comment.added").summary
    assert summary.endswith("touch-base of Thu 26 Nov 14:00 (Europe/Berlin)"), summary
