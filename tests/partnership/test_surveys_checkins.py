"""Quality-of-hire check-ins: planned at the hire, opened by the worker when due (once, with
a bad row pushed back), answered by the HM, called off when the hire is undone."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.models import StageKind
from closeloop.lib.sweep import Swept
from closeloop.partnership.surveys import services
from closeloop.partnership.surveys.models import QualityCheckin
from closeloop.partnership.surveys.services import checkin_answer, checkins_open_due
from closeloop.pipeline.models import Application, ApplicationStatus
from closeloop.pipeline.services import application_move
from poison import Poison, sweep_errors

DAY = dt.timedelta(days=1)


def _hire(world, application):
    hired = world.job.stages.get(kind=StageKind.HIRED)
    return application_move(application=application, by=world.rita, to_stage=hired)


@pytest.fixture
def hired(world, clock):
    _hire(world, world.interviewed)
    return world.interviewed


def test_a_hire_plans_the_30_and_90_day_check_ins(world, hired, clock):
    rows = QualityCheckin.objects.order_by("days")
    assert [(c.days, c.due_at - c.hired_at, c.opened_at) for c in rows] == [
        (30, 30 * DAY, None),
        (90, 90 * DAY, None),
    ]
    assert {c.hiring_manager for c in rows} == {world.hank}


def test_the_worker_opens_a_check_in_when_due_and_only_once(world, hired, clock):
    assert checkins_open_due() == Swept(0, 0)
    clock.shift(30 * DAY + dt.timedelta(minutes=1))
    assert checkins_open_due() == Swept(1, 0)
    assert checkins_open_due() == Swept(0, 0)
    ask = Ask.objects.get(kind="quality_checkin")
    assert ask.owner == world.hank and ask.application == hired
    assert "How is Carla Candidate doing? (30-day check-in" in ask.title
    clock.shift(60 * DAY)
    assert checkins_open_due() == Swept(1, 0)
    assert Ask.objects.filter(kind="quality_checkin").count() == 2


def test_a_check_in_whose_opening_raises_is_held_while_the_others_open(
    world, hired, clock, monkeypatch, caplog
):
    _hire(world, world.sourced)
    bad = QualityCheckin.objects.get(application=world.interviewed, days=30)
    clock.shift(30 * DAY + dt.timedelta(minutes=1))
    poison = Poison(monkeypatch, services, "_open_one", lambda pk, now: pk == bad.pk)
    with caplog.at_level(logging.ERROR):
        assert checkins_open_due() == Swept(handled=1, failed=1)
    assert len(sweep_errors(caplog)) == 1
    assert checkins_open_due() == Swept(0, 0)  # held until its back-off passes
    assert poison.calls == 1
    poison.cure()
    clock.shift(dt.timedelta(minutes=11))
    assert checkins_open_due() == Swept(1, 0)
    assert Ask.objects.filter(kind="quality_checkin").count() == 2


def test_a_hire_no_longer_hired_calls_its_check_ins_off(world, hired, clock):
    # No service undoes a hire; an admin's correction in the database can.
    Application.objects.filter(pk=hired.pk).update(status=ApplicationStatus.WITHDRAWN)
    clock.shift(30 * DAY + dt.timedelta(minutes=1))
    assert checkins_open_due() == Swept(1, 0)
    checkin = QualityCheckin.objects.get(days=30)
    assert checkin.cancelled_at is not None and checkin.opened_at is None
    assert not Ask.objects.filter(kind="quality_checkin").exists()


@pytest.fixture
def opened(world, hired, clock):
    clock.shift(30 * DAY + dt.timedelta(minutes=1))
    checkins_open_due()
    return QualityCheckin.objects.get(days=30)


def test_the_hm_answers_and_the_ask_closes(world, opened):
    checkin_answer(checkin=opened, by=world.hank, rating=3, hire_again="yes", note="Great start")
    opened.refresh_from_db()
    assert (opened.rating, opened.hire_again, opened.note) == (3, "yes", "Great start")
    assert Ask.objects.get(kind="quality_checkin").status == AskStatus.DONE


@pytest.mark.parametrize("who", ["rita", "olga", "ivy", "ada"])
def test_only_the_hm_answers(world, opened, who):
    with pytest.raises(PermissionDenied):
        checkin_answer(checkin=opened, by=getattr(world, who), rating=3, hire_again="yes")
    assert QualityCheckin.objects.get(pk=opened.pk).answered_at is None


@pytest.mark.parametrize(
    ("rating", "again", "note", "message"),
    [(0, "yes", "", "how the hire"), (5, "yes", "", "how the hire"),
     (3, "sure", "", "yes, maybe or no"), (3, "yes", "x" * 501, "Keep it to")],
)  # fmt: skip
def test_bad_input_changes_nothing(world, opened, rating, again, note, message):
    with pytest.raises(ValidationError, match=message):
        checkin_answer(checkin=opened, by=world.hank, rating=rating, hire_again=again, note=note)
    assert QualityCheckin.objects.get(pk=opened.pk).answered_at is None


def test_a_check_in_not_yet_due_cannot_be_answered(world, hired):
    early = QualityCheckin.objects.get(days=90)
    with pytest.raises(ValidationError, match="opens"):
        checkin_answer(checkin=early, by=world.hank, rating=3, hire_again="yes")
