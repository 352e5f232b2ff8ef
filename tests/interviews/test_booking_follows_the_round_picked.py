"""Picking another round in the booking form's Round list (no reload): the length, panel
and notes left as the first round prefilled them follow the round picked; what was
changed by hand stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.interviews.models import Interview
from closeloop.jobs.models import InterviewRound


@pytest.fixture
def system_design(world, jonas):
    round_ = InterviewRound.objects.create(
        job=world.job, position=1, name="System design", duration_minutes=90,
        focus_attributes=["Distributed systems"],
    )  # fmt: skip
    round_.interviewers.set([jonas])
    return round_


def _posted(page, **changes):
    """What the browser posts from the page as prefilled, with `changes` made by hand."""
    form = page.context["form"]
    data = {
        "prefilled_from": form.initial["prefilled_from"],
        "round": form.initial["round"],
        "starts_at": "2026-11-25T14:00",
        "time_zone": "UTC",
        "duration_minutes": form.initial["duration_minutes"],
        "interviewers": form.initial["interviewers"],
        "location": "Room 1",
        "notes": form.initial["notes"].replace("\n", "\r\n"),
    }
    return data | changes


def test_the_round_picked_in_the_list_brings_its_length_panel_and_notes(
    client, world, technical, system_design, jonas
):
    client.force_login(world.rita)
    url = reverse("interviews:interview-book", args=[world.interviewed.pk])
    page = client.get(url)
    assert page.context["form"].initial["round"] == technical.pk
    response = client.post(url, _posted(page, round=system_design.pk))
    assert response.status_code == 302
    booked = Interview.objects.get(round=system_design)
    assert booked.ends_at - booked.starts_at == dt.timedelta(minutes=90)
    assert list(booked.interviewers.all()) == [jonas]
    assert booked.notes.startswith("Probe: Distributed systems.")


def test_what_was_changed_by_hand_stays(client, world, technical, system_design):
    client.force_login(world.rita)
    url = reverse("interviews:interview-book", args=[world.interviewed.pk])
    page = client.get(url)
    typed = _posted(
        page,
        round=system_design.pk,
        duration_minutes=45,
        interviewers=[world.ivy.pk],
        notes="Ask about the outage.",
    )
    assert client.post(url, typed).status_code == 302
    booked = Interview.objects.get(round=system_design)
    assert booked.ends_at - booked.starts_at == dt.timedelta(minutes=45)
    assert booked.notes == "Ask about the outage."
    assert list(booked.interviewers.all()) == [world.ivy]
