"""A text about several candidates (a touch-base agenda's drift line listing who expects pay
outside the range, a weekly update, a meeting's notes) is held once for all of them: one
person's export shows the part about them and never another candidate's name or figures,
and erasing one person takes their figure out with their name."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

from closeloop.notify.models import Message
from closeloop.pipeline.models import Candidate
from closeloop.touchbases.models import ActionItem, Touchbase, TouchbaseSeries

START = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
OTHERS = ["Hannah Ito", "Isaac Lang", "Samir Petrov"]


def drift(first: str) -> str:
    return (
        f"Agreed range EUR 85,000–105,000: {first} (79,000), Hannah Ito (82,000), "
        "Isaac Lang (117,000), Samir Petrov (122,000)."
    )


@pytest.fixture
def meeting(world) -> Touchbase:
    """A held touch-base whose kept agenda and notes list Carla with three others, each
    with their expected pay, and an action item naming her and another."""
    for name in OTHERS:
        Candidate.objects.create(full_name=name, expected_compensation=100_000)
    series = TouchbaseSeries.objects.create(
        job=world.job, recruiter=world.rita, hiring_manager=world.hank, weekday=0,
        start_time=dt.time(9), first_at=START, uid="tb-others@closeloop",
    )  # fmt: skip
    agenda_item = {
        "title": "4 candidates expect pay outside the range",
        "detail": drift("Carla Candidate"),
    }
    meeting = Touchbase.objects.create(
        series=series, job=world.job, scheduled_at=START, ends_at=START + dt.timedelta(hours=1),
        notes="Hannah Ito and Carla Candidate to onsite; Sam Sourced on hold.",
        agenda={"sections": [{"key": "drift", "items": [agenda_item]}]},
    )  # fmt: skip
    ActionItem.objects.create(
        touchbase=meeting, job=world.job, owner=world.rita, due_on=START.date(), due_at=START,
        description="Ask Carla Candidate and Otto Other for references",
    )  # fmt: skip
    Message.objects.create(
        recipient=world.hank, template="weekly-update",
        subject="Your week: Carla Candidate, Otto Other",
        body_text="- Carla Candidate (79,000), Samir Petrov (122,000): waiting on you",
        message_id="others-test@closeloop",
    )  # fmt: skip
    return meeting


def _export(login, admin, candidate) -> dict:
    response = login(admin).post(f"/candidates/{candidate.pk}/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json"))


def test_an_export_never_holds_another_candidates_name_or_figures(world, meeting, login):
    carla = world.interviewed.candidate
    data = _export(login, world.ada, carla)

    [held] = data["touchbases"][0]["touchbase_notes"]
    assert held["agenda"] == [
        "Agreed range EUR 85,000–105,000: Carla Candidate (79,000), [another candidate], "
        "[another candidate], [another candidate]."
    ]
    assert held["notes"] == [
        "[another candidate] and Carla Candidate to onsite; [another candidate] on hold."
    ]
    [item] = data["touchbases"][0]["action_items"]
    assert item["description"] == "Ask Carla Candidate and [another candidate] for references"
    [weekly] = [row for row in data["messages"] if row["subject"].startswith("Your week")]
    assert weekly["subject"] == "Your week: Carla Candidate, [another candidate]"
    assert weekly["lines_naming_them"] == [
        "- Carla Candidate (79,000), [another candidate]: waiting on you"
    ]
    text = json.dumps(data, ensure_ascii=False)
    for leak in [*OTHERS, "Sam Sourced", "Otto Other", "82,000", "117,000", "122,000"]:
        assert leak not in text
