"""On a phone, a long badge wraps inside its panel: rita opens Carla's page while her debrief
waits on a hiring manager with a long name, and "Waiting for …" stays within the Debriefs
panel and the 390 px screen (it ran past both when badges never wrapped). Screenshots go to
test-results/."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import sign_in
from django.utils import timezone

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}
LONG_NAME = "Maximiliane Alexandra Featherstonehaugh-Montgomery"


def test_a_long_waiting_badge_wraps_inside_the_debriefs_panel(live_server, world, browser):
    from closeloop.interviews.models import Debrief

    world.hank.full_name = LONG_NAME
    world.hank.save(update_fields=["full_name"])
    Debrief.objects.create(
        application=world.interviewed,
        round_name="Technical",
        opened_because="all_in",
        last_interview_ended_at=timezone.now(),
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "rita@example.com")
    page.goto(f"{live_server.url}/applications/{world.interviewed.pk}/")
    badge = page.locator(".badge", has_text=f"Waiting for {LONG_NAME}")
    badge.scroll_into_view_if_needed()
    panel = badge.locator("xpath=ancestor::section[1]")
    page.screenshot(path=SCREENSHOTS / "badge-wraps-390.png")
    right, inside = badge.bounding_box(), panel.bounding_box()
    assert right["x"] + right["width"] <= inside["x"] + inside["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert right["height"] > 25  # on two lines, not cut
    context.close()
