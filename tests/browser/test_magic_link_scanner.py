"""Mail scanners open every link in an email, wait, and follow what they find: none of it acts.

A reminder email's one-click links are opened in headless Chromium the way link scanners do
(Microsoft Safe Links, Proofpoint, Mimecast): every link at once, pages left open for
10 seconds so any script could run, and every link on those pages followed. Only a person
pressing the confirm button answers, and a double click still answers once.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from closeloop.notify.selectors import message_body_for


def recipient_reads(message):
    """The message's text as its recipient reads it (its sealed links opened)."""
    return message_body_for(message=message, user=message.recipient)[0]


# A double click races two requests: each database settles that its own way.
pytestmark = [pytest.mark.browser, pytest.mark.every_database, pytest.mark.usefixtures("clock")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
REMINDER_TIME = dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def email(world, clock, live_server, settings):
    """rita submits Carla; a day later hank's reminder email is composed with live links."""
    from closeloop.followups.engine import asks_advance, notices_compose
    from closeloop.notify.models import Message
    from closeloop.pipeline.services import application_submit

    settings.SITE_URL = live_server.url
    application_submit(
        application=world.interviewed,
        by=world.rita,
        pitch="Ran Postgres on-call for 3 years.\nShipped the billing rewrite.",
        must_haves_met=["Python", "PostgreSQL"],
    )
    clock.move_to(REMINDER_TIME)
    asks_advance()
    notices_compose()
    return Message.objects.get(recipient=world.hank)


def one_click_links(message) -> dict[str, str]:
    found = re.findall(
        r"^  ([^:\n]+): (http://\S+/act/\S+/)$", recipient_reads(message), flags=re.M
    )
    return dict(found)


def every_link(message) -> list[str]:
    """What a scanner opens: every href of the HTML part and every URL of the text part."""
    text, html = message_body_for(message=message, user=message.recipient)
    hrefs = re.findall(r'href="([^"]+)"', html)
    urls = re.findall(r"https?://\S+", text)
    return list(dict.fromkeys(hrefs + urls))


def snapshot(world) -> dict:
    """Everything a one-click link could change."""
    from closeloop.followups.models import ActionLink, Ask
    from closeloop.notify.models import Message
    from closeloop.pipeline.models import StageChange

    world.interviewed.refresh_from_db()
    submission = world.interviewed.submissions.get()
    ask = Ask.objects.get(kind="review_submission")
    return {
        "stage": world.interviewed.stage.name,
        "status": world.interviewed.status,
        "decision": submission.decision,
        "questions": submission.questions.count(),
        "ask": (ask.status, ask.snooze_reason, ask.closed_by_id),
        "links_used": ActionLink.objects.filter(used_at__isnull=False).count(),
        "links_revoked": ActionLink.objects.filter(revoked_at__isnull=False).count(),
        "stage_changes": StageChange.objects.filter(application=world.interviewed).count(),
        "messages_to_rita": Message.objects.filter(recipient=world.rita).count(),
    }


@pytest.fixture
def new_context(browser):
    """Browser contexts that are closed after the test, before the live server stops."""
    opened = []

    def _new(**options):
        opened.append(browser.new_context(**options))
        return opened[-1]

    yield _new
    for context in opened:
        context.close()


def open_all(context, urls) -> list:
    """Open every URL in its own tab at once, as a scanner fanning out over an email does."""
    pages = []
    for url in urls:
        pages.append(context.new_page())
        pages[-1].goto(url, wait_until="commit")
    for page in pages:
        page.wait_for_load_state()
    return pages


def scan(context, urls: list[str]) -> list[str]:
    """Open every URL, keep the pages open 10 s, then follow every link they show.

    The pages run on Playwright's clock: their 10 s (every timer, interval and Date a script
    could use) pass at once, and whatever they started on the network is waited for, so any
    script gets the chance a scanner's wait gives it without the suite sitting idle."""
    context.clock.install()
    pages = open_all(context, urls)
    context.clock.run_for(10_000)  # all pages stay open meanwhile: scripts get their chance
    for page in pages:
        page.wait_for_load_state("networkidle")
    found = {
        href.split("#", 1)[0]  # the skip link points back at the page itself
        for page in pages
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    }
    followed = open_all(context, sorted(found - {page.url for page in pages}))
    return [page.title() for page in pages + followed]


def test_a_mail_scanner_opening_every_link_for_ten_seconds_changes_nothing(
    new_context, world, email
):
    before = snapshot(world)
    links = one_click_links(email)
    assert len(links) == 4 and set(links.values()) <= set(every_link(email))

    titles = scan(new_context(), every_link(email))

    assert len(titles) > len(every_link(email)), "the scanner followed links on the pages"
    assert "Advance · Carla Candidate · Closeloop" in titles
    assert "Pass · Carla Candidate · Closeloop" in titles
    assert snapshot(world) == before
    assert before["stage"] == "Submitted" and before["decision"] == "pending"
    assert before["ask"][0] == "open" and before["links_used"] == 0


def assert_advanced_once(world, before: dict) -> dict:
    from closeloop.followups.models import ActionLink, Ask

    after = snapshot(world)
    assert after["stage"] == "Scheduling" and after["decision"] == "advanced"
    assert after["stage_changes"] == before["stage_changes"] + 1
    assert after["messages_to_rita"] == before["messages_to_rita"] + 1
    assert after["links_used"] == 1 and after["links_revoked"] == 3
    ask = Ask.objects.get(kind="review_submission")
    assert ask.status == "done" and ask.closed_by == world.hank and ask.closed_via == "email"
    assert ActionLink.objects.get(used_at__isnull=False).action == "advance"
    return after


def rate(page, closeness: str) -> None:
    """One tap on how close, and the sentence the job's calibration round asks for."""
    page.get_by_text(closeness, exact=True).click()
    page.get_by_label("In a sentence: why close, or why not?").fill("Calibrating.")


def test_a_person_confirming_acts_once_and_coming_back_sees_the_answer(new_context, world, email):
    before = snapshot(world)
    page = new_context().new_page()
    page.goto(one_click_links(email)["Advance"])
    rate(page, "Close")
    page.get_by_label("Note for the recruiter (optional)").fill("Let's meet her this week")
    page.get_by_role("button", name="Confirm: Advance").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Done, thank you")
    expect(page.get_by_text("Carla Candidate moves forward")).to_be_visible()
    after = assert_advanced_once(world, before)

    page.go_back()  # the confirmation page again (never cached): now it shows the answer
    expect(heading).to_have_text("Already answered")
    expect(page.get_by_role("main")).to_contain_text("Carla Candidate: advanced by you")
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    page.goto(one_click_links(email)["Pass"])  # a sibling button, pressed later
    expect(heading).to_have_text("Already answered")
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    assert snapshot(world) == after


def test_a_double_click_on_confirm_acts_once(new_context, world, email):
    before = snapshot(world)
    page = new_context().new_page()
    page.goto(one_click_links(email)["Advance"])
    rate(page, "Close")
    page.get_by_role("button", name="Confirm: Advance").dblclick()

    # The second click may reach the server too: either way the person sees their answer.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^(Done, thank you|Already answered)$")
    )
    expect(page.get_by_role("main")).to_contain_text(
        re.compile("Carla Candidate( moves forward|: advanced by you)")
    )
    assert_advanced_once(world, before)


