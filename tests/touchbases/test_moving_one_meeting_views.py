"""*Move this meeting* on the touch-base page: who may, what it refuses, the warning.

The fixtures' meeting is Thu 26 Nov 14:00 London (UTC in November); it is Mon 23 Nov.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from closeloop.notify.models import Message
from closeloop.touchbases.models import Touchbase

THU_26 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
FRI_27 = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _post(client, current, **data):
    data.setdefault("starts_at", "2026-11-27T15:00")
    return client.post(reverse("touchbases:touchbase-move", args=[current.pk]), data)


def _unmoved(current) -> bool:
    current.refresh_from_db()
    return current.scheduled_at == THU_26 and current.moved_from is None


@pytest.mark.parametrize(
    ("persona", "status"), [("rita", 302), ("hank", 302), ("ada", 302), ("ivy", 404), ("olga", 404)]
)
def test_whoever_runs_the_meeting_moves_it(world, current, login, persona, status):
    response = _post(login(getattr(world, persona)), current, reason="Offsite")
    assert response.status_code == status
    current.refresh_from_db()
    assert (current.scheduled_at == FRI_27) is (status == 302)


def test_the_escalation_contact_reads_but_does_not_move_it(world, current, login):
    world.job.escalation_contact = world.olga
    world.job.save()
    client = login(world.olga)
    page = client.get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    assert "Move this meeting" not in page.content.decode()
    assert _post(client, current).status_code == 403 and _unmoved(current)


def test_the_form_is_offered_in_the_readers_zone_naming_the_meetings(world, current, login):
    world.hank.time_zone = "America/New_York"
    world.hank.save()
    page = login(world.hank).get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    text = page.content.decode()
    assert "Move this meeting" in text and 'value="2026-11-26T09:00"' in text
    assert "In your time zone (America/New_York)" in text
    assert "The meeting's own time zone is Europe/London" in text


def test_a_time_typed_in_the_readers_zone_is_that_moment(world, current, login):
    world.hank.time_zone = "America/New_York"
    world.hank.work_start, world.hank.work_end = dt.time(8, 0), dt.time(18, 0)
    world.hank.save()
    response = _post(login(world.hank), current, starts_at="2026-11-27T10:00")
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.scheduled_at == FRI_27  # 10:00 New York is 15:00 UTC


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Give the new date and time."),
        ("next friday", "Enter a valid date and time"),
        ("2026-11-20T10:00", "That time has passed"),
        ("2026-12-03T14:15", "That collides with the touch-base of Thu 03 Dec 14:00"),
        ("9999-12-31T23:59", "Choose a time within a year"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, current, login, typed, says):
    response = _post(login(world.rita), current, starts_at=typed, confirmed="on")
    assert response.status_code == 400
    text = _text(response)
    assert "The touch-base was not moved." in text and says in text
    assert _unmoved(current)
    assert not Message.objects.filter(subject__startswith="Moved").exists()


def test_outside_working_hours_warns_then_moves_when_confirmed(world, current, login):
    client = login(world.hank)
    warned = _post(client, current, starts_at="2026-11-27T19:00", reason="Offsite")
    assert warned.status_code == 200
    text = _text(warned)
    assert "Outside the working hours of Rita Recruiter (Fri 19:00, UTC)" in text
    assert "Move it anyway" in text and 'value="2026-11-27T19:00"' in warned.content.decode()
    assert _unmoved(current)
    moved = _post(client, current, starts_at="2026-11-27T19:00", reason="Offsite", confirmed="on")
    assert moved.status_code == 302
    current.refresh_from_db()
    assert current.scheduled_at == dt.datetime(2026, 11, 27, 19, 0, tzinfo=dt.UTC)


def test_the_pages_show_the_new_time_and_where_it_moved_from(world, current, login):
    client = login(world.rita)
    _post(client, current, reason="Offsite")
    # The meeting's zone (London) is named to rita, who lives in UTC, once for the page.
    page = _text(client.get(reverse("touchbases:touchbase-detail", args=[current.pk])))
    assert "Every time on this page is the meeting's (Europe/London)" in page
    assert "Touch-base Fri 27 Nov 15:00" in page
    assert "moved from Thu 26 Nov 14:00 by you (Offsite)" in page
    assert "moved from Thu 26 Nov 14:00 (Europe/London)" not in page
    job_page = _text(client.get(reverse("jobs:job-detail", args=[world.job.pk])))
    assert (
        "Next touch-base: Fri 27 Nov 15:00 (Europe/London) · moved from Thu 26 Nov 14:00"
    ) in job_page


def test_a_skipped_meeting_offers_no_move(world, current, login):
    client = login(world.rita)
    client.post(reverse("touchbases:touchbase-skip", args=[current.pk]), {"reason": "Away"})
    page = client.get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    assert "Move this meeting" not in page.content.decode()
    response = _post(client, current)
    assert response.status_code == 400 and "can no longer be moved" in _text(response)
    assert Touchbase.objects.get(pk=current.pk).moved_from is None
