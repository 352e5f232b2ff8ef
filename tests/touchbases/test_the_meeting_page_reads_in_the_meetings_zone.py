"""Every time on a touch-base page is the meeting's, its zone named once near the top to a
reader in another: the heading, "marked held", "moved from", the action items' due times,
when the notes were saved, when it can be marked held and the live agenda alike.

The series meets on Thursdays 14:00 Berlin (13:00 UTC and London in November); rita reads
from London, hank from Berlin. It is Mon 23 Nov 10:00 UTC (11:00 in Berlin).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.urls import reverse

from closeloop.touchbases.selectors import touchbase_current
from closeloop.touchbases.services import (
    action_item_add,
    series_sync,
    touchbase_hold,
    touchbase_move,
    touchbase_notes_save,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
LONDON = zoneinfo.ZoneInfo("Europe/London")
SENTENCE = "Every time on this page is the meeting's (Europe/Berlin)"


def _berlin_meeting(world):
    job = world.job
    job.touchbase_weekday, job.touchbase_time = 3, dt.time(14, 0)
    job.touchbase_minutes, job.touchbase_time_zone = 30, "Europe/Berlin"
    job.save()
    world.rita.time_zone = "Europe/London"
    world.rita.save()
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    return touchbase_current(series=series_sync(job=job, by=world.rita))


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _at(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %H:%M")


def _page(client, touchbase) -> str:
    return _text(client.get(reverse("touchbases:touchbase-detail", args=[touchbase.pk])))


def test_a_meeting_not_yet_held_reads_on_its_clock(world, login, submitted):
    touchbase = _berlin_meeting(world)
    touchbase_notes_save(touchbase=touchbase, by=world.hank, notes="Bring the benchmark")
    item = action_item_add(
        touchbase=touchbase, by=world.rita, description="Share the benchmark",
        owner=world.hank, due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    page = _page(login(world.rita), touchbase)
    assert page.count(SENTENCE) == 1
    assert "it starts Thu 26 Nov 13:00 your time (Europe/London)" in page
    assert page.count("(Europe/Berlin)") == 1  # the heading does not name it again
    assert "Touch-base Thu 26 Nov 14:00" in page
    # Mark held opens 12 hours before: Thu 02:00 in Berlin (01:00 in London).
    assert "from Thu 26 Nov 02:00" in page and "from Thu 26 Nov 01:00" not in page
    # The live agenda: when it was built, and its lines' times.
    assert "Built from the pipeline just now (Mon 23 Nov 11:00)" in page
    assert "since Mon 23 Nov 11:00" in page and "since Mon 23 Nov 10:00" not in page
    # The item's due time and the notes' save, on the meeting's clock.
    assert f"due {_at(item.due_at, BERLIN)}" in page
    assert f"due {_at(item.due_at, LONDON)}" not in page
    assert "Last saved Mon 23 Nov 11:00 by Hank Manager" in page


def test_a_held_meeting_reads_on_its_clock_and_names_its_zone_once(world, login, clock):
    touchbase = _berlin_meeting(world)
    item = action_item_add(
        touchbase=touchbase, by=world.rita, description="Share the benchmark",
        owner=world.hank, due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    clock.move_to(dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC))
    touchbase_notes_save(touchbase=touchbase, by=world.hank, notes="Agreed the benchmark")
    clock.move_to(dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC))
    touchbase_hold(touchbase=touchbase, by=world.rita)
    page = _page(login(world.rita), touchbase)
    assert page.count(SENTENCE) == 1
    assert "Every time in this agenda" not in page  # one sentence for the page
    assert page.count("(Europe/Berlin)") == 1
    assert "marked held by you Thu 26 Nov 16:00" in page
    assert f"due {_at(item.due_at, BERLIN)}" in page
    assert f"due {_at(item.due_at, LONDON)}" not in page
    # Saved at 10:30 in Berlin, before the 14:00 meeting: not "09:30".
    assert "Last saved Thu 26 Nov 10:30 by Hank Manager" in page and "Thu 26 Nov 09:30" not in page


def test_a_moved_meeting_says_where_from_on_its_clock(world, login):
    touchbase = _berlin_meeting(world)
    touchbase_move(
        touchbase=touchbase, by=world.hank,
        starts_at=dt.datetime(2026, 11, 27, 13, 0, tzinfo=dt.UTC), reason="Offsite",
    )  # fmt: skip
    page = _page(login(world.rita), touchbase)
    assert "Touch-base Fri 27 Nov 14:00" in page
    assert "moved from Thu 26 Nov 14:00 by Hank Manager" in page
    assert page.count("(Europe/Berlin)") == 1


def test_a_reader_in_the_meetings_zone_is_told_nothing_of_zones(world, login, clock):
    touchbase = _berlin_meeting(world)
    page = _page(login(world.hank), touchbase)
    assert "Every time on this page" not in page and "your time (" not in page
    assert "14:00 (Europe/Berlin)" not in page
    clock.move_to(dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC))
    touchbase_hold(touchbase=touchbase, by=world.rita)
    page = _page(login(world.hank), touchbase)
    assert "Every time on this page" not in page and "Every time in this agenda" not in page
    assert "marked held by Rita Recruiter Thu 26 Nov 16:00" in page
