"""A time shown beside a zone's name is in that zone, or says which zone it is in.

rita works in London; the interview was booked for 14:00 Berlin time and the weekly
touch-base meets at 10:30 Berlin time (tests/editing_world.py). Her pages must not say
"13:00 · booked in Europe/Berlin".
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

import editing_world


@pytest.fixture
def editing(clock, world):
    world.rita.time_zone = "Europe/London"
    world.rita.save(update_fields=["time_zone"])
    return editing_world.build(world)


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_interview_page_gives_the_booked_time_in_its_zone_and_rita_s_own_time(
    editing, world, login
):
    page = text_of(
        login(world.rita).get(reverse("interviews:interview-detail", args=[editing.interview.pk]))
    )
    assert "Wed 25 Nov 14:00 (Europe/Berlin)" in page
    assert "your time Wed 25 Nov 13:00 (Europe/London)" in page
    assert "13:00 · booked in" not in page


def test_the_touch_base_panels_give_the_meeting_in_the_zone_they_name(editing, world, login):
    client = login(world.rita)
    job_page = text_of(client.get(reverse("jobs:job-detail", args=[editing.job.pk])))
    assert "Tuesdays 10:30 (Europe/Berlin)" in job_page
    assert "Tue 24 Nov 10:30 (Europe/Berlin)" in job_page
    assert "Tue 24 Nov 09:30" not in job_page
    profile = text_of(client.get(reverse("accounts:profile")))
    assert "Tuesdays 10:30 (Europe/Berlin) · next Tue 24 Nov 10:30 (Europe/Berlin)" in profile
