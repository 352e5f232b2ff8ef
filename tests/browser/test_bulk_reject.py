"""In a real browser: rita filters the job's list, ticks three candidates, rejects them with
one reason and reads the summary; the screenshots show the list with its filters and the
bulk bar on a desktop and on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
NAMES = ("Ann Able", "Ben Bold", "Cat Calm")


@pytest.fixture
def crowded_world(transactional_db, world):
    from closeloop.pipeline.models import Source
    from closeloop.pipeline.services import candidate_add
    from closeloop.pipeline.tags import candidate_tag_add

    for name in (*NAMES, "Dan Dale"):
        data = {"full_name": name, "email": f"{name.split()[0].lower()}@c.example"}
        application = candidate_add(
            job=world.job, by=world.rita, data={**data, "source": Source.REFERRAL}
        ).application
        candidate_tag_add(candidate=application.candidate, by=world.rita, name="Referral wave")
    return world


def test_rita_ticks_three_candidates_and_rejects_them_with_one_reason(
    live_server, crowded_world, page
):
    sign_in(page, live_server.url, "rita@example.com")
    page.goto(f"{live_server.url}/jobs/{crowded_world.job.pk}/?view=list&sort=name")
    filters = page.locator("#pipeline-filter")
    filters.get_by_label("Source").select_option("referral")
    filters.get_by_role("button", name="Show").click()
    expect(page.get_by_role("checkbox", name="Select Dan Dale")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Select Carla Candidate")).to_have_count(0)

    for name in NAMES:
        page.get_by_role("checkbox", name=f"Select {name}").check()
    bar = page.locator("#bulk-form")
    # Scrolled past the bulk bar, a bar at the foot of the screen counts the ticked and leads
    # back to the action.
    jump = page.locator("#bulk-jump")
    expect(jump).to_be_hidden()  # the bulk bar is on the screen
    page.set_viewport_size({"width": 390, "height": 600})  # a phone: the list goes on below
    page.evaluate(
        "window.scrollTo(0, document.getElementById('bulk-form').getBoundingClientRect().bottom"
        " + window.scrollY + 5)"
    )
    expect(jump).to_have_text("3 selected · Act on them")
    jump.locator("a").click()
    expect(bar.get_by_label("With the selected")).to_be_focused()
    expect(jump).to_be_hidden()
    bar.get_by_label("With the selected").select_option("reject")
    bar.get_by_label("Reason").select_option("experience")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "bulk-list-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "bulk-list-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    bar.get_by_role("button", name="Apply").click()

    summary = (
        "Rejected 3 candidates: Ann Able, Ben Bold and Cat Calm. Each has an ask to inform them."
    )
    expect(page.get_by_text(summary)).to_be_visible()
    # Back on the same filtered list: the rejected left it, Dan is still there.
    expect(page.get_by_role("checkbox", name="Select Dan Dale")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Select Ann Able")).to_have_count(0)
    assert "source=referral" in page.url
    page.screenshot(path=str(SCREENSHOTS / "bulk-rejected.png"), full_page=True)

    from closeloop.pipeline.models import Application

    rejected = Application.objects.filter(candidate__full_name__in=NAMES)
    assert set(rejected.values_list("status", "closed_reason")) == {("rejected", "experience")}
