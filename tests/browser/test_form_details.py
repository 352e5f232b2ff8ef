"""Small things a person sees in a real browser: a button that cannot be pressed looks it, the
debrief decision shows only the chosen decision's fields, one Outbox message fits a 390 px
phone, and a paste cut by a field's length limit is said, not silently lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_login import assert_fits
from playwright.sync_api import expect

import editing_world

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}
LONG_LINK = "https://calendar.example.com/" + "a1b2c3d4" * 14 + "?ref=" + "x" * 60


def style(locator, prop: str) -> str:
    return locator.evaluate(f"(el) => getComputedStyle(el).getPropertyValue('{prop}')")


def test_a_button_that_cannot_be_pressed_looks_disabled(live_server, world, page_for):
    from closeloop.intake.services import intake_draft_start

    intake_draft_start(job=world.job, by=world.rita)  # a blank draft: the plan is missing
    page = page_for(world.rita)
    page.goto(f"{live_server.url}/jobs/{world.job.pk}/intake/draft/review/")
    propose = page.get_by_role("button", name="Propose and sign")
    expect(propose).to_be_disabled()
    enabled = page.get_by_role("button", name="Log out")
    assert style(propose, "cursor") == "not-allowed"
    assert style(propose, "background-color") != style(enabled, "background-color")
    assert float(style(propose, "opacity")) < 1


def test_the_debrief_decision_shows_only_the_chosen_decision_s_fields(live_server, world, page_for):
    debrief = editing_world.build(world).debrief
    page = page_for(world.hank)
    page.goto(f"{live_server.url}/debriefs/{debrief.pk}/")
    stage, reason = page.get_by_label("Advance to"), page.get_by_label("Reason for rejecting")
    expect(stage).to_be_hidden()
    expect(reason).to_be_hidden()
    page.get_by_label("Reject", exact=True).check()
    expect(reason).to_be_visible()
    expect(stage).to_be_hidden()
    page.get_by_label("Advance", exact=True).check()
    expect(stage).to_be_visible()
    expect(reason).to_be_hidden()
    page.get_by_label("Hold", exact=True).check()
    expect(stage).to_be_hidden()
    expect(reason).to_be_hidden()


def test_a_message_with_long_lines_fits_a_phone(live_server, world, page_for):
    from closeloop.notify.services import message_queue

    message = message_queue(
        recipient=world.hank,
        template="notice",
        context={
            "subject": "Reminder: Backend Engineer — Carla Candidate's interview is waiting "
            "on SuperLongWordWithoutAnySpacesThatCannotBreakAnywhereAtAll",
            "body": f"Open the invitation: {LONG_LINK}",
            "action_url": LONG_LINK,
            "recipient": world.hank,
        },
    )
    page = page_for(world.hank, viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page.goto(f"{live_server.url}/outbox/{message.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reminder")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "message-on-a-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the message page scrolls sideways ({width} px)"


def test_a_word_longer_than_the_screen_never_widens_a_page(live_server, world, page_for):
    """Notes and reasons people type may hold a pasted token or a run of letters: the pages
    that show them break it instead of scrolling sideways (one page was 189,000 px wide)."""
    from closeloop.interviews.models import Interview, Scorecard
    from closeloop.pipeline.models import Application, Candidate
    from closeloop.touchbases.models import Touchbase

    editing = editing_world.build(world)
    word = "Unbroken" * 400
    Scorecard.objects.filter(pk=editing.scorecard.pk).update(notes=word)
    Interview.objects.filter(pk=editing.interview.pk).update(notes=word)
    Touchbase.objects.filter(pk=editing.touchbase.pk).update(notes=word)
    Application.objects.filter(pk=world.interviewed.pk).update(closed_note=word)
    world.interviewed.stage_changes.update(reason=f"See https://docs.example.com/{word}")
    Candidate.objects.filter(pk=world.interviewed.candidate_id).update(links=word, location=word)
    # A must-have holding a long address, in the submit form's checklist.
    rubric = "See https://confluence.example.com/display/ENG/Data-Platform-Hiring-Rubric-2027"
    type(world.job).objects.filter(pk=world.job.pk).update(must_haves=["Python", rubric])
    pages = {
        world.ivy: [f"/interviews/{editing.interview.pk}/"],
        world.rita: [
            f"/applications/{world.interviewed.pk}/",
            f"/candidates/{world.interviewed.candidate_id}/",
            f"/touchbases/{editing.touchbase.pk}/",
            f"/debriefs/{editing.debrief.pk}/",
            f"/applications/{world.sourced.pk}/?open=submit",
        ],
    }
    for person, paths in pages.items():
        page = page_for(person, viewport=PHONE)  # one sign-in per person, both widths
        for viewport in (PHONE, {"width": 1280, "height": 900}):
            page.set_viewport_size(viewport)
            for path in paths:
                page.goto(live_server.url + path)
                page.wait_for_load_state("load")
                assert_fits(page, viewport["width"], path)


def paste(page, field, text: str) -> None:
    """Paste `text` into `field` through the clipboard, as Ctrl+V does."""
    field.focus()
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    page.keyboard.press("Control+V")


def test_a_paste_cut_by_the_length_limit_says_what_was_left_out(live_server, world, page_for):
    """hank pastes a long reason for dropping his action item: the browser keeps the first
    300 characters (the field's limit), and the page says that the rest was left out and
    where the text now ends, before he saves a reason cut mid-sentence."""
    item = editing_world.build(world).action_item
    page = page_for(world.hank, permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/action-items/{item.pk}/")
    page.get_by_text("Drop it", exact=True).click()
    reason = page.get_by_label("Why drop it?")
    assert reason.get_attribute("maxlength") == "300"
    head = "The referral is no longer needed because the agency found two candidates. "
    text = head + "x" * (300 - len(head) - 13) + "which was cut off at the end of this."
    paste(page, reason, text)
    assert reason.input_value() == text[:300]  # the browser's own cut
    note = page.locator(".field-limit")
    expect(note).to_contain_text(f"Only 300 characters fit here: {len(text) - 300} characters")
    expect(note).to_contain_text("which was cut”")  # where the kept text ends
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "paste-cut-by-the-limit.png"))
    # Typing on, the note counts down instead (the limit is reached: none left).
    reason.press("End")
    reason.press("Backspace")
    expect(note).to_have_text("1 character left")
    # A paste that fits says nothing of a cut.
    reason.fill("")
    paste(page, reason, "No longer needed.")
    expect(note).not_to_contain_text("left out")
    assert reason.input_value() == "No longer needed."
