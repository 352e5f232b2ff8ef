"""What browser tests share: signing a persona in through the login form, as every browser
test starts, and checking that a page fits the screen's width."""

from __future__ import annotations

from playwright.sync_api import expect


def sign_in(page, base: str, email: str, password: str) -> None:
    """Log in on `page` and wait for the queue, the page every sign-in lands on."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()


def assert_fits(page, width: int, where: str) -> None:
    """The page scrolls no sideways at `width`, nor does a table within it (a wide one
    scrolls in its box, its cells cut short)."""
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{where} at {width} px: {scrolled} px"
    widest = page.evaluate(
        "Math.max(0, ...[...document.querySelectorAll('main table')]"
        ".map(t => t.scrollWidth - t.parentElement.clientWidth))"
    )
    assert widest <= 1, f"{where} at {width} px: a table {widest} px wider"
