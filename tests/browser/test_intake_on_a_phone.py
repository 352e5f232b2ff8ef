"""On a phone: rita writes the intake step by step, a slip is refused, hank signs from his queue.

The whole guided form is used at 390 px: role & pay (a range upside down first, which is
refused with nothing saved), requirements, one interview round, service levels and cadence,
then "Propose and sign". hank finds the sign ask in My queue and signs; the job then runs on
the agreement: its must-haves, service levels and interview rounds.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from browser_login import my_queue, sign_in, sign_in_with_form
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_context(browser):
    """Phone-sized browser contexts, closed after the test, before the live server stops."""
    opened = []

    def _new():
        opened.append(browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True))
        return opened[-1]

    yield _new
    for context in opened:
        context.close()


WIDER_THAN_THE_PHONE = """(width) => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width)
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""


def assert_fits_the_phone(page) -> None:
    # Measure the page as laid out with its stylesheet: right after a navigation the DOM may
    # already show the text we waited for while the stylesheet is still on its way.
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDER_THAN_THE_PHONE, PHONE["width"]) if scroll_width > 390 else []
    assert scroll_width <= PHONE["width"], (
        f"{page.url} scrolls sideways ({scroll_width} px): {wide}"
    )


def save_step(page, next_step: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text(re.compile(rf"Step \d of 5: {re.escape(next_step)}"))).to_be_visible()
    assert_fits_the_phone(page)


def draft_of(world):
    from closeloop.intake.models import IntakeVersion

    return IntakeVersion.objects.get(job=world.job)


