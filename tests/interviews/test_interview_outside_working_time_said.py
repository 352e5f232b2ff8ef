"""An interview booked on a panelist's public holiday, day off or outside their hours says so
after booking too: on its briefing (to whoever reads it, the reader as "you") and as a short
note on the interviewer's queue row, read without a query per row."""

from __future__ import annotations

import datetime as dt
import html as markup
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from interview_helpers import book

from closeloop.accounts.models import User
from closeloop.interviews.models import Interview

CHRISTMAS_EVE = dt.datetime(2026, 12, 24, 9, 0, tzinfo=dt.UTC)
CHRISTMAS_13 = dt.datetime(2026, 12, 25, 13, 0, tzinfo=dt.UTC)
WEDNESDAY_1230 = dt.datetime(2026, 12, 30, 12, 30, tzinfo=dt.UTC)  # 07:30 in New York
WEDNESDAY_15 = dt.datetime(2026, 12, 30, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York
QUEUE = reverse("pipeline:queue")


@pytest.fixture
def world(world):
    with time_machine.travel(CHRISTMAS_EVE, tick=False):
        User.objects.filter(pk=world.ivy.pk).update(
            time_zone="Europe/London", holiday_country="GB", holiday_subdivision="ENG"
        )
        world.ivy.refresh_from_db()
        Interview.objects.filter(application=world.interviewed).delete()
        yield world


@pytest.fixture
def ethan(world):
    user = User.objects.create_user(
        "ethan@example.com",
        "correct-horse-battery",
        full_name="Ethan Brooks",
        is_interviewer=True,
        time_zone="America/New_York",
        work_start=dt.time(9, 0),
        work_end=dt.time(17, 30),
        holiday_country="US",
        holiday_subdivision="NY",
    )
    world.job.interviewers.add(user)
    return user


def page(client, reader, interview) -> str:
    client.force_login(reader)
    response = client.get(reverse("interviews:interview-detail", args=[interview.pk]))
    return markup.unescape(response.content.decode())


def test_the_briefing_says_the_interview_falls_on_a_panelists_public_holiday(
    client, world, technical
):
    interview = book(world, technical, [world.ivy], CHRISTMAS_13, zone="Europe/Berlin")
    html = page(client, world.rita, interview)
    assert "Fri 25 Dec is a public holiday for Ivy Interviewer (Christmas Day)" in html
    # Ivy reads it about herself.
    assert "Fri 25 Dec is a public holiday for you (Christmas Day)" in page(
        client, world.ivy, interview
    )


def test_the_briefing_says_the_interview_starts_before_a_panelists_hours(
    client, world, technical, ethan
):
    interview = book(world, technical, [world.ivy, ethan], WEDNESDAY_1230)
    html = page(client, world.rita, interview)
    assert "07:30 is before Ethan Brooks's working hours (09:00–17:30 New York)" in html
    assert "Ivy Interviewer" not in re.findall(r'class="[^"]*off-hours[^"]*".*?</', html, re.S)[0]


def test_an_interview_in_everyones_working_time_says_nothing(client, world, technical, ethan):
    interview = book(world, technical, [world.ivy, ethan], WEDNESDAY_15)
    html = page(client, world.rita, interview)
    assert "off-hours" not in html
    assert "public holiday" not in html and "working hours" not in html


def test_the_interviewers_queue_row_notes_her_holiday(client, world, technical):
    book(world, technical, [world.ivy], CHRISTMAS_13, zone="Europe/Berlin")
    client.force_login(world.ivy)
    html = markup.unescape(client.get(QUEUE).content.decode())
    assert "Christmas Day for you" in html


def test_the_queue_reads_the_notes_without_a_query_per_row(client, world, technical, ethan):
    from closeloop.pipeline.models import Application

    client.force_login(ethan)
    book(world, technical, [world.ivy, ethan], WEDNESDAY_1230)
    with CaptureQueriesContext(connection) as one:
        assert "Before your working hours" in markup.unescape(client.get(QUEUE).content.decode())
    for n in range(3):  # three more candidates, each waiting on an interview off hours
        other = Application.objects.get(pk=world.interviewed.pk)
        candidate = other.candidate
        candidate.pk = None
        candidate.email = f"more{n}@example.com"
        candidate.save()
        other.pk = None
        other.candidate = candidate
        other.save()
        world.interviewed = other
        starts = WEDNESDAY_1230 + dt.timedelta(minutes=15 * (n + 1))  # before 09:00 there
        book(world, technical, [world.ivy, ethan], starts)
    with CaptureQueriesContext(connection) as four:
        html = markup.unescape(client.get(QUEUE).content.decode())
    assert html.count("Before your working hours") >= 4
    assert len(four) == len(one)


def test_the_booking_flash_says_it_is_a_public_holiday(client, world, technical, ethan):
    """The booking's warning and the briefing say it by one rule: the holiday, by name."""
    client.force_login(world.rita)
    response = client.post(
        reverse("interviews:interview-book", args=[world.interviewed.pk]),
        {"round": technical.pk, "starts_at": "2026-12-25T10:00", "time_zone": "Europe/London",
         "interviewers": [world.ivy.pk, ethan.pk], "location": "Room 1"},
        follow=True,
    )  # fmt: skip
    body = markup.unescape(response.content.decode())
    assert f"Fri 25 Dec is a public holiday for {world.ivy.full_name} (Christmas Day)" in body
    assert "Fri 25 Dec is a public holiday for Ethan Brooks (Christmas Day)" in body
    assert "Outside the working hours" not in body


def test_the_invitation_tells_the_panelist_of_her_holiday(world, technical, ethan):
    from closeloop.notify.models import Message

    book(world, technical, [world.ivy], CHRISTMAS_13, zone="Europe/Berlin")
    ivy = Message.objects.get(recipient=world.ivy, template="interview-invitation")
    for body in (ivy.body_text, markup.unescape(ivy.body_html)):
        assert "Fri 25 Dec is a public holiday for you (Christmas Day)" in body
    rita = Message.objects.get(recipient=world.rita, template="interview-invitation")
    assert f"Fri 25 Dec is a public holiday for {world.ivy.full_name} (Christmas Day)" in (
        rita.body_text
    )


def test_an_invitation_in_working_time_says_nothing_of_it(world, technical, ethan):
    from closeloop.notify.models import Message

    book(world, technical, [world.ivy, ethan], WEDNESDAY_15)
    for message in Message.objects.filter(template="interview-invitation"):
        assert "holiday" not in message.body_text and "working hours" not in message.body_text
