"""Skipping the next touch-base: the series goes on to the one after it, everywhere.

The fixtures' series meets on Thursdays 14:00 London; the next meeting is Thu 26 Nov. hank
skips it: the job page, the invitation's link, the profile and the agenda's carried items
move on to Thu 03 Dec, the skip is listed with its reason, and the calendars drop that date.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.calendars.ics import calendar_text
from closeloop.notify.models import Message
from closeloop.touchbases.calendar import touchbase_events
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.selectors import action_items_carried, touchbase_current
from closeloop.touchbases.services import action_item_add, touchbase_skip

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
NEXT_THURSDAY = THURSDAY_14 + dt.timedelta(days=7)


def _skip(world, current):
    return touchbase_skip(touchbase=current, by=world.hank, reason="Hank travelling")


def test_the_next_meeting_is_the_one_after_the_skipped_one(world, series, current):
    assert current.scheduled_at == THURSDAY_14
    _skip(world, current)
    following = touchbase_current(series=series)
    assert following is not None and following.scheduled_at == NEXT_THURSDAY
    series = TouchbaseSeries.objects.get(pk=series.pk)
    assert series.next_starts_at == NEXT_THURSDAY


def test_the_job_page_and_the_invitations_link_name_the_next_one(world, current, login):
    _skip(world, current)
    client = login(world.hank)
    text = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "Open the next touch-base" in text and "Thu 03 Dec" in text
    # The skipped one is under Recent, with its reason.
    assert "Skipped" in text and "Hank travelling" in text
    response = client.get(reverse("touchbases:job-current", args=[world.job.pk]))
    following = touchbase_current(series=current.series)
    assert response.url == reverse("touchbases:touchbase-detail", args=[following.pk])


def test_the_profile_names_the_real_next_meeting(world, current, login):
    _skip(world, current)
    text = login(world.hank).get(reverse("accounts:profile")).content.decode()
    assert "next <time" in text and "Thu 03 Dec" in text and "Thu 26 Nov" not in text


def test_calendars_drop_the_skipped_date(world, series, current, login):
    _skip(world, current)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    (event,) = touchbase_events(world.hank, start, start + dt.timedelta(days=60))
    assert event.exdates == (THURSDAY_14,) and event.sequence == series.sequence + 1
    assert "EXDATE;TZID=Europe/London:20261126T140000" in calendar_text([event])
    ics = login(world.hank).get(reverse("touchbases:series-ics", args=[world.job.pk]))
    assert "EXDATE;TZID=Europe/London:20261126T140000" in ics.content.decode()
    # Both calendars that took the emailed invitation get it again without that date.
    sent = Message.objects.filter(template="touchbase-invite", subject__startswith="Skipped")
    assert {m.recipient_id for m in sent} == {world.rita.pk, world.hank.pk}


def test_open_action_items_carry_to_the_next_meeting(world, series, current):
    item = action_item_add(
        touchbase=current,
        by=world.rita,
        description="Send the revised job ad",
        owner=world.hank,
        due_on=dt.date(2026, 11, 25),
    )
    _skip(world, current)
    following = touchbase_current(series=series)
    assert following is not None and item in action_items_carried(touchbase=following)


def test_sync_after_a_skip_claims_no_invitation_it_did_not_send(world, current, login):
    _skip(world, current)
    sent = Message.objects.filter(template="touchbase-invite").count()
    page = reverse("touchbases:series-set-up", args=[world.job.pk])
    response = login(world.rita).post(page, follow=True)
    text = response.content.decode()
    assert "already follows the agreed cadence: nothing to send" in text
    assert "have the invitation" not in text and "Thu 03 Dec" in text
    assert Message.objects.filter(template="touchbase-invite").count() == sent
