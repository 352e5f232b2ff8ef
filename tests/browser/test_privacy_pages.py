"""ada erases a candidate in a browser, on a desk and on a phone: the candidate's Privacy panel,
the confirmation page (reason and tick), then the anonymous page. Every page fits the 390 px
screen. Screenshots go to test-results/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


# The page's own content (the header's menu is the base template's, tested elsewhere).
WIDER_THAN = """(width) => [...document.querySelectorAll('#main *')]
    .filter((el) => el.getBoundingClientRect().right > width)
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""


def fits(page, width: int) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate(WIDER_THAN, width) == [], page.url


@pytest.mark.parametrize(("size", "viewport"), [("desk", DESK), ("phone", PHONE)])
def test_ada_erases_a_candidate_after_confirming(live_server, world, browser, size, viewport):
    SCREENSHOTS.mkdir(exist_ok=True)
    carla = world.interviewed.candidate
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    sign_in(page, live_server.url, world.ada.email)
    page.goto(f"{live_server.url}/candidates/{carla.pk}/")
    panel = page.get_by_role("region", name="Privacy")
    expect(panel.get_by_role("button", name="Export their data")).to_be_visible()
    fits(page, viewport["width"])
    page.screenshot(path=SCREENSHOTS / f"privacy-candidate-{size}.png", full_page=True)

    panel.get_by_role("link", name="Erase this candidate…").click()
    expect(page.get_by_role("heading", name="Erase Carla Candidate?")).to_be_visible()
    fits(page, viewport["width"])
    page.screenshot(path=SCREENSHOTS / f"privacy-erase-{size}.png", full_page=True)
    page.get_by_label("Reason").fill("Erasure request by email")
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Erase this candidate").click()

    expect(page.get_by_role("heading", name=f"Erased candidate #{carla.pk}")).to_be_visible()
    expect(page.get_by_text("Carla Candidate")).to_have_count(0)
    fits(page, viewport["width"])
    page.screenshot(path=SCREENSHOTS / f"privacy-erased-{size}.png", full_page=True)
    context.close()
