"""Answering a survey: blind until both sides answered or the window closed, changeable until
then, final after; bad input changes nothing; nobody else answers."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from surveys_world import close_job

from closeloop.followups.models import Ask, AskStatus
from closeloop.lib.sweep import Swept
from closeloop.partnership.surveys import services
from closeloop.partnership.surveys.models import ANSWER_TEXT_MAX, SearchSurvey, SurveyAnswer
from closeloop.partnership.surveys.selectors import survey_view
from closeloop.partnership.surveys.services import survey_answer, surveys_reveal_due
from poison import Poison, sweep_errors


@pytest.fixture
def survey(world, clock):
    return close_job(world, "failed")


def _answer(survey, who, again="yes", **text):
    return survey_answer(survey=survey, by=who, again=again, **text)


def _seen(survey, viewer):
    survey.refresh_from_db()
    view = survey_view(survey=survey, user=viewer)
    return {side.side: side.answer.again if side.answer else None for side in view.sides}


def test_an_answer_is_hidden_from_the_other_side_until_both_answered(world, survey):
    _answer(survey, world.hank, "no", what_to_change="Slower intake")
    assert _seen(survey, world.hank) == {"recruiter": None, "hiring_manager": "no"}
    assert _seen(survey, world.rita) == {"recruiter": None, "hiring_manager": None}
    assert _seen(survey, world.ada) == {"recruiter": None, "hiring_manager": None}
    view = survey_view(survey=survey, user=world.rita)
    assert [side.answered for side in view.sides] == [False, True]  # who answered is shown


def test_the_second_answer_reveals_both_to_both(world, survey):
    _answer(survey, world.hank, "no")
    _answer(survey, world.rita, "maybe", what_worked="Fast feedback")
    survey.refresh_from_db()
    assert survey.revealed_at is not None
    both = {"recruiter": "maybe", "hiring_manager": "no"}
    for viewer in (world.rita, world.hank, world.ada):
        assert _seen(survey, viewer) == both


def test_an_answer_changes_until_revealed_then_is_final(world, survey, clock):
    _answer(survey, world.hank, "no", what_worked="First")
    clock.shift(60)
    _answer(survey, world.hank, "yes", what_worked="Second thoughts")
    answer = SurveyAnswer.objects.get(side="hiring_manager")
    assert (answer.again, answer.what_worked) == ("yes", "Second thoughts")
    assert answer.changed_at > answer.answered_at
    _answer(survey, world.rita, "yes")
    with pytest.raises(ValidationError, match="final"):
        _answer(survey, world.hank, "no")
    answer.refresh_from_db()
    assert answer.again == "yes"


def test_answering_closes_only_the_answering_sides_ask(world, survey):
    _answer(survey, world.hank)
    statuses = dict(Ask.objects.filter(kind="answer_survey").values_list("owner", "status"))
    assert statuses == {world.hank.pk: AskStatus.DONE, world.rita.pk: AskStatus.OPEN}


@pytest.mark.parametrize(
    ("again", "text", "message"),
    [
        ("perhaps", {}, "Choose yes, maybe or no"),
        ("yes", {"what_worked": "x" * (ANSWER_TEXT_MAX + 1)}, "Keep it to"),
        ("yes", {"what_to_change": "bad\x00byte"}, "control character"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(world, survey, again, text, message):
    with pytest.raises(ValidationError, match=message):
        _answer(survey, world.hank, again, **text)
    assert not SurveyAnswer.objects.exists()
    assert Ask.objects.filter(kind="answer_survey", status=AskStatus.OPEN).count() == 2


@pytest.mark.parametrize("who", ["olga", "ivy", "ada"])
def test_only_the_two_sides_answer(world, survey, who):
    with pytest.raises(PermissionDenied):
        _answer(survey, getattr(world, who))
    assert not SurveyAnswer.objects.exists()


def test_the_window_closing_reveals_what_was_answered_and_stops_the_chase(world, survey, clock):
    _answer(survey, world.hank, "maybe")
    assert surveys_reveal_due() == Swept(0, 0)  # the window is still open
    clock.move_to(survey.window_ends_at + dt.timedelta(minutes=1))
    assert _seen(survey, world.rita)["hiring_manager"] == "maybe"  # read as revealed at once
    with pytest.raises(ValidationError, match="final"):
        _answer(survey, world.rita, "yes")
    assert surveys_reveal_due() == Swept(1, 0)
    assert surveys_reveal_due() == Swept(0, 0)  # never twice
    survey.refresh_from_db()
    assert survey.revealed_at is not None
    rita_ask = Ask.objects.get(kind="answer_survey", owner=world.rita)
    assert rita_ask.status == AskStatus.CANCELLED and rita_ask.next_nudge_at is None


def test_a_survey_whose_reveal_raises_is_held_while_the_others_go(
    world, survey, clock, monkeypatch, caplog
):
    clock.shift(3600)
    other = services.survey_open(job=world.other_job, by=world.ada, outcome="cancelled")
    clock.move_to(other.window_ends_at + dt.timedelta(minutes=1))
    poison = Poison(monkeypatch, services, "_reveal_one", lambda pk, now: pk == survey.pk)
    with caplog.at_level(logging.ERROR):
        assert surveys_reveal_due() == Swept(handled=1, failed=1)
    assert len(sweep_errors(caplog)) == 1
    assert SearchSurvey.objects.get(pk=other.pk).revealed_at is not None
    assert surveys_reveal_due() == Swept(0, 0)  # held: not tried again before its back-off
    assert poison.calls == 1
    poison.cure()
    clock.shift(11 * 60)
    assert surveys_reveal_due() == Swept(1, 0)
