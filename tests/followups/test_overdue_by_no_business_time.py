"""An ask due Friday 17:00 read on Sunday is past due by no business time at all: every place
says since when it is overdue ("overdue since Fri 27 Nov 17:00"), never "1 business min
overdue", which would claim a minute of working time had passed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.followups.business_time import calendar_for, working_time_between
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.selectors import ask_row
from closeloop.notify.models import Message
from closeloop.pipeline.overview import escalations_reaching, overdue_by_person
from closeloop.pipeline.services import application_submit

WEDNESDAY_17 = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
FRIDAY_17 = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)
SUNDAY_12 = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
SINCE = "overdue since Fri 27 Nov 17:00"


@pytest.fixture
def review(world, clock):
    """Rita submits Sam to Hank on Wednesday at 17:00: his review is due Friday 17:00."""
    clock.move_to(WEDNESDAY_17)
    application_submit(application=world.sourced, by=world.rita, pitch="Strong fit.")
    ask = Ask.objects.get(kind="review_submission", status=AskStatus.OPEN)
    assert ask.due_at == FRIDAY_17
    clock.move_to(SUNDAY_12)
    assert working_time_between(calendar_for(world.hank), FRIDAY_17, SUNDAY_12) == dt.timedelta()
    return ask


def test_my_queue_says_since_when_it_is_overdue(world, review, login):
    assert ask_row(review, SUNDAY_12).due_in == SINCE
    html = login(world.hank).get(reverse("pipeline:queue")).content.decode()
    assert SINCE in html and "1 business min" not in html


def test_the_admins_overview_says_it_the_same_way(world, review, login):
    Ask.objects.filter(pk=review.pk).update(level=2)
    people, _, _ = overdue_by_person(user=world.ada, now=SUNDAY_12)
    [hank] = [row for row in people if row.person == world.hank]
    assert hank.oldest_overdue == SINCE
    [row], _ = escalations_reaching(user=world.ada, now=SUNDAY_12)
    assert row.overdue == SINCE
    html = login(world.ada).get(reverse("pipeline:queue")).content.decode()
    assert f"oldest {SINCE}" in html and "1 business min" not in html


def test_a_minute_of_working_time_later_it_is_a_minute_overdue(world, review):
    monday = dt.datetime(2026, 11, 30, 9, 1, 30, tzinfo=dt.UTC)
    assert ask_row(review, monday).due_in == "1 business min overdue"


def test_the_reminder_says_it_has_been_overdue_since_friday(world, review, settings):
    settings.QUIET_HOURS = False  # as the demo: sent on Sunday
    asks_advance()
    notices_compose()
    body = Message.objects.get(recipient=world.hank).body_text
    assert "has been overdue since Fri 27 Nov 17:00" in body
    assert "is due now" not in body


def test_the_pages_say_the_due_time_once(world, review, login):
    """ "Overdue since Fri 27 Nov 17:00" names the due time: no "due Fri 27 Nov 17:00" under
    it, on My queue or the candidate's page; a day overdue still gives its due time."""
    client = login(world.hank)
    for url in (
        reverse("pipeline:queue"),
        reverse("pipeline:application-detail", args=[world.sourced.pk]),
    ):
        html = client.get(url).content.decode()
        assert SINCE in html and html.count("Fri 27 Nov 17:00") == 1, url
    assert not ask_row(review, SUNDAY_12).shows_due
    assert ask_row(review, dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)).shows_due
