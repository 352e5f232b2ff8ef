"""In a real browser: hank sees only his jobs, opens a candidate and passes with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import my_queue, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def submitted_world(transactional_db, world):
    from closeloop.pipeline.services import application_submit

    application_submit(
        application=world.interviewed,
        by=world.rita,
        pitch="Five years of Python and Postgres.",
        must_haves_met=["Python", "PostgreSQL"],
    )
    return world


def test_hank_sees_only_his_jobs_and_passes_on_a_candidate_with_a_reason(
    live_server, submitted_world, page
):
    sign_in(page, live_server.url, "hank@example.com")
    my_queue(page, live_server.url)

    page.get_by_role("link", name="Jobs", exact=True).click()
    expect(page.get_by_role("link", name="Backend Engineer")).to_be_visible()
    expect(page.get_by_text("Data Analyst")).to_have_count(0)

    page.get_by_role("link", name="Backend Engineer").click()
    # The interviews panel links the candidate too: take the card on the pipeline board.
    page.locator("#pipeline").get_by_role("link", name="Carla Candidate").first.click()
    expect(page.locator("blockquote")).to_have_text("Five years of Python and Postgres.")

    decision = page.get_by_label("Your decision")
    # One tap on how close, and (the job's first submission: its calibration round) why:
    # asked once, for Advance and Pass alike.
    assert decision.get_by_text("Some way off", exact=True).count() == 1
    decision.get_by_text("Some way off", exact=True).click()
    decision.get_by_label("In a sentence: why close, or why not?").fill("No on-call yet.")
    decision.get_by_label("Reason for passing").select_option("experience")
    decision.get_by_label("Note").fill("Needs more on-call experience")
    decision.get_by_role("button", name="Pass").click()

    expect(page.get_by_text("Passed by you")).to_be_visible()
    timeline = page.get_by_role("region", name="Timeline")
    passed = "passed on Carla Candidate: Experience level does not fit"
    expect(timeline.get_by_text(passed)).to_be_visible()
    expect(timeline.get_by_text("submitted Carla Candidate to Hank Manager")).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hank-passed.png"), full_page=True)

    submitted_world.interviewed.refresh_from_db()
    submission = submitted_world.interviewed.submissions.get()
    assert (submission.get_closeness_display(), submission.calibration_note) == (
        "Some way off",
        "No on-call yet.",
    )
    assert submitted_world.interviewed.status == "rejected"
    assert submitted_world.interviewed.closed_reason == "experience"
