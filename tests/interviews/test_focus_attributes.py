"""What an interview rates survives the intake removing its round from the plan: the round's
focus attributes are stored on the interview at booking (and refreshed when a scorecard is
saved), so the briefing, the scorecard form and the debrief sheet keep them once
`Interview.round` is NULL. Older rows without either fall back to their scorecards' ratings."""

from __future__ import annotations

import datetime as dt

import pytest
from interview_helpers import end, score

from closeloop.interviews.models import Debrief, Interview, Scorecard
from closeloop.interviews.selectors import debrief_sheet, interview_focus_attributes


def _remove_round(round_):
    """What the intake does to a round no longer in the plan (intake `_apply_rounds`)."""
    round_.delete()


def test_booking_stores_the_rounds_focus_attributes(interview):
    interview.refresh_from_db()
    assert interview.focus_attributes == ["Python", "System design"]


def test_the_briefing_and_scorecard_keep_the_attributes_after_the_round_is_removed(
    world, login, clock, interview, technical
):
    _remove_round(technical)
    interview = Interview.objects.get(pk=interview.pk)
    assert interview.round is None
    assert interview_focus_attributes(interview) == ["Python", "System design"]
    client = login(world.ivy)
    body = client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "System design" in body and "No focus attributes" not in body
    end(clock, interview)
    # The form still asks for both ratings, and submitting without them is refused.
    response = client.post(
        f"/interviews/{interview.pk}/scorecard/", {"recommendation": "yes", "action": "submit"}
    )
    assert response.status_code == 400 and not Scorecard.objects.exists()
    card = score(Interview.objects.get(pk=interview.pk), world.ivy)
    assert card.ratings == {"Python": 3, "System design": 4}


def test_the_debrief_still_shows_the_ratings_after_the_round_is_removed(
    world, login, clock, interview, technical, jonas
):
    # The world's older round-less "Technical" interview of Carla is not part of this one.
    world.interviewed.interviews.filter(round__isnull=True).update(status="cancelled")
    end(clock, interview)
    score(interview, world.ivy, ratings={"Python": 2, "System design": 4})
    score(interview, jonas, ratings={"Python": 3, "System design": 1})
    debrief = Debrief.objects.get()
    _remove_round(technical)
    debrief.refresh_from_db()
    sheet = debrief_sheet(debrief=debrief, user=world.hank)
    assert sheet.attributes == ["Python", "System design"]
    assert [cells for _, cells in sheet.rows] == [
        [(2, "Mixed"), (3, "Strong")],
        [(4, "Exceptional"), (1, "Weak")],
    ]
    body = login(world.hank).get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "iv-score-4" in body and "iv-score-1" in body


def test_a_plan_change_after_booking_is_what_the_scorecard_keeps(
    world, clock, interview, technical
):
    technical.focus_attributes = ["Python", "Ownership"]
    technical.save()
    end(clock, interview)
    score(interview, world.ivy, ratings={"Python": 3, "Ownership": 4})
    _remove_round(technical)
    interview = Interview.objects.get(pk=interview.pk)
    assert interview_focus_attributes(interview) == ["Python", "Ownership"]


def test_an_older_row_without_round_or_stored_attributes_reads_its_scorecards(world, clock):
    start = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    legacy = Interview.objects.create(
        application=world.interviewed, round_name="Legacy", starts_at=start,
        ends_at=start + dt.timedelta(hours=1), status="completed",
    )  # fmt: skip
    legacy.interviewers.add(world.ivy)
    assert interview_focus_attributes(legacy) == []
    Scorecard.objects.create(
        interview=legacy, interviewer=world.ivy, status="submitted",
        ratings={"Craft": 3, "Python": 2}, recommendation="yes",
    )  # fmt: skip
    assert interview_focus_attributes(Interview.objects.get(pk=legacy.pk)) == ["Craft", "Python"]


@pytest.mark.parametrize("attributes", [[], ["  ", "Python", "Python"]])
def test_blank_and_repeated_attributes_are_dropped(world, technical, interview, attributes):
    technical.focus_attributes = attributes
    technical.save()
    interview = Interview.objects.select_related("round").get(pk=interview.pk)
    assert interview_focus_attributes(interview) == [a for a in ["Python"] if attributes]
