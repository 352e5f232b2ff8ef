"""Pulse rounds: opening, answering, blindness, reveal, alerts, bad input (services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.partnership.pulses.models import PulseAnswer, PulseRound, RevealReason
from closeloop.partnership.pulses.selectors import (
    pulse_round_views,
    pulse_rounds_for_job,
    pulse_scores_for_person,
    pulse_trend,
)
from closeloop.partnership.pulses.services import pulse_answer_save, pulse_round_open


def _answer(pulse, who, scores=(4, 4, 4), comment=""):
    return pulse_answer_save(round_=pulse, by=who, scores=list(scores), comment=comment)


def _sides(user, job):
    [view] = pulse_round_views(user=user, rounds=pulse_rounds_for_job(user=user, job=job)[:1])
    return {s.side: s for s in view.sides}


def test_opening_a_round_asks_each_side_about_the_other(world, pulse):
    asks = Ask.objects.filter(kind="answer_pulse", status=AskStatus.OPEN).order_by("subject")
    assert [(a.owner, a.subject) for a in asks] == [
        (world.hank, f"pulse:{pulse.pk}:hiring_manager"),
        (world.rita, f"pulse:{pulse.pk}:recruiter"),
    ]
    assert "Rita Recruiter" in asks[0].title and "Hank Manager" in asks[1].title
    # Five business days: Monday 10:00 to the next Monday 10:00.
    assert pulse.closes_at == dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    # The first rung is the invitation, at once (it carries the one-click scores).
    assert all(a.next_nudge_at == a.opened_at for a in asks)


def test_a_second_round_is_refused_while_one_is_open(world, pulse):
    with pytest.raises(ValidationError, match="open on this job already"):
        pulse_round_open(job=world.job)


def test_an_answer_closes_its_ask_and_stays_blind_to_the_other_side(world, pulse):
    _answer(pulse, world.hank, (2, 3, 4), "Slow slate")
    hank_ask = Ask.objects.get(subject=f"pulse:{pulse.pk}:hiring_manager")
    assert hank_ask.status == AskStatus.DONE and hank_ask.closed_by == world.hank
    for reader in (world.rita, world.ada):  # not even the admin before the reveal
        hidden = _sides(reader, world.job)["hiring_manager"]
        assert hidden.answered and hidden.hidden and hidden.answer is None
    mine = _sides(world.hank, world.job)["hiring_manager"]
    assert mine.answer is not None and mine.answer.comment == "Slow slate"
    assert pulse_trend(user=world.rita, job=world.job).rounds == []  # no leak through the trend
    assert pulse_scores_for_person(world.rita) == []


def test_both_answers_reveal_the_round_to_both_sides(world, pulse):
    _answer(pulse, world.hank, (4, 4, 5))
    _answer(pulse, world.rita, (5, 4, 3), "Quick answers")
    pulse.refresh_from_db()
    assert pulse.revealed_at is not None and pulse.reveal_reason == RevealReason.BOTH_ANSWERED
    sides = _sides(world.rita, world.job)
    assert sides["hiring_manager"].answer.scores == (4, 4, 5)
    assert sides["recruiter"].answer.comment == "Quick answers"
    [received] = pulse_scores_for_person(world.rita)
    assert received.scores == (4, 4, 5) and received.average == pytest.approx(4.33)


def test_an_answer_can_change_until_the_reveal_then_it_is_final(world, pulse):
    _answer(pulse, world.hank, (3, 3, 3))
    _answer(pulse, world.hank, (4, 5, 4), "Better")
    assert PulseAnswer.objects.get(round=pulse, side="hiring_manager").scores == (4, 5, 4)
    _answer(pulse, world.rita)
    with pytest.raises(ValidationError, match="final"):
        _answer(pulse, world.hank, (1, 1, 1))
    assert PulseAnswer.objects.get(round=pulse, side="hiring_manager").scores == (4, 5, 4)


@pytest.mark.parametrize(
    ("scores", "comment", "words"),
    [
        ((0, 3, 3), "", "from 1 to 5"),
        ((3, 6, 3), "", "from 1 to 5"),
        (("3", 3, 3), "", "whole number"),
        ((True, 3, 3), "", "whole number"),
        ((3, 3), "", "all three"),
        ((3, 3, 3), "x" * 1001, "under 1000"),
        ((3, 3, 3), "bad\x00byte", "control character"),
    ],
)
def test_bad_input_is_refused_with_words_and_changes_nothing(world, pulse, scores, comment, words):
    with pytest.raises(ValidationError, match=words):
        _answer(pulse, world.hank, scores, comment)
    assert not PulseAnswer.objects.exists()
    assert Ask.objects.filter(kind="answer_pulse", status=AskStatus.OPEN).count() == 2


def test_only_the_two_sides_answer(world, pulse):
    for outsider in (world.ivy, world.olga, world.ada):
        with pytest.raises(PermissionDenied):
            _answer(pulse, outsider)
    assert not PulseAnswer.objects.exists()


def test_a_low_score_flags_the_round_and_tells_the_admins(world, pulse):
    _answer(pulse, world.hank, (4, 2, 4))
    _answer(pulse, world.rita, (4, 4, 4))
    pulse.refresh_from_db()
    assert [(a["label"], a["score"]) for a in pulse.alerts] == [("Communication", 2)]
    [message] = Message.objects.filter(template="pulse-alert")
    assert message.recipient == world.ada
    assert "Communication for Rita Recruiter: 2" in message.body_text


def test_a_drop_of_more_than_a_point_is_flagged_but_a_drop_of_one_is_not(world, pulse, clock):
    _answer(pulse, world.hank, (5, 5, 5))
    _answer(pulse, world.rita, (4, 4, 4))
    clock.move_to(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC))
    second = pulse_round_open(job=world.job)
    _answer(second, world.hank, (3, 4, 5))  # slate fell by 2
    _answer(second, world.rita, (3, 4, 4))  # speed fell by 1 only
    second.refresh_from_db()
    assert [(a["side"], a["label"], a["score"], a["previous"]) for a in second.alerts] == [
        ("hiring_manager", "Quality of the slate", 3, 5)
    ]
    trend = pulse_trend(user=world.hank, job=world.job)
    assert trend.rounds == [1, 2]
    assert trend.rows[0].scores == [5, 3]


def test_no_flag_no_message(world, pulse):
    _answer(pulse, world.hank, (3, 3, 3))
    _answer(pulse, world.rita, (3, 3, 3))
    assert PulseRound.objects.get().alerts == []
    assert not Message.objects.filter(template="pulse-alert").exists()


def test_a_person_with_no_since_gets_everything_and_since_filters(world, pulse, clock):
    _answer(pulse, world.hank, (2, 2, 2))
    _answer(pulse, world.rita, (3, 3, 3))
    later = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert len(pulse_scores_for_person(world.rita)) == 1
    assert pulse_scores_for_person(world.rita, since=later) == []
    assert pulse_scores_for_person(world.hank)[0].average == 3.0


def test_erasing_a_candidate_takes_their_name_out_of_pulse_comments(world, pulse):
    import json
    import zipfile

    from closeloop.pipeline.privacy import candidate_erase, candidate_export

    pulse_answer_save(round_=pulse, by=world.rita, scores=[2, 3, 3],
                      comment="Sam Sourced waited a week for the review.")  # fmt: skip
    exported, _name = candidate_export(candidate=world.sourced.candidate, by=world.ada)
    data = json.loads(zipfile.ZipFile(exported).read("data.json"))
    assert data["pulse_comments"] == ["Sam Sourced waited a week for the review."]

    candidate_erase(candidate=world.sourced.candidate, by=world.ada, reason="Asked to be erased")

    answer = PulseAnswer.objects.get(round=pulse, by=world.rita)
    assert "Sam" not in answer.comment and "waited a week" in answer.comment
    assert answer.score_1 == 2  # the scores count something: they stay
