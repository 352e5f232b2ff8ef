"""What browser tests share: signing a persona in, and checking that a page fits the screen's
width.

Most browser tests are about what a signed-in person does, not about signing in: `sign_in`
gives the page's browser context a session made on the server (Django's `force_login`, the
session the login form opens), so no login page, form post and My queue are loaded first.
The login form itself is driven in a real browser by `sign_in_with_form` (a recruiter's
password on a phone, landing on My queue: test_intake_on_a_phone.py) and by
test_sign_in_pages.py (single sign-on, the two-step sign-in)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect


def sign_in(page, base: str, email: str) -> None:
    """Sign the person with `email` in on `page`'s browser context, with a session cookie
    made on the server. The page loads nothing: open the page the test is about (My queue
    with `my_queue`)."""
    from closeloop.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


def my_queue(page, base: str) -> None:
    """Open My queue, the page a sign-in lands on, and wait for it."""
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()


def sign_in_with_form(page, base: str, email: str, password: str) -> None:
    """Log in through the login form on `page` and wait for My queue, where it lands."""
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
