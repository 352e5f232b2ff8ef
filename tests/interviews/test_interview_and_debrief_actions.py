"""The interview and debrief pages offer what two selectors decide (`interview_actions`,
`debrief_actions`), advance defaults to `debrief_default_stage`, booking picks
`interview_round_next`, and "the same round" is one rule (`round_same_q`): views and
services only call them."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from interview_helpers import book, end, score

from closeloop.interviews.models import Debrief, Interview, InterviewStatus
from closeloop.interviews.selectors import (
    HIDDEN_UNTIL_YOURS,
    DebriefActions,
    InterviewActions,
    briefing_scorecards,
    debrief_actions,
    debrief_default_stage,
    interview_actions,
    interview_round_next,
)
from closeloop.interviews.services import Decision, debrief_decide, interview_cancel
from closeloop.jobs.models import InterviewRound, StageKind
from closeloop.pipeline.services import application_reject

SOURCE = Path(__file__).resolve().parents[2] / "src" / "closeloop"
TUESDAY_14 = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def final(world, technical):
    """Round 2, the plan's last: 45 minutes with ivy."""
    round_ = InterviewRound.objects.create(job=world.job, position=1, name="Final")
    round_.interviewers.set([world.ivy])
    return round_


# --- interview_actions ---------------------------------------------------------------------


def test_the_panel_scores_blind_and_the_hiring_team_books(world, interview, jonas):
    assert interview_actions(interview=interview, user=jonas) == InterviewActions(
        on_panel=True, score=True, blind=True, book=False
    )
    assert interview_actions(interview=interview, user=world.rita) == InterviewActions(
        on_panel=False, score=False, blind=False, book=True
    )
    assert interview_actions(interview=interview, user=world.hank).book


def test_a_cancelled_interview_offers_neither_scoring_nor_booking(world, interview, jonas):
    interview_cancel(interview=interview, by=world.rita, reason="Panel is ill.")
    interview.refresh_from_db()
    assert interview_actions(interview=interview, user=jonas) == InterviewActions(
        on_panel=True, score=False, blind=True, book=False
    )
    assert not interview_actions(interview=interview, user=world.rita).book


def test_the_briefing_shows_exactly_the_selectors_actions(world, login, interview, jonas):
    page = login(jonas).get(f"/interviews/{interview.pk}/")
    actions = interview_actions(interview=interview, user=jonas)
    shown = {key: page.context[key] for key in ("on_panel", "can_score", "can_book")}
    assert shown == {
        "on_panel": actions.on_panel,
        "can_score": actions.score,
        "can_book": actions.book,
    }
    # What the scorecards section says (hidden while blind) is the selector's too.
    assert page.context["scorecards"] == briefing_scorecards(
        user=jonas, interview=interview, on_panel=actions.on_panel
    )
    assert actions.blind and page.context["scorecards"].note == HIDDEN_UNTIL_YOURS


# --- debrief_actions ----------------------------------------------------------------------


def test_the_hm_decides_an_open_debrief_and_the_recruiter_books_it(world, debrief):
    assert debrief_actions(debrief=debrief, user=world.hank) == DebriefActions(
        decide=True, close=False, schedule=True, inform=False
    )
    assert debrief_actions(debrief=debrief, user=world.rita) == DebriefActions(
        decide=False, close=False, schedule=True, inform=False
    )
    assert debrief_actions(debrief=debrief, user=world.ivy) == DebriefActions()


def test_after_the_decision_only_telling_the_candidate_is_left(world, debrief):
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Strong."))
    debrief = Debrief.objects.get(pk=debrief.pk)
    assert debrief_actions(debrief=debrief, user=world.rita) == DebriefActions(inform=True)
    assert debrief_actions(debrief=debrief, user=world.hank) == DebriefActions()


def test_a_debrief_whose_application_closed_is_closed_not_decided(world, debrief):
    Debrief.objects.filter(pk=debrief.pk).update(status="open")
    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    Debrief.objects.filter(pk=debrief.pk).update(status="open")  # closed elsewhere, earlier
    debrief = Debrief.objects.get(pk=debrief.pk)
    assert debrief_actions(debrief=debrief, user=world.hank) == DebriefActions(
        decide=False, close=True, schedule=True, inform=False
    )


# --- defaults: the round to book, the stage to advance to ----------------------------------


def test_booking_offers_the_first_round_not_yet_booked_or_the_one_asked_for(
    world, technical, final, interview
):
    application = world.interviewed
    assert interview_round_next(application=application, requested=None) == final
    assert interview_round_next(application=application, requested=str(technical.pk)) == technical
    assert interview_round_next(application=application, requested="x") == final
    interview_cancel(interview=interview, by=world.rita, reason="Moved to next week.")
    assert interview_round_next(application=application, requested=None) == technical


def test_advance_stays_for_the_next_round_and_goes_to_the_offer_after_the_last(
    world, clock, final, debrief, jonas
):
    world.interviewed.refresh_from_db()
    assert debrief_default_stage(debrief=debrief) == world.interviewed.stage
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", "Next round."))
    last = book(world, final, [world.ivy], TUESDAY_14)
    end(clock, last)
    score(last, world.ivy)
    final_debrief = Debrief.objects.get(round=final)
    offer = world.job.stages.get(kind=StageKind.OFFER)
    assert debrief_default_stage(debrief=final_debrief) == offer


def test_the_debrief_page_offers_the_selectors_default_stage(world, login, debrief):
    page = login(world.hank).get(f"/debriefs/{debrief.pk}/")
    form = page.context["decide_form"]
    assert form.initial["to_stage"] == debrief_default_stage(debrief=debrief).pk
    assert page.context["can_decide"] is True and page.context["can_close"] is False


# --- one home for each rule -----------------------------------------------------------------


def _source(name: str) -> str:
    return (SOURCE / "interviews" / name).read_text()


def test_the_interview_views_compute_no_rule_themselves():
    tree = ast.parse(_source("views.py"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not {"StageKind", "InterviewStatus", "scorecards_blind"} & names
    assert not {"interview_rounds", "is_open", "is_scheduled", "informed_on"} & attributes


def test_the_same_round_rule_is_written_once():
    """`round__isnull` (a round-less round matched by name) appears only in `round_same_q`."""
    found = []
    for path in sorted((SOURCE / "interviews").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef) and function.name != "round_same_q":
                for node in ast.walk(function):
                    if isinstance(node, ast.keyword) and node.arg == "round__isnull":
                        found.append(f"{path.name}:{function.name}")
    assert found == []


def test_the_same_round_matches_a_plan_round_by_row_and_a_dropped_one_by_name(world, interview):
    from closeloop.interviews.selectors import round_same_q

    Interview.objects.filter(pk=interview.pk).update(status=InterviewStatus.COMPLETED)
    adhoc = Interview.objects.get(application=world.interviewed, round__isnull=True)
    by_row = Interview.objects.filter(round_same_q(round_id=interview.round_id, round_name="x"))
    by_name = Interview.objects.filter(round_same_q(round_id=None, round_name=adhoc.round_name))
    assert list(by_row) == [interview] and list(by_name) == [adhoc]