def test_rita_writes_the_intake_on_a_phone_and_hank_signs_it_from_his_queue(
    live_server, world, new_context, password
):
    from closeloop.followups.models import Ask

    SCREENSHOTS.mkdir(exist_ok=True)
    page = new_context().new_page()
    # rita signs in through the login form, on her phone: it lands on My queue.
    sign_in_with_form(page, live_server.url, "rita@example.com", password)
    assert_fits_the_phone(page)

    # The job page offers the intake; the overview starts it from the job's own details.
    page.goto(f"{live_server.url}/jobs/{world.job.pk}/")
    expect(page.get_by_role("heading", name="Backend Engineer")).to_be_visible()
    assert_fits_the_phone(page)
    page.get_by_role("region", name="Intake agreement").get_by_role(
        "link", name="start one"
    ).click()
    expect(page.get_by_role("heading", name="Intake agreement: Backend Engineer")).to_be_visible()
    assert_fits_the_phone(page)
    page.get_by_role("button", name="Start the intake").click()
    expect(page.get_by_text("Step 1 of 5: Role & pay")).to_be_visible()
    assert_fits_the_phone(page)

    # Step 1: a pay range upside down is refused, clearly, and nothing is saved.
    page.get_by_label("People to hire").fill("2")
    page.get_by_label("Pay from").fill("90000")
    page.get_by_label("Pay up to").fill("70000")
    page.get_by_label("Currency").fill("eur")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert").first).to_contain_text("This step was not saved")
    expect(page.get_by_text("The top of the range must not be below its bottom.")).to_be_visible()
    expect(page.get_by_text("Step 1 of 5: Role & pay")).to_be_visible()
    assert_fits_the_phone(page)
    page.screenshot(path=str(SCREENSHOTS / "intake-phone-pay-refused.png"), full_page=True)
    draft = draft_of(world)
    assert (draft.compensation_min, draft.compensation_max, draft.step) == (None, None, "")
    assert draft.headcount == 1

    page.get_by_label("Pay up to").fill("110000")
    save_step(page, "Requirements")
    draft = draft_of(world)
    assert (draft.compensation_min, draft.compensation_max) == (90000, 110000)
    assert (draft.compensation_currency, draft.headcount) == ("EUR", 2)

    # Step 2: the must-haves (the job's own list is the starting point).
    expect(page.get_by_label("Must-haves")).to_have_value("Python\nPostgreSQL\nOn-call experience")
    page.get_by_label("Must-haves").fill("Python\nPostgreSQL\nKubernetes")
    page.get_by_label("Nice-to-haves").fill("Go")
    page.get_by_label("Deal-breakers").fill("No work permit")
    save_step(page, "Interview plan")

    # Step 3: one round with ivy on it; the other blank rows are skipped.
    first = page.get_by_role("group", name="Round 1")
    first.get_by_label("Round", exact=True).fill("System design")
    first.get_by_label("Minutes").fill("60")
    first.get_by_label("Focus attributes").fill("Architecture\nTrade-offs")
    first.get_by_label("Ivy Interviewer").check()
    page.screenshot(path=str(SCREENSHOTS / "intake-phone-plan.png"), full_page=True)
    save_step(page, "Service levels & cadence")

    # Step 4: hank reviews a submission within one business day; a weekly touch-base.
    page.get_by_label("Review a submitted candidate (business days)").fill("1")
    page.get_by_label("Touch-base day").select_option(label="Tuesday")
    page.get_by_label("Starts at").fill("09:30")
    page.get_by_label("Minutes").fill("30")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    save_step(page, "Review & propose")

    # Step 5: the draft as a whole, then propose (rita signs her side by proposing).
    main = page.get_by_role("main")
    expect(main).to_contain_text("Kubernetes")
    expect(main).to_contain_text("System design")
    page.screenshot(path=str(SCREENSHOTS / "intake-phone-review.png"), full_page=True)
    page.get_by_role("button", name="Propose and sign").click()
    expect(page.get_by_text("Proposed version 1; Hank Manager is asked to sign.")).to_be_visible()
    assert_fits_the_phone(page)
    ask = Ask.objects.get(kind="sign_intake")
    assert ask.owner == world.hank and ask.status == "open"
    world.job.refresh_from_db()
    assert world.job.must_haves == "Python\nPostgreSQL\nOn-call experience", "not before signing"

    # hank, on his own phone: the ask waits in My queue and leads to the version to sign.
    hank = new_context().new_page()
    sign_in(hank, live_server.url, "hank@example.com")
    my_queue(hank, live_server.url)
    mine = hank.get_by_role("region", name=re.compile("Follow-ups you owe"))
    sign_ask = mine.get_by_role("link", name="Sign the intake for Backend Engineer (version 1)")
    expect(sign_ask).to_be_visible()
    assert_fits_the_phone(hank)
    sign_ask.click()
    expect(hank.get_by_role("heading", name=re.compile("Intake version 1"))).to_be_visible()
    assert_fits_the_phone(hank)
    hank.get_by_role("button", name="Sign version 1").click()
    expect(
        hank.get_by_text("Signed. Version 1 is in force: the job now runs on it.")
    ).to_be_visible()
    hank.screenshot(path=str(SCREENSHOTS / "intake-phone-signed.png"), full_page=True)

    # The job runs on the agreement now.
    job = world.job
    job.refresh_from_db()
    assert job.must_have_list == ["Python", "PostgreSQL", "Kubernetes"]
    assert job.nice_to_have_list == ["Go"] and job.deal_breaker_list == ["No work permit"]
    assert (job.compensation_min, job.compensation_max, job.compensation_currency) == (
        90000,
        110000,
        "EUR",
    )
    assert job.service_levels == {"review_submission": 1}
    assert (job.touchbase_weekday, job.touchbase_time, job.touchbase_minutes) == (
        1,
        dt.time(9, 30),
        30,
    )
    assert job.touchbase_time_zone == "Europe/Berlin"
    rounds = list(job.interview_rounds.order_by("position"))
    assert [(r.name, r.duration_minutes, r.focus_attributes) for r in rounds] == [
        ("System design", 60, ["Architecture", "Trade-offs"])
    ]
    assert list(rounds[0].interviewers.all()) == [world.ivy]
    ask.refresh_from_db()
    assert ask.status == "done" and ask.closed_by == world.hank
    assert draft_of(world).status == "signed"

    hank.goto(f"{live_server.url}/jobs/{job.pk}/")
    must = hank.get_by_role("region", name="Must-haves")
    expect(must.get_by_role("listitem").filter(has_text="Kubernetes")).to_be_visible()
    expect(must).to_contain_text("Review a submitted candidate: 1 business day")
    assert_fits_the_phone(hank)
