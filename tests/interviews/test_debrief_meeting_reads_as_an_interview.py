"""The debrief meeting's time and place read as an interview's do: the time in the meeting's
own zone, named, with the reader's beside it when it differs; a video link typed into
Location is a link."""

from __future__ import annotations

import datetime as dt

from closeloop.interviews.services import Meeting, debrief_schedule

CALL = "https://meet.example.com/abc-defg"


def _book(world, debrief, location):
    debrief_schedule(
        debrief=debrief,
        by=world.rita,
        attendees=[world.hank, world.ivy],
        meeting=Meeting(
            meets_at=dt.datetime(2026, 12, 9, 14, tzinfo=dt.UTC),
            minutes=30,
            time_zone="Europe/Berlin",
            location=location,
        ),
    )


def test_the_meeting_names_its_zone_and_the_readers_time(world, login, debrief):
    world.ivy.time_zone = "America/New_York"
    world.ivy.save(update_fields=["time_zone"])
    _book(world, debrief, "Room 4")
    body = login(world.ivy).get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Wed 09 Dec 15:00 (Europe/Berlin)" in body
    assert "your time Wed 09 Dec 09:00 (America/New_York)" in body
    assert "Room 4" in body


def test_a_video_link_typed_as_the_location_is_a_link(world, login, debrief):
    _book(world, debrief, CALL)
    body = login(world.ivy).get(f"/debriefs/{debrief.pk}/").content.decode()
    assert f'<a href="{CALL}" rel="noopener noreferrer">Join the video call</a>' in body


def test_a_location_that_is_not_a_web_address_is_never_linked(world, login, debrief):
    _book(world, debrief, "javascript:alert(1)")
    body = login(world.ivy).get(f"/debriefs/{debrief.pk}/").content.decode()
    assert 'href="javascript:' not in body
