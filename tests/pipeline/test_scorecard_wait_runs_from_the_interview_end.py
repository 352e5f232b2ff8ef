"""A scorecard is owed from the interview's end: a candidate who entered the interview stage
a week before the interview has waited on the interviewer an hour, an hour after it ended —
in the interviewer's queue, on the application page and on the waits page alike — not the
week the candidate spent waiting for the interview to take place. (Read before the worker
has completed the interview; once it has, the scorecard ask says the same.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.insights.waits import waits_now
from closeloop.interviews.models import Interview
from closeloop.interviews.services import Slot, interview_book
from closeloop.jobs.models import StageKind
from closeloop.pipeline.selectors import (
    application_move_wait,
    queue_items,
    queue_rows,
    queue_sets,
)
from closeloop.pipeline.services import application_move

QUEUE = reverse("pipeline:queue")


@pytest.fixture
def world(clock, world):
    return world


@pytest.fixture
def ended_an_hour_ago(world, clock, settings) -> Interview:
    """Carla entered the interview stage on Monday; her interview with ivy took place a
    week later, and ended an hour ago (ivy owes its scorecard)."""
    settings.STALE_AFTER_DAYS = 7
    Interview.objects.all().delete()
    interviewing = world.job.stages.get(kind=StageKind.INTERVIEWING)
    application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
    starts_at = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    interview = interview_book(
        application=world.interviewed,
        by=world.rita,
        round=None,
        round_name="Technical",
        slot=Slot(starts_at=starts_at, time_zone="UTC", interviewers=[world.ivy]),
    )
    clock.move_to(interview.ends_at + dt.timedelta(hours=1))
    world.interviewed.refresh_from_db()
    return interview


def test_the_queue_counts_the_wait_from_the_interviews_end(world, ended_an_hour_ago, login):
    now = ended_an_hour_ago.ends_at + dt.timedelta(hours=1)
    sets = queue_sets(user=world.ivy, now=now)
    items = queue_items(queue_rows(sets.i_owe, now=now), now=now)
    (item,) = [i for i in items if i.application.pk == world.interviewed.pk]
    assert item.move == "Give feedback on the Technical interview"
    assert item.since == ended_an_hour_ago.ends_at
    assert item.days == 0 and item.urgency == ""
    html = login(world.ivy).get(QUEUE).content.decode()
    assert "Stale" not in html and "7 days" not in html


def test_while_the_interview_runs_nothing_is_late(world, ended_an_hour_ago):
    under_way = ended_an_hour_ago.starts_at + dt.timedelta(minutes=10)
    sets = queue_sets(user=world.ivy, now=under_way)
    (item,) = queue_items(queue_rows(sets.i_owe, now=under_way), now=under_way)
    assert item.since == under_way and item.days == 0


def test_the_application_page_counts_the_wait_from_the_interviews_end(
    world, ended_an_hour_ago, login
):
    wait = application_move_wait(application=world.interviewed)
    assert wait.since == ended_an_hour_ago.ends_at
    url = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    html = login(world.rita).get(url).content.decode()
    move = html[html.index("Whose move") :]
    assert "waiting 1 h" in move[:400]


def test_the_waits_page_counts_the_wait_from_the_interviews_end(world, ended_an_hour_ago):
    waits = waits_now(viewer=world.ada)
    (item,) = [i for i in waits.longest if i.application.pk == world.interviewed.pk]
    assert item.since == ended_an_hour_ago.ends_at


def test_the_reminder_says_the_wait_as_the_queue_does(world, ended_an_hour_ago, clock, settings):
    """Six days after the interview (a weekend between), ivy's queue reads "6 days · since
    Mon 30 Nov 10:45"; her reminder says the same figure from the same moment, with the
    business time its due time counts in beside it — never a bare "4 business days" that
    reads as another wait."""
    from closeloop.followups.engine import asks_advance, notices_compose
    from closeloop.interviews.services import interviews_complete
    from closeloop.notify.models import Message

    settings.QUIET_HOURS = False
    interviews_complete()
    clock.move_to(ended_an_hour_ago.ends_at + dt.timedelta(days=6, hours=2))
    now = ended_an_hour_ago.ends_at + dt.timedelta(days=6, hours=2)
    sets = queue_sets(user=world.ivy, now=now)
    (item,) = [i for i in queue_items(queue_rows(sets.i_owe, now=now), now=now)
               if i.application.pk == world.interviewed.pk]  # fmt: skip
    assert item.since == ended_an_hour_ago.ends_at
    asks_advance()
    notices_compose()
    message = Message.objects.filter(recipient=world.ivy).latest("pk")
    waited = "6 days (4 business days) since Mon 30 Nov 10:45"
    assert f"{item.since:%a %d %b %H:%M}" == "Mon 30 Nov 10:45"  # the queue's row says so
    assert f"Carla Candidate has been waiting {waited}." in message.body_text
