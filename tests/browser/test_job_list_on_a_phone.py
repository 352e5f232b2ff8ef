"""On a phone, the jobs list's hiring manager cell reads as one value: ada deactivates
Hank, and his cell ("Hank Manager (deactivated) Name a new hiring manager") wraps as
text beside its label. It was three squeezed flex columns, the link one word per line.
Screenshots go to test-results/."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_deactivated_hiring_managers_cell_wraps_as_text(world, page_for, live_server, width):
    world.hank.is_active = False
    world.hank.save(update_fields=["is_active"])
    page = page_for(world.ada, viewport={"width": width, "height": 844})
    page.goto(f"{live_server.url}/jobs/")
    link = page.get_by_role("link", name="Name a new hiring manager").first
    link.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"job-list-deactivated-hm-{width}.png", full_page=True)
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) || 24")
    assert link.bounding_box()["height"] <= 2 * line + 2  # at most two lines
    cell = link.locator("xpath=ancestor::td[1]")
    assert cell.evaluate("td => td.scrollWidth <= td.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
