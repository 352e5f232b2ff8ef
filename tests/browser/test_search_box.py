"""In a real browser, on a desk and on a phone: "/" puts the cursor in the header's search
box from any page, Enter shows the results, and a result opens the candidate."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import my_queue, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
SIZES = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_rita_searches_from_any_page_with_the_slash_key(live_server, world, browser, size):
    context = browser.new_context(viewport=SIZES[size], is_mobile=size == "phone")
    page = context.new_page()
    sign_in(page, live_server.url, "rita@example.com")
    my_queue(page, live_server.url)
    page.get_by_role("link", name="Jobs", exact=True).click()

    page.locator("main").click()  # focus outside any field, as a reader would be
    page.keyboard.press("/")
    box = page.get_by_role("searchbox", name="Search candidates and jobs")
    expect(box).to_be_focused()
    page.keyboard.type("carla cand")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Candidates 1")).to_be_visible()
    expect(box).to_have_value("carla cand")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], f"the results are {width} px wide"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-{size}.png"), full_page=True)
    page.get_by_role("link", name="Carla Candidate").click()
    expect(page.get_by_role("heading", name="Carla Candidate")).to_be_visible()
    context.close()


def test_suggestions_appear_while_typing_and_the_arrows_reach_them(live_server, world, browser):
    context = browser.new_context(viewport=SIZES["phone"], is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "rita@example.com")
    my_queue(page, live_server.url)

    page.locator("h1").click()
    page.keyboard.press("/")
    page.keyboard.type("carl")
    suggestions = page.get_by_role("list", name="Suggestions")
    expect(suggestions.get_by_role("link", name="Carla Candidate")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES["phone"]["width"], f"the suggestions are {width} px wide"
    page.keyboard.press("ArrowDown")
    expect(suggestions.get_by_role("link", name="Carla Candidate")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Carla Candidate")).to_be_visible()
    context.close()
