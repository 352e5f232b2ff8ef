"""On a phone, a long tag name does not widen the job's list filters: rita opens the list of
Backend Engineer at 390 px while a candidate carries a 40-character tag, and the Tag select
shrinks to the screen (it made the page 427 px wide, scrolling sideways). Screenshots go to
test-results/."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}
LONG_TAG = "MUST-HAVE: KUBERNETES, GO AND POSTGRESQL"  # 40 characters


def test_a_long_tag_does_not_widen_the_list_filters(live_server, world, browser):
    from closeloop.pipeline.tags import candidate_tag_add

    assert len(LONG_TAG) == 40
    candidate_tag_add(candidate=world.interviewed.candidate, by=world.rita, name=LONG_TAG)
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "rita@example.com")
    page.goto(f"{live_server.url}/jobs/{world.job.pk}/?view=list")
    tag = page.locator("#pipeline-filter select[name=tag]")
    tag.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "list-filters-390.png")
    box, form = tag.bounding_box(), page.locator("#pipeline-filter").bounding_box()
    assert box["x"] + box["width"] <= form["x"] + form["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
