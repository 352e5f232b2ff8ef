"""A refused form says each problem once: a field's problem beside the field, a problem that
belongs to no field once at the top of the page (where it is read even when the form that
caused it is no longer offered).

Each case posts a mistake to a page that edits existing data (tests/editing_world.py) and
counts how often the problem's words appear on the page that comes back.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

import editing_world


@pytest.fixture
def editing(clock, world):
    return editing_world.build(world)


def times_said(response, words: str) -> int:
    assert response.status_code == 400
    return response.content.decode().count(words)


def reschedule_post(editing, world, **overrides: str) -> dict[str, str]:
    data = {
        "starts_at": "2026-11-25T14:00",
        "time_zone": "Europe/Berlin",
        "duration_minutes": "60",
        "interviewers": [str(world.ivy.pk)],
        "location": "Berlin office, room 2",
        "video_url": "",
        "notes": "",
        "reason": "",
    }
    return {**data, **overrides}


def test_a_refused_reschedule_shows_the_field_problem_once_beside_the_field(editing, world, login):
    url = reverse("interviews:interview-reschedule", args=[editing.interview.pk])
    response = login(world.rita).post(
        url, reschedule_post(editing, world, video_url="meet.example.com/x"), follow=True
    )
    assert times_said(response, "Enter a link starting with https://") == 1
    assert "Nothing was changed" in response.content.decode()


def test_a_refused_debrief_decision_shows_the_missing_reason_once(editing, world, login):
    url = reverse("interviews:debrief-decide", args=[editing.debrief.pk])
    response = login(world.hank).post(url, {"decision": "reject", "rationale": "Not yet."})
    assert times_said(response, "Choose the reason for rejecting.") == 1


def test_a_service_refusal_on_a_field_is_said_once_beside_it(editing, world, login):
    # The form reads the time; the service refuses a meeting in the past, on that field.
    url = reverse("interviews:debrief-schedule", args=[editing.debrief.pk])
    response = login(world.rita).post(
        url,
        {"meets_at": "2026-11-20T10:00", "time_zone": "UTC", "minutes": "30", "location": ""},
    )
    assert times_said(response, "Pick a time in the future.") == 1


def test_a_refused_application_action_shows_its_problem_once(editing, world, login):
    url = reverse("pipeline:application-move", args=[world.sourced.pk])
    response = login(world.rita).post(url, {"to_stage": "", "reason": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("This field is required.") == 1
    assert "Nothing was changed" in page


def test_refused_touch_base_notes_and_action_items_show_each_problem_once(editing, world, login):
    client = login(world.rita)
    notes = client.post(
        reverse("touchbases:touchbase-notes", args=[editing.touchbase.pk]),
        {"notes": "x" * 20001},
    )
    assert times_said(notes, "at most") == 1
    item = client.post(
        reverse("touchbases:action-item-add", args=[editing.touchbase.pk]),
        {"description": "Call finance", "owner": str(world.hank.pk), "due_on": "2026-11-01"},
    )
    page = item.content.decode()
    assert item.status_code == 400
    problem = next(line for line in page.splitlines() if "errorlist" in line)
    assert page.count(problem.strip()) == 1
    skip = client.post(
        reverse("touchbases:touchbase-skip", args=[editing.touchbase.pk]), {"reason": ""}
    )
    assert times_said(skip, "Say why it was skipped.") == 1
