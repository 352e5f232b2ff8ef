"""In a real browser, with the keyboard only: "?" lists the shortcuts, "k" opens the previous
candidate on the job and "j" comes back, "p" opens the reject form with the cursor in its
reason, "a" the move form; and a letter typed in a field is only a letter."""

from __future__ import annotations

import pytest
from browser_login import sign_in
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_rita_works_a_job_from_the_keyboard(live_server, world, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "rita@example.com")
    # Carla and Sam are both in Sourced; Carla, added first, has waited longer: she comes
    # before Sam on the board.
    sam = reverse("pipeline:application-detail", args=[world.sourced.pk])
    carla = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    page.goto(f"{live_server.url}{sam}")

    page.locator("main").click()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Next / previous candidate")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Keyboard shortcuts ( ? )").click()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    page.keyboard.press("k")
    expect(page).to_have_url(f"{live_server.url}{carla}")
    page.wait_for_load_state()  # its script listens before the next key
    page.keyboard.press("j")
    expect(page).to_have_url(f"{live_server.url}{sam}")
    page.wait_for_load_state()

    page.keyboard.press("p")
    expect(page.locator("#reject-reason")).to_be_focused()
    page.locator("h1").click()  # out of the field again
    page.keyboard.press("a")
    move_to = page.locator("#move-to_stage")
    expect(move_to).to_be_focused()
    page.locator("h1").click()
    page.keyboard.press("c")
    expect(page.locator("#comment-body")).to_be_focused()
    page.locator("h1").click()
    page.keyboard.press("a")
    # In a field, "j" is a letter: the page stays.
    page.locator("#move-reason").fill("")
    page.locator("#move-reason").press("j")
    expect(page).to_have_url(f"{live_server.url}{sam}")
    expect(page.locator("#move-reason")).to_have_value("j")
    context.close()
