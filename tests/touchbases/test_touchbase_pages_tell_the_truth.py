"""The touch-base pages and panels say what is true: "Mark held" only when it would be
accepted, a meeting's time in one zone named wherever it is not the viewer's, the next
meeting and the coming interviews called what they are, and the weekday of a series."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from closeloop.touchbases import selectors
from closeloop.touchbases.models import Touchbase, TouchbaseStatus
from closeloop.touchbases.selectors import touchbase_current
from closeloop.touchbases.services import series_sync, touchbase_hold

THURSDAY_EVENING = dt.datetime(2026, 11, 26, 20, 0, tzinfo=dt.UTC)


def held_form(html: str, touchbase: Touchbase) -> bool:
    return reverse("touchbases:touchbase-held", args=[touchbase.pk]) in html


def page(login, user, touchbase: Touchbase) -> str:
    url = reverse("touchbases:touchbase-detail", args=[touchbase.pk])
    return login(user).get(url).content.decode()


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


@pytest.fixture
def berlin(cadence, world):
    """The job's touch-base on Mondays 10:00 Berlin time (09:00 UTC), with one held last
    Monday; the personas live in UTC unless a test moves them."""
    cadence.touchbase_weekday, cadence.touchbase_time = 0, dt.time(10, 0)
    cadence.touchbase_time_zone = "Europe/Berlin"
    cadence.save()
    series = series_sync(job=cadence, by=world.rita)
    past = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
    Touchbase.objects.create(
        series=series, job=cadence, scheduled_at=past, ends_at=past + dt.timedelta(minutes=30),
        status=TouchbaseStatus.HELD, held_at=past, held_by=world.rita,
    )  # fmt: skip
    return series


# --- 5. Mark held -------------------------------------------------------------------------


def test_mark_held_is_not_offered_days_before_the_meeting_but_is_12_hours_before(
    world, clock, login, current
):
    html = page(login, world.rita, current)  # Monday; the meeting is on Thursday 14:00
    assert not held_form(html, current)
    assert "Skip this one" in html  # a meeting can be called off ahead
    assert "You can mark it held from 12 hours before it starts: from <time" in html
    assert "Thu 26 Nov 02:00</time>." in html
    clock.move_to(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC))
    assert held_form(page(login, world.rita, current), current)


def test_mark_held_is_offered_exactly_when_the_service_would_accept_it(
    world, clock, login, current
):
    moments = [
        dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 26, 1, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 26, 14, 15, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC),
    ]
    offered_at = []
    for moment in moments:
        clock.move_to(moment)
        offered = selectors.touchbase_can_mark_held(user=world.rita, touchbase=current)
        assert held_form(page(login, world.rita, current), current) == offered
        with transaction.atomic():
            try:
                touchbase_hold(touchbase=current, by=world.rita)
                accepted = True
            except ValidationError:
                accepted = False
            transaction.set_rollback(True)
        assert offered == accepted, moment
        offered_at.append(offered)
    assert offered_at == [False, False, True, True, True]
    # Someone who does not run the meeting is never offered it.
    assert not selectors.touchbase_can_mark_held(user=world.ivy, touchbase=current)


# --- 6. one zone, named where it is not yours ----------------------------------------------


def test_a_meetings_time_reads_the_same_on_the_job_page_and_the_touchbase_page(
    world, clock, login, berlin
):
    current = touchbase_current(series=berlin)
    job_html = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk]))
    job_panel = section(job_html.content.decode(), "tb-heading")
    meeting_page = page(login, world.rita, current)
    meeting = section(meeting_page, "history-heading")
    assert "Mon 16 Nov 10:00 (Europe/Berlin)" in job_panel
    # The meeting's page names its zone once, at the top, for every time on it.
    assert "Every time on this page is the meeting's (Europe/Berlin)" in meeting_page
    assert "Mon 16 Nov 10:00" in meeting
    for html in (job_panel, meeting):
        assert "Mon 16 Nov 09:00" not in html
    assert "Mon 30 Nov 10:00 (Europe/Berlin)" in job_panel
    # For someone in Berlin the meeting's zone is theirs: no label needed.
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    history = section(page(login, world.hank, current), "history-heading")
    assert "Mon 16 Nov 10:00" in history and "(Europe/Berlin)" not in history


# --- 7. named truthfully --------------------------------------------------------------------


def test_on_thursday_evening_next_mondays_meeting_and_interviews_are_not_called_this_weeks(
    world, clock, login, berlin
):
    clock.move_to(THURSDAY_EVENING)
    html = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content
    html = html.decode()
    assert "this week" not in html.lower()
    assert "Next touch-base" in section(html, "tb-heading")
    assert "Mon 30 Nov 10:00 (Europe/Berlin)" in section(html, "tb-heading")
    assert "Interviews in the next 7 days" in html


# --- 8. the profile names the weekday ------------------------------------------------------


def test_the_profile_names_the_weekday_of_each_touchbase(world, login, berlin):
    html = login(world.rita).get(reverse("accounts:profile")).content.decode()
    line = section(html, "tb-profile-heading")
    assert "Mondays 10:00 (Europe/Berlin)" in line
