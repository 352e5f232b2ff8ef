"""On a phone, the weekly update's preview frame is as tall as the email in it: the email
reads by scrolling the page, never a second scrollbar inside a box of a fixed height.
Screenshot in test-results/."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import assert_fits
from playwright.sync_api import expect

from closeloop.pipeline.services import application_submit

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def hank_owes_much(world):
    """Two candidates' reviews owed by hank: an email longer than a phone's screen."""
    for application in (world.interviewed, world.sourced):
        application_submit(application=application, by=world.rita, pitch="Fits.")
    return world


def _open_preview(page, base: str) -> None:
    page.goto(f"{base}/weekly-update/")


def _heights(page) -> tuple[int, int]:
    """(the frame's height on the page, the height of the email inside it)."""
    frame = page.locator("iframe.message-frame")
    expect(frame).to_be_visible()
    inner = page.frame_locator("iframe.message-frame").locator("body")
    expect(inner).to_contain_text("Hi Hank")
    outer = frame.evaluate("f => f.getBoundingClientRect().height")
    email = frame.element_handle().content_frame()
    content = email.evaluate("document.documentElement.scrollHeight")
    return round(outer), content


def test_the_preview_frame_takes_the_emails_height_on_a_phone(
    live_server, page_for, world, hank_owes_much
):
    SCREENSHOTS.mkdir(exist_ok=True)
    page = page_for(world.hank, viewport=PHONE, is_mobile=True)
    _open_preview(page, live_server.url)

    outer, content = _heights(page)

    assert content - 2 <= outer <= content + 4, (outer, content)
    assert_fits(page, PHONE["width"], "the weekly update preview")
    page.screenshot(path=str(SCREENSHOTS / "weekly-update-preview-phone.png"), full_page=True)
