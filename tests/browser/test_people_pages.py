"""The people pages in a real browser, on a desk and on a phone: ada's list, the invite form,
the invitation email as Nina reads it, Nina choosing her password (signed in after), and the
deactivation page. Each fits a 390 px screen; screenshots land in test-results/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_login import sign_in
from playwright.sync_api import expect

from closeloop.accounts.models import User
from closeloop.followups.models import Ask
from closeloop.notify.models import Message
from closeloop.notify.selectors import message_body_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SIZES = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
GOOD_PASSWORD = "tidal-orchard-57-lantern"


@pytest.fixture
def contexts(browser):
    opened = []

    def _new(size: str):
        phone = size == "phone"
        context = browser.new_context(
            viewport=SIZES[size], device_scale_factor=2 if phone else 1, is_mobile=phone
        )
        opened.append(context)
        return context

    yield _new
    for context in opened:
        context.close()


def fits(page) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width).slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)""",
        viewport,
    )
    assert width <= viewport, f"{page.url} is {width} px wide on {viewport} px: {wider}"


def shot(page, name: str, size: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"people-{name}-{size}.png", full_page=True)


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_ada_invites_nina_who_chooses_a_password_and_deactivates_hank(
    world, live_server, contexts, size, settings
):
    for i in range(3):
        Ask.objects.create(
            kind="review_submission", subject=f"submission:{90 + i}", title="Review",
            owner=world.hank, job=world.job, due_at=MONDAY_10 + dt.timedelta(days=2),
        )  # fmt: skip
    User.objects.filter(pk=world.hank.pk).update(manager=world.olga)
    User.objects.filter(pk=world.ivy.pk).update(is_active=False)
    base = live_server.url
    settings.SITE_URL = base  # the email's link leads to this server
    ada = contexts(size).new_page()
    sign_in(ada, base, world.ada.email)

    ada.goto(f"{base}/people/invite/")
    ada.get_by_label("Email").fill("nina@example.com")
    ada.get_by_label("Full name").fill("Nina Newhire")
    ada.get_by_label("Hiring manager").check()
    ada.locator("#id_manager").select_option(label="Olga Outsider (olga@example.com)")
    ada.get_by_role("button", name="Send the invitation").click()
    expect(ada.get_by_text("Choose at least one role")).to_have_count(0)
    expect(ada.get_by_text("Invitation sent to nina@example.com")).to_be_visible()
    ada.goto(f"{base}/people/invite/")
    ada.get_by_label("Email").fill("hank@example.com")
    ada.get_by_label("Full name").fill("Hank Again")
    ada.get_by_role("button", name="Send the invitation").click()
    expect(ada.get_by_text("Choose at least one role").first).to_be_visible()
    fits(ada)
    shot(ada, "invite-refused", size)

    ada.goto(f"{base}/people/")
    expect(ada.get_by_role("heading", name="People")).to_be_visible()
    fits(ada)
    shot(ada, "list", size)

    # The email as Nina's mail program shows it.
    message = Message.objects.get(template="invitation", recipient__email="nina@example.com")
    nina = contexts(size).new_page()
    nina.set_content(message_body_for(message=message, user=message.recipient)[1])
    shot(nina, "email", size)
    nina.get_by_role("link", name="Choose your password").click()
    expect(nina.get_by_role("heading", name="Welcome, Nina")).to_be_visible()
    fits(nina)
    shot(nina, "accept", size)
    nina.get_by_label("New password", exact=True).fill(GOOD_PASSWORD)
    nina.get_by_label("New password confirmation").fill(GOOD_PASSWORD)
    nina.get_by_role("button", name="Save my password and sign in").click()
    expect(nina.get_by_text("Welcome to Closeloop, Nina")).to_be_visible()

    ada.goto(f"{base}/people/{world.hank.pk}/deactivate/")
    expect(ada.get_by_role("heading", name="Deactivate Hank Manager?")).to_be_visible()
    fits(ada)
    shot(ada, "deactivate", size)
    ada.get_by_role("button", name="Deactivate Hank").click()
    expect(ada.get_by_text("Hank Manager is deactivated")).to_be_visible()
    assert Ask.objects.filter(owner=world.olga, status="open").count() == 3
