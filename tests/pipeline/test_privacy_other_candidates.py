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
from closeloop.pipeline.privacy import candidate_erase
from closeloop.touchbases.models import ActionItem, Touchbase, TouchbaseSeries, TouchbaseStatus
from closeloop.touchbases.sections import agenda_item

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
    flag = agenda_item(
        "4 candidates expect pay outside the range", detail=drift("Carla Candidate"), flag="warn"
    )
    section = {
        "key": "drift", "title": "Drift from the agreement", "items": [flag],
        "empty": "No drift flagged.", "total": 1, "more_url": "",
    }  # fmt: skip
    meeting = Touchbase.objects.create(
        series=series, job=world.job, scheduled_at=START, ends_at=START + dt.timedelta(hours=1),
        status=TouchbaseStatus.HELD, held_at=START + dt.timedelta(hours=1), held_by=world.rita,
        notes="Hannah Ito and Carla Candidate to onsite; Sam Sourced on hold.",
        agenda={"generated_at": START.isoformat(), "since": START.isoformat(),
                "sections": [section]},
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

    [held] = data["touchbase_notes"]
    assert held["agenda"] == [
        "Agreed range EUR 85,000–105,000: Carla Candidate (79,000), [another candidate], "
        "[another candidate], [another candidate]."
    ]
    assert held["notes"] == [
        "[another candidate] and Carla Candidate to onsite; [another candidate] on hold."
    ]
    [item] = data["action_items"]
    assert item["description"] == "Ask Carla Candidate and [another candidate] for references"
    [weekly] = [row for row in data["messages"] if row["subject"].startswith("Your week")]
    assert weekly["subject"] == "Your week: Carla Candidate, [another candidate]"
    assert weekly["lines_naming_them"] == [
        "- Carla Candidate (79,000), [another candidate]: waiting on you"
    ]
    text = json.dumps(data, ensure_ascii=False)
    for leak in [*OTHERS, "Sam Sourced", "Otto Other", "82,000", "117,000", "122,000"]:
        assert leak not in text


def test_erasing_takes_the_persons_figure_out_with_their_name(world, meeting, login):
    """The kept agenda listed Carla's expected pay after her name: erased, the line keeps the
    others as they were and nothing of hers, on the meeting's page and in the message."""
    carla = world.interviewed.candidate
    candidate_erase(candidate=carla, by=world.ada, reason="Asked to be forgotten")

    meeting.refresh_from_db()
    [item] = meeting.agenda["sections"][0]["items"]
    assert item["detail"] == drift(f"Erased candidate #{carla.pk}").replace(
        f"#{carla.pk} (79,000)", f"#{carla.pk}"
    )
    page = login(world.rita).get(f"/touchbases/{meeting.pk}/")
    assert page.status_code == 200
    assert f"Erased candidate #{carla.pk}, Hannah Ito (82,000)" in page.content.decode()
    assert "79,000" not in page.content.decode()
    message = Message.objects.get(message_id="others-test@closeloop")
    assert message.body_text == (
        f"- Erased candidate #{carla.pk}, Samir Petrov (122,000): waiting on you"
    )
    # Nor is there an export of her any more to hold it: an erased candidate has none.
    refused = login(world.ada).post(f"/candidates/{carla.pk}/export/")
    assert refused.status_code == 302 and refused.url == f"/candidates/{carla.pk}/"
