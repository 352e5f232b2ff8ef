"""Signing in, in Chromium, on a desk and on a phone: the login page with single sign-on on
(hank goes through the local OpenID provider and back), ada's enrolment page (the QR code at a
size a phone camera reads, the secret readable in full) and the second step. Every page fits
the 390 px screen. Screenshots go to test-results/.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery"


@pytest.fixture
def provider(live_server, settings):
    started = Provider(redirect_uri=f"{live_server.url}/accounts/sso/callback/").start()
    settings.OIDC_ISSUER = started.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Acme ID"
    settings.MFA_REQUIRED_FOR_ADMINS = True
    yield started
    started.stop()


def fits(page, width: int) -> None:
    """The page's content fits the screen (the top bar of an admin, with one more menu item
    since the people page, is the base template's own affair)."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.getElementById('main').scrollWidth") <= width, page.url
    right = page.evaluate("document.getElementById('main').getBoundingClientRect().right")
    assert right <= width, page.url


def app_code(secret: str) -> str:
    key = secret.replace(" ", "")
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


@pytest.mark.parametrize(("size", "viewport"), [("desk", DESK), ("phone", PHONE)])
def test_sign_in_pages(live_server, world, provider, browser, size, viewport):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()

    # hank: the login page offers the provider; the round trip signs him in.
    page.goto(f"{live_server.url}/accounts/login/")
    button = page.get_by_role("link", name="Sign in with Acme ID")
    expect(button).to_be_visible()
    fits(page, viewport["width"])
    page.screenshot(path=SCREENSHOTS / f"sign-in-sso-{size}.png", full_page=True)
    provider.person("hank@example.com", "Hank Manager")
    provider.signed_in = "hank@example.com"
    button.click()
    page.wait_for_url(re.compile(r".*/queue/.*|.*/$"))
    expect(page.get_by_role("link", name="Hank Manager")).to_be_visible()
    context.clear_cookies()

    # ada: her password, then she must set up an app before anything else.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    page.get_by_role("button", name="Show my QR code").click()
    qr = page.locator(".qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and 200 <= box["width"] <= 300 and box["width"] == box["height"]
    secret_box = page.locator("code.secret")
    secret = secret_box.inner_text()
    assert len(secret.replace(" ", "")) == 32
    assert secret_box.bounding_box()["width"] <= viewport["width"]
    page.screenshot(path=SCREENSHOTS / f"sign-in-enrol-{size}.png", full_page=True)
    fits(page, viewport["width"])
    page.get_by_role("textbox", name="Code").fill(app_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    fits(page, viewport["width"])
    page.screenshot(path=SCREENSHOTS / f"sign-in-recovery-codes-{size}.png", full_page=True)

    # Next time: the password, then the second step (a recovery code, as the same 30 s
    # step's code was just used).
    context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your sign-in code")).to_be_visible()
    fits(page, viewport["width"])
    page.screenshot(path=SCREENSHOTS / f"sign-in-second-step-{size}.png", full_page=True)
    page.get_by_role("textbox", name="Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Ada Admin")).to_be_visible()
    context.close()
