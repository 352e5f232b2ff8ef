"""A flagged pulse reaches the next touch-base agenda ("Partnership pulse")."""

from __future__ import annotations

import datetime as dt

from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.partnership.pulses.services import pulse_answer_save
from closeloop.touchbases.models import Touchbase
from closeloop.touchbases.selectors import agenda_build


def _meeting(world, at):
    return Touchbase(job=world.job, scheduled_at=at, ends_at=at + dt.timedelta(minutes=30))


def _section(agenda):
    return next(s for s in agenda["sections"] if s["key"] == "pulse")


def test_a_low_score_is_on_the_next_agenda(world, pulse, clock):
    pulse_answer_save(round_=pulse, by=world.hank, scores=[4, 4, 4])
    pulse_answer_save(round_=pulse, by=world.rita, scores=[4, 2, 4])
    meeting = _meeting(world, dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC))
    section = _section(agenda_build(touchbase=meeting))
    assert section["title"] == "Partnership pulse"
    [item] = section["items"]
    assert item["text"] == "Pulse round 1: Clarity of feedback for Hank Manager: 2"
    assert item["flag"] == "bad" and item["url"].endswith(f"/pulses/jobs/{world.job.pk}/")


def test_a_calm_round_leaves_the_section_empty(world, pulse):
    pulse_answer_save(round_=pulse, by=world.hank, scores=[4, 4, 4])
    pulse_answer_save(round_=pulse, by=world.rita, scores=[4, 3, 4])
    meeting = _meeting(world, dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC))
    assert _section(agenda_build(touchbase=meeting))["items"] == []
