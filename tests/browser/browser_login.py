"""Signing a persona in through the login form, as every browser test starts."""

from __future__ import annotations

from playwright.sync_api import expect


def sign_in(page, base: str, email: str, password: str) -> None:
    """Log in on `page` and wait for the queue, the page every sign-in lands on."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
