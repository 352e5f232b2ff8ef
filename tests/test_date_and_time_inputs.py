"""Every date, time and date-time box shows its stored value in the one shape browsers read.

`<input type="date">` takes only `YYYY-MM-DD` (and `time` `HH:MM[:SS]`, `datetime-local`
`YYYY-MM-DDTHH:MM`), whatever the page's language: a British `26/02/2027` is shown as an empty
box, and saving the form then clears the date. Each page that edits existing data is read
here and every such box checked, on the data of tests/editing_world.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

import editing_world

# The HTML spec's valid date / time / local date-and-time strings.
SPEC = {
    "date": re.compile(r"\d{4,}-\d{2}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "datetime-local": re.compile(r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
}


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, tuple[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "input" and values.get("type") in SPEC:
            self.found[values.get("name", "?")] = (values["type"], values.get("value", ""))


def time_inputs(html: str) -> dict[str, tuple[str, str]]:
    """{name: (type, value)} of the page's date, time and datetime-local inputs."""
    parser = _Inputs()
    parser.feed(html)
    return parser.found


@pytest.fixture
def editing(clock, world):
    return editing_world.build(world)


def values_on(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    found = time_inputs(response.content.decode())
    for name, (kind, value) in found.items():
        assert value == "" or SPEC[kind].fullmatch(value), f"{url}: {name}={value!r} ({kind})"
    return {name: value for name, (kind, value) in found.items()}


def test_an_amended_intake_shows_its_dates_and_touch_base_time_in_iso_form(editing, world, login):
    client = login(world.rita)
    job = editing.job
    client.post(reverse("intake:start", args=[job.pk]), {"source": "last"})
    role = values_on(client, reverse("intake:draft-step", args=[job.pk, "role"]))
    assert role == {"target_fill_date": "2027-02-26", "target_start_date": "2027-04-01"}
    cadence = values_on(client, reverse("intake:draft-step", args=[job.pk, "cadence"]))
    assert cadence == {"touchbase_time": "10:30"}


def test_the_profile_shows_working_hours_away_times_and_the_weekly_update_time_in_iso_form(
    editing, world, login
):
    values = values_on(login(world.hank), reverse("accounts:profile"))
    assert values == {
        "work_start": "08:30",
        "work_end": "17:15",
        "out_of_office_from": "2026-12-21T09:00",
        "out_of_office_until": "2027-01-04T09:00",
        "send_time": "07:45",
    }


def test_interview_debrief_and_touch_base_pages_show_their_times_in_iso_form(editing, world, login):
    client = login(world.rita)
    interview = values_on(
        client, reverse("interviews:interview-detail", args=[editing.interview.pk])
    )
    assert interview == {"starts_at": "2026-11-25T14:00"}
    debrief = values_on(client, reverse("interviews:debrief-detail", args=[editing.debrief.pk]))
    assert debrief["meets_at"] == "2026-11-27T15:30"
    touchbase = values_on(
        client, reverse("touchbases:touchbase-detail", args=[editing.touchbase.pk])
    )
    assert set(touchbase) == {"due_on", "starts_at"}  # an action item's; "Move this meeting"
    # The meeting's time now, in the reader's zone, as the move form takes it.
    moving = editing.touchbase.scheduled_at.astimezone(world.rita.zone)
    assert touchbase["starts_at"] == moving.strftime("%Y-%m-%dT%H:%M")
    booking = values_on(client, reverse("interviews:interview-book", args=[world.interviewed.pk]))
    assert set(booking) == {"starts_at"}
