"""In a real browser: rita drags a card to a column and the board shows it there with the
outcome (a drop on Submitted, which a submission enters, is refused and says so); on a
phone, with the keyboard only, the card's Move form does the same."""

from __future__ import annotations

import pytest
from browser_login import sign_in
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def signed_in(browser, live_server, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    sign_in(page, live_server.url, "rita@example.com")
    return context, page


def column(page, name):
    heading = page.locator(".column-head", has_text=name)
    return page.locator("section.column").filter(has=heading)


def test_rita_drags_a_card_to_another_stage(live_server, world, browser):
    context, page = signed_in(browser, live_server, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('jobs:job-detail', args=[world.job.pk])}")
    card = column(page, "Sourced").locator(".card", has_text="Sam Sourced")
    card.locator(".card-role, .card-age").first.scroll_into_view_if_needed()
    # Submitted is entered by a submission (which asks the HM): the drop is refused, said.
    card.locator(".card-age").drag_to(column(page, "Submitted").locator(".column-head"))
    expect(page.locator("#pipeline .messages")).to_contain_text("submit them with a pitch")
    expect(column(page, "Sourced").get_by_role("link", name="Sam Sourced")).to_be_visible()
    card = column(page, "Sourced").locator(".card", has_text="Sam Sourced")
    card.locator(".card-age").drag_to(column(page, "Scheduling").locator(".column-head"))
    expect(page.locator("#pipeline .messages")).to_contain_text("Moved Sam Sourced to Scheduling.")
    expect(column(page, "Scheduling").get_by_role("link", name="Sam Sourced")).to_be_visible()
    expect(column(page, "Sourced").get_by_role("link", name="Sam Sourced")).to_have_count(0)
    context.close()


def test_on_a_phone_the_keyboard_moves_a_card(live_server, world, browser):
    context, page = signed_in(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page.goto(f"{live_server.url}{reverse('jobs:job-detail', args=[world.job.pk])}")
    page.get_by_role("link", name="Go to the pipeline ↓").click()
    summary = page.locator("summary", has_text="Move Sam Sourced")
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Move Sam Sourced to stage").select_option(label="Scheduling")
    page.get_by_label("Move Sam Sourced to stage").press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#pipeline .messages")).to_contain_text("Moved Sam Sourced to Scheduling.")
    expect(column(page, "Scheduling").get_by_role("link", name="Sam Sourced")).to_be_attached()
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > 390)
        .slice(0, 8).map((el) => `${el.tagName.toLowerCase()}.${el.className}`)""")
    assert width <= 390, f"the page is {width} px wide: {wide}"
    context.close()
