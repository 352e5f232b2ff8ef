"""Blind scorecards in a real browser: ivy cannot read Nora's scorecard until she submits hers.

Carla's technical interview has two interviewers, ivy and Nora. It has ended; Nora submitted
her scorecard first. ivy finds her scorecard ask in My queue, lands on the briefing, sees the
other scorecards hidden, rates every focus attribute, takes a side and submits: only then does
Nora's recommendation show.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_login import my_queue, sign_in
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
# The world's interview is on Tuesday 10:00–11:00: half an hour after it ended.
AFTER_THE_INTERVIEW = dt.datetime(2026, 11, 24, 11, 30, tzinfo=dt.UTC)
FOCUS = ["Python", "System design"]


@pytest.fixture
def interview(world, clock, password):
    """Carla's technical round with ivy and Nora on the panel, over; Nora has scored it."""
    from closeloop.accounts.models import User
    from closeloop.interviews.models import Interview
    from closeloop.interviews.services import ScorecardInput, interviews_complete, scorecard_save
    from closeloop.jobs.models import InterviewRound

    nora = User.objects.create_user(
        "nora@example.com", password, full_name="Nora Newton", is_interviewer=True
    )
    world.job.interviewers.add(nora)
    technical = InterviewRound.objects.create(
        job=world.job, position=0, name="Technical", duration_minutes=60, focus_attributes=FOCUS
    )
    technical.interviewers.set([world.ivy, nora])
    interview = Interview.objects.get(application=world.interviewed)
    interview.round = technical
    interview.save(update_fields=["round"])
    interview.interviewers.add(nora)

    clock.move_to(AFTER_THE_INTERVIEW)
    assert interviews_complete().handled == 1  # the worker's step: the scorecard asks open
    scorecard_save(
        interview=interview,
        by=nora,
        data=ScorecardInput(
            ratings={"Python": 4, "System design": 3},
            recommendation="strong_yes",
            notes="Designed a sharded job queue on the whiteboard.",
        ),
        submit=True,
    )
    interview.nora = nora
    return interview


def test_ivy_reads_the_other_scorecard_only_after_submitting_her_own(
    live_server, world, interview, page
):
    from closeloop.followups.models import Ask
    from closeloop.interviews.models import Debrief, Scorecard

    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, live_server.url, "ivy@example.com")
    my_queue(page, live_server.url)
    ask_title = "Scorecard: Carla Candidate, Technical (Backend Engineer)"
    page.get_by_role("link", name=ask_title).click()

    main = page.get_by_role("main")
    expect(page.get_by_role("heading", name="Your scorecard")).to_be_visible()
    others = page.get_by_role("region", name="Other scorecards on Carla")
    expect(others).to_contain_text("Hidden until you submit your own scorecard")
    expect(others).not_to_contain_text("Nora Newton")
    expect(others).not_to_contain_text("Strong yes")
    expect(main.locator(".iv-verdict")).to_have_count(0)  # no recommendation shows anywhere
    expect(main).not_to_contain_text("sharded job queue")
    page.screenshot(path=str(SCREENSHOTS / "scorecard-blind.png"), full_page=True)

    scorecard = page.get_by_role("region", name="Your scorecard")
    scorecard.get_by_role("group", name="Python").get_by_label("3 · Strong").check()
    scorecard.get_by_role("group", name="System design").get_by_label("2 · Mixed").check()
    scorecard.get_by_role("group", name="Overall recommendation").get_by_label(
        "Yes", exact=True
    ).check()
    scorecard.get_by_label("Notes").fill("Solid Python; the design answer stayed shallow.")
    scorecard.get_by_role("button", name="Submit scorecard").click()

    expect(
        page.get_by_text(
            "Scorecard submitted. You can now read the other interviewers' scorecards."
        )
    ).to_be_visible()
    expect(scorecard.get_by_text("Submitted", exact=True)).to_be_visible()
    nora_card = others.get_by_role("article").filter(has_text="Nora Newton")
    expect(nora_card.locator(".iv-verdict")).to_have_text("Strong yes")
    expect(nora_card).to_contain_text("Designed a sharded job queue on the whiteboard.")
    expect(others).not_to_contain_text("Hidden until you submit")
    page.screenshot(path=str(SCREENSHOTS / "scorecard-revealed.png"), full_page=True)

    mine = Scorecard.objects.get(interview=interview, interviewer=world.ivy)
    assert mine.status == "submitted" and mine.recommendation == "yes"
    assert mine.ratings == {"Python": 3, "System design": 2}
    assert "design answer stayed shallow" in mine.notes
    ask = Ask.objects.get(kind="submit_scorecard", owner=world.ivy)
    assert ask.status == "done" and ask.closed_by == world.ivy
    assert not Ask.objects.filter(kind="submit_scorecard", status="open").exists()
    # Both scorecards are in: the round's debrief opens for hank to decide.
    assert Debrief.objects.filter(application=world.interviewed).count() == 1
    assert Ask.objects.get(kind="decide_after_debrief").owner == world.hank

    page.get_by_role("link", name="My queue").click()
    expect(page.get_by_role("link", name=ask_title)).to_have_count(0)
