"""Blind scorecards, enforced in the selectors, for each persona."""

from __future__ import annotations

import pytest
from interview_helpers import end, score

from closeloop.interviews.selectors import interview_rows, scorecards_for_application


@pytest.fixture
def jonas_submitted(world, clock, interview, jonas):
    end(clock, interview)
    return score(interview, jonas, recommendation="no", notes="Weak on design.")


def _readable(user, application):
    return {
        card.interviewer.email
        for card in scorecards_for_application(user=user, application=application)
    }


def test_ivy_sees_nobody_elses_scorecard_before_submitting_hers(world, jonas_submitted):
    assert _readable(world.ivy, world.interviewed) == set()


def test_ivy_sees_her_own_draft_but_still_not_the_others(world, interview, jonas_submitted):
    score(interview, world.ivy, submit=False)
    assert _readable(world.ivy, world.interviewed) == {"ivy@example.com"}


def test_after_submitting_ivy_sees_every_submitted_scorecard(world, interview, jonas_submitted):
    score(interview, world.ivy)
    assert _readable(world.ivy, world.interviewed) == {"ivy@example.com", "jonas@example.com"}


def test_a_draft_is_never_shown_to_anyone_but_its_author(world, interview, jonas, clock):
    end(clock, interview)
    score(interview, jonas, submit=False)
    for person in (world.rita, world.hank, world.ada, world.ivy):
        assert "jonas@example.com" not in _readable(person, world.interviewed)
    assert _readable(jonas, world.interviewed) == {"jonas@example.com"}


@pytest.mark.parametrize("persona", ["rita", "hank", "ada"])
def test_the_recruiter_hm_and_admins_see_all_submitted_scorecards(world, persona, jonas_submitted):
    assert _readable(getattr(world, persona), world.interviewed) == {"jonas@example.com"}


def test_olga_sees_none(world, jonas_submitted):
    assert _readable(world.olga, world.interviewed) == set()


def test_the_panel_shows_ivy_that_jonas_submitted_but_not_what(world, jonas_submitted):
    [row] = [r for r in interview_rows(user=world.ivy, application=world.interviewed)
             if r.interview.round_id]  # fmt: skip
    seats = {seat.interviewer.email: seat for seat in row.seats}
    assert seats["jonas@example.com"].state == "submitted"
    assert seats["jonas@example.com"].scorecard is None
    assert seats["ivy@example.com"].state == "missing"


def test_a_submitted_scorecard_cannot_change(world, interview, jonas_submitted, jonas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        score(interview, jonas, recommendation="strong_yes")
    jonas_submitted.refresh_from_db()
    assert jonas_submitted.recommendation == "no"


def test_notes_are_sanitised(world, interview, clock):
    end(clock, interview)
    card = score(
        interview, world.ivy,
        notes='<p onclick="x()">Good <script>alert(1)</script><a href="javascript:x">link</a></p>',
    )  # fmt: skip
    assert "script" not in card.notes and "onclick" not in card.notes and "href" not in card.notes
    assert "<p>Good" in card.notes


def test_submitting_needs_every_rating_and_a_side(world, interview, clock):
    from django.core.exceptions import ValidationError

    end(clock, interview)
    with pytest.raises(ValidationError, match="Rate every focus attribute"):
        score(interview, world.ivy, ratings={"Python": 3})
    with pytest.raises(ValidationError, match="Take a side"):
        score(interview, world.ivy, recommendation="")
    with pytest.raises(ValidationError, match="from 1 to 4"):
        score(interview, world.ivy, ratings={"Python": 5, "System design": 1})
    assert not interview.scorecards.exists()


def test_no_scorecard_before_the_interview_took_place(world, interview):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="once the interview has taken place"):
        score(interview, world.ivy)
