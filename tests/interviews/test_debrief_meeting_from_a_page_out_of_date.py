"""Moving the debrief meeting from a tab opened before someone else moved it
(`interviews:debrief-schedule`): refused, the meeting stays where it was moved, and nobody
gets another invitation (closeloop.lib.seen)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from interview_helpers import end, score

from closeloop.interviews.models import Debrief
from closeloop.interviews.services import Meeting, debrief_schedule
from closeloop.notify.models import Message
from page_forms import changed, page_form


@pytest.fixture
def debrief(world, clock, interview, jonas):
    """Carla's Technical debrief, its meeting booked for Monday 30 November 10:00 UTC."""
    end(clock, interview)
    score(interview, world.ivy)
    score(interview, jonas)
    debrief = Debrief.objects.get()
    meeting = Meeting(
        meets_at=dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC), minutes=30, time_zone="UTC"
    )
    debrief_schedule(
        debrief=debrief, by=world.rita, meeting=meeting, attendees=[world.rita, world.hank]
    )
    return debrief


def test_a_stale_tab_does_not_move_the_meeting_back_nor_invite_anyone(world, debrief, login):
    """A moves the meeting to Tuesday; B, opened before, changes only the place: B is
    refused, the meeting stays on Tuesday, nobody is invited again, and B's form now holds
    Tuesday beside the place B typed."""
    page = reverse("interviews:debrief-detail", args=[debrief.pk])
    action = reverse("interviews:debrief-schedule", args=[debrief.pk])
    rita = login(world.rita)
    hank = Client()
    hank.force_login(world.hank)
    tab_a = page_form(rita.get(page).text, action)
    tab_b = page_form(hank.get(page).text, action)
    assert tab_b["meets_at"] == ["2026-11-30T10:00"]
    assert rita.post(action, changed(tab_a, meets_at="2026-12-01T09:00")).status_code == 302
    sent = Message.objects.count()
    debrief.refresh_from_db()
    sequence = debrief.sequence

    refused = hank.post(action, changed(tab_b, location="Room 4"))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert (
        "Someone saved changes to this debrief&#x27;s meeting since you opened the page: "
        "meeting time." in text
    )
    assert "Nothing was changed and nobody was sent anything" in text
    assert "Saved since you opened the page:" in text
    assert text.count("Someone saved changes") == 1  # said once
    debrief.refresh_from_db()
    assert debrief.meets_at == dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert (debrief.location, debrief.sequence) == ("", sequence)
    assert Message.objects.count() == sent
    again = page_form(text, action)
    assert again["meets_at"] == ["2026-12-01T09:00"]  # B left it: the time now
    assert again["location"] == ["Room 4"]  # what B typed
    assert again["seen"] != tab_b["seen"]

    assert hank.post(action, again).status_code == 302
    debrief.refresh_from_db()
    assert debrief.meets_at == dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert debrief.location == "Room 4"


def test_attendees_changed_since_are_named_and_kept(world, debrief, jonas, login):
    page = reverse("interviews:debrief-detail", args=[debrief.pk])
    action = reverse("interviews:debrief-schedule", args=[debrief.pk])
    client = login(world.rita)
    tab_a = page_form(client.get(page).text, action)
    tab_b = page_form(client.get(page).text, action)
    everyone = [str(world.rita.pk), str(world.hank.pk), str(jonas.pk)]
    assert client.post(action, changed(tab_a, attendees=everyone)).status_code == 302

    refused = client.post(action, changed(tab_b, minutes="45"))

    assert refused.status_code == 400
    assert "since you opened the page: attendees." in refused.content.decode()
    assert set(debrief.attendees.all()) == {world.rita, world.hank, jonas}
    debrief.refresh_from_db()
    assert debrief.meeting_minutes == 30
