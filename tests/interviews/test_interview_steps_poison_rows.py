"""An interview the worker's steps cannot handle is held back and logged; the later ones
still complete and their debriefs still open."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from interview_helpers import book, open_asks

from closeloop.interviews import services
from closeloop.interviews.models import Debrief, InterviewStatus
from closeloop.interviews.services import steps
from closeloop.lib.sweep import Swept
from poison import Poison, sweep_errors

MONDAY_14 = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)
# Held rows wait 10 minutes after their first failure.
LATER = dt.timedelta(minutes=11)


@pytest.fixture
def culture(world, jonas):
    from closeloop.jobs.models import InterviewRound

    round_ = InterviewRound.objects.create(
        job=world.job, position=1, name="Culture", duration_minutes=30
    )
    round_.interviewers.set([jonas])
    return round_


@pytest.fixture
def two_rounds(world, technical, culture, jonas):
    """Carla's Technical (14:00, ivy) and, after it, her Culture interview (15:30, jonas)."""
    world.interviewed.interviews.filter(round__isnull=True).delete()  # the shared world's
    first = book(world, technical, [world.ivy], MONDAY_14)
    second = book(world, culture, [jonas], MONDAY_14 + dt.timedelta(minutes=90))
    return first, second


def test_an_interview_that_raises_is_held_while_the_later_ones_complete(
    world, clock, two_rounds, jonas, monkeypatch, caplog
):
    bad, good = two_rounds
    poison = Poison(monkeypatch, steps, "interview_complete", lambda **row: row["pk"] == bad.pk)
    now = good.ends_at + dt.timedelta(minutes=1)
    clock.move_to(now)
    with caplog.at_level(logging.ERROR):
        swept = services.interviews_complete()
    good.refresh_from_db()
    assert good.status == InterviewStatus.COMPLETED
    assert [ask.owner for ask in open_asks("submit_scorecard")] == [jonas]
    bad.refresh_from_db()
    assert bad.status == InterviewStatus.SCHEDULED
    [line] = sweep_errors(caplog)
    assert "interviews_complete" in line.getMessage()
    assert f"interview {bad.pk}" in line.getMessage()
    assert swept == Swept(handled=1, failed=1)
    assert services.interviews_complete() == Swept()  # held: the next loop does not spin
    assert poison.calls == 1
    poison.cure()
    clock.move_to(now + LATER)
    assert services.interviews_complete() == Swept(handled=1)
    bad.refresh_from_db()
    assert bad.status == InterviewStatus.COMPLETED
    assert len(open_asks("submit_scorecard")) == 2


def test_a_round_whose_debrief_raises_is_held_while_the_other_rounds_open(
    world, clock, two_rounds, monkeypatch, caplog
):
    bad, good = two_rounds
    clock.move_to(good.ends_at + dt.timedelta(minutes=1))
    services.interviews_complete()
    bad.refresh_from_db()
    good.refresh_from_db()
    now = max(bad.scorecards_due_at, good.scorecards_due_at) + dt.timedelta(minutes=1)
    clock.move_to(now)
    poison = Poison(monkeypatch, steps, "debrief_open_if_due", lambda **row: row["pk"] == bad.pk)
    with caplog.at_level(logging.ERROR):
        swept = services.debriefs_open_due()
    assert list(Debrief.objects.values_list("round_name", flat=True)) == ["Culture"]
    [line] = sweep_errors(caplog)
    assert "debriefs_open_due" in line.getMessage()
    assert f"interview {bad.pk}" in line.getMessage()
    assert swept == Swept(handled=1, failed=1)
    assert services.debriefs_open_due() == Swept()
    assert poison.calls == 1
    poison.cure()
    clock.move_to(now + LATER)
    assert services.debriefs_open_due() == Swept(handled=1)
    assert sorted(Debrief.objects.values_list("round_name", flat=True)) == [
        "Culture",
        "Technical",
    ]
