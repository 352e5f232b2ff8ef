"""On a phone, without JavaScript doing anything for it: rita reaches the comment box on
Carla's application page, mentions hank with a long link in her text, and posts; the page
comes back at her comment, hank's name is highlighted, and the page still fits 390 px.
hank then finds the mention in his Inbox. Screenshots go to test-results/."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}
LONG_LINK = "https://profiles.example/" + "carla-candidate-portfolio-" * 6


def test_rita_mentions_hank_on_a_phone_and_he_finds_it_in_his_inbox(
    live_server, world, browser, settings
):
    # The mention reaches hank's Inbox when it is delivered, inside his working hours: with
    # quiet hours on, a run at night or on a weekend would find it still on its way.
    settings.QUIET_HOURS = False
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "rita@example.com")
    page.goto(f"{live_server.url}/applications/{world.interviewed.pk}/")
    box = page.locator("#comment-body")
    box.focus()
    page.keyboard.type(f"@hank her portfolio: {LONG_LINK}\nWorth a look before Friday.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Comment posted; Hank Manager will be told.")).to_be_visible()
    assert "#comment-" in page.url
    mention = page.locator("#comments .cl-mention")
    expect(mention).to_have_text("@hank")
    expect(mention).to_have_attribute("title", "Hank Manager")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    page.locator("#comments").screenshot(path=str(SCREENSHOTS / "comments-phone.png"))
    context.close()

    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "hank@example.com")
    page.goto(f"{live_server.url}/inbox/")
    expect(
        page.get_by_role("link", name="Rita Recruiter mentioned you on Carla Candidate")
    ).to_be_visible()
    context.close()
