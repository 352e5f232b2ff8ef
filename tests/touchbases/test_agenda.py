"""agenda_build: the agenda is generated from the pipeline, section by section."""

from __future__ import annotations

import datetime as dt

from closeloop.followups.services import ask_open
from closeloop.interviews.models import Interview
from closeloop.jobs.models import StageKind
from closeloop.pipeline.services import application_move
from closeloop.touchbases.sections import AGENDA_SOURCES
from closeloop.touchbases.selectors import agenda_build, agenda_for_page
from closeloop.touchbases.services import action_item_add, touchbase_hold, touchbases_advance

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)


def _section(agenda: dict, key: str) -> list[str]:
    section = next(s for s in agenda["sections"] if s["key"] == key)
    return [item["text"] for item in section["items"]]


def test_an_empty_pipeline_gives_empty_sections_with_their_words(world, current):
    agenda = agenda_build(touchbase=current)
    # Sections registered by higher apps (touchbases.sections) sit before the carried items.
    assert [s["key"] for s in agenda["sections"]] == [
        "new_submissions", "decisions", "debriefs", "overdue", "candidates_waiting",
        "interviews", "drift", *(source.key for source in AGENDA_SOURCES), "carried",
    ]  # fmt: skip
    assert _section(agenda, "interviews") == ["Carla Candidate: Technical"]
    assert _section(agenda, "decisions") == []


def test_submissions_decisions_and_overdue_asks_come_from_the_pipeline(
    world, current, submitted, clock
):
    clock.move_to(THURSDAY_14)
    agenda = agenda_build(touchbase=current)
    assert _section(agenda, "new_submissions") == ["Carla Candidate"]
    assert _section(agenda, "decisions") == ["Carla Candidate: waiting for Hank"]
    decisions = next(s for s in agenda["sections"] if s["key"] == "decisions")
    assert decisions["items"][0]["detail"] == "waiting 3 business days"
    # The review was due Wednesday 10:00: hank's overdue ask is listed under his name.
    assert _section(agenda, "overdue") == ["Hank Manager: 1 overdue"]


def test_new_submissions_count_from_the_last_held_meeting(world, series, submitted, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=30))
    first = series.occurrences.get()
    touchbase_hold(touchbase=first, by=world.rita)
    touchbases_advance()
    second = series.occurrences.get(scheduled_at=THURSDAY_14 + dt.timedelta(days=7))
    assert _section(agenda_build(touchbase=second), "new_submissions") == []


def test_debriefs_to_decide_come_from_asks_and_the_debrief_stage(world, current):
    ask_open(
        kind="decide_after_debrief",
        subject="test-debrief:1",
        title="Decide on Carla",
        owner=world.hank,
        application=world.interviewed,
    )
    debrief = world.job.stages.get(kind=StageKind.DEBRIEF)
    application_move(application=world.sourced, by=world.rita, to_stage=debrief)
    assert sorted(_section(agenda_build(touchbase=current), "debriefs")) == [
        "Carla Candidate",
        "Sam Sourced",
    ]


def test_candidates_waiting_on_us_are_the_overdue_news_asks(world, current, clock):
    clock.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC))  # > 3 business days of silence
    items = _section(agenda_build(touchbase=current), "candidates_waiting")
    assert set(items) == {"Carla Candidate", "Sam Sourced"}


def test_interviews_are_those_of_the_next_seven_days(world, current):
    far = dt.datetime(2026, 12, 10, 10, 0, tzinfo=dt.UTC)
    Interview.objects.create(
        application=world.sourced, round_name="Onsite", starts_at=far, ends_at=far
    )
    assert _section(agenda_build(touchbase=current), "interviews") == ["Carla Candidate: Technical"]


def test_drift_flags_from_the_intake_are_listed(world, current, submitted):
    assert _section(agenda_build(touchbase=current), "drift") == []
    # The intake's rules are tested with the intake; the agenda lists what they say: here a
    # candidate put forward (submitted) whose expected pay is above the agreed range.
    world.job.compensation_min, world.job.compensation_max = 80_000, 100_000
    world.job.compensation_currency = "EUR"
    world.job.save()
    candidate = world.interviewed.candidate
    candidate.expected_compensation = 150_000
    candidate.save()
    current.refresh_from_db()  # the agenda reads the job through the meeting's series
    assert _section(agenda_build(touchbase=current), "drift") == [
        "1 candidate expects pay outside the range"
    ]


def test_open_action_items_carry_over_until_done(world, series, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=10))
    first = series.occurrences.get()
    action_item_add(
        touchbase=first,
        by=world.rita,
        description="Widen the search to Lisbon",
        owner=world.rita,
        due_on=dt.date(2026, 11, 27),
    )
    touchbase_hold(touchbase=first, by=world.rita)
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=1))
    touchbases_advance()
    second = series.occurrences.get(scheduled_at=THURSDAY_14 + dt.timedelta(days=7))
    assert _section(agenda_build(touchbase=second), "carried") == ["Widen the search to Lisbon"]
    assert _section(agenda_build(touchbase=first), "carried") == []  # not carried into itself


def test_a_held_meeting_shows_its_snapshot_not_the_pipeline_today(world, current, submitted, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=30))
    touchbase_hold(touchbase=current, by=world.rita)
    submitted.application.delete()  # the pipeline changes afterwards
    current.refresh_from_db()
    page = agenda_for_page(touchbase=current)
    assert page["snapshot"] is True
    assert _section(page, "decisions") == ["Carla Candidate: waiting for Hank"]