def test_the_confirmation_page_reads_clearly_on_a_phone(new_context, world, email):
    SCREENSHOTS.mkdir(exist_ok=True)
    links = one_click_links(email)
    desktop = new_context(viewport={"width": 1280, "height": 900}).new_page()
    desktop.goto(links["Advance"])
    desktop.screenshot(path=str(SCREENSHOTS / "link-confirm-advance.png"), full_page=True)

    phone = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True).new_page()
    phone.goto(links["Pass"])
    confirm = phone.get_by_role("button", name="Confirm: Pass")
    expect(phone.get_by_role("heading", name="Pass: Carla Candidate?")).to_be_visible()
    expect(phone.get_by_label("Why are you passing?")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "link-confirm-pass-phone.png"), full_page=True)
    box = confirm.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= 44, "a thumb-sized button"
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], "nothing scrolls sideways on a phone"

    reason = phone.get_by_label("Why are you passing?")
    confirm.click()  # no reason chosen: the browser asks for one, nothing is sent
    assert reason.evaluate("select => select.validity.valueMissing")
    assert snapshot(world)["links_used"] == 0
    reason.select_option("experience")
    rate(phone, "Far off")
    phone.get_by_role("button", name="Confirm: Pass").click()
    expect(phone.get_by_role("heading", name="Done, thank you")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "link-done-phone.png"), full_page=True)
    phone.goto(links["Advance"])
    expect(phone.get_by_role("heading", level=1)).to_have_text("Already answered")
    phone.screenshot(path=str(SCREENSHOTS / "link-refused-phone.png"), full_page=True)
