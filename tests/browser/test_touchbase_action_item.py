"""The weekly touch-base in a real browser: rita runs it, hank finishes what he took on.

"Backend Engineer" meets on Tuesdays at 09:00. Just after Tuesday's meeting rita opens it from
the job page, reads the agenda built from the pipeline (Carla's submission waits on hank),
gives hank an action item due Thursday and marks the meeting held. hank finds the item in
My queue, opens it and marks it done.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from browser_login import my_queue, sign_in
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
TUESDAY_MEETING = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
AFTER_THE_MEETING = dt.datetime(2026, 11, 24, 9, 40, tzinfo=dt.UTC)
THURSDAY = dt.date(2026, 11, 26)
ITEM = "Send the revised pay band to finance"


@pytest.fixture
def touchbase(world, clock):
    """The job's agreed cadence (Tuesdays 09:00 UTC, 30 min) set up as a series; Carla is
    submitted to hank on Monday, so the agenda has something to discuss."""
    from closeloop.pipeline.services import application_submit
    from closeloop.touchbases.models import Touchbase
    from closeloop.touchbases.services import series_sync

    job = world.job
    job.touchbase_weekday, job.touchbase_time = 1, dt.time(9, 0)
    job.touchbase_minutes, job.touchbase_time_zone = 30, "UTC"
    job.save()
    series = series_sync(job=job, by=world.rita)
    assert series is not None and series.first_at == TUESDAY_MEETING
    application_submit(
        application=world.interviewed,
        by=world.rita,
        pitch="Ran Postgres on-call for 3 years.",
        must_haves_met=["Python", "PostgreSQL"],
    )
    clock.move_to(AFTER_THE_MEETING)
    return Touchbase.objects.get(series=series, scheduled_at=TUESDAY_MEETING)


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


def test_rita_runs_the_touchbase_and_hank_finishes_his_action_item(
    live_server, world, touchbase, new_context
):
    from closeloop.followups.models import Ask
    from closeloop.touchbases.models import ActionItem

    SCREENSHOTS.mkdir(exist_ok=True)
    page = new_context().new_page()
    sign_in(page, live_server.url, "rita@example.com")
    my_queue(page, live_server.url)
    page.get_by_role("link", name="Jobs", exact=True).click()
    page.get_by_role("link", name="Backend Engineer").click()
    panel = page.get_by_role("region", name="Touch-base")
    expect(panel).to_contain_text("Tuesdays 09:00 (UTC) · 30 min")
    panel.get_by_role("link", name="Open the current touch-base").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Touch-base")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not marked yet")
    agenda = page.get_by_role("region", name="Agenda")
    submissions = agenda.locator("#agenda-new_submissions")
    expect(submissions.get_by_role("heading")).to_contain_text(
        "New submissions since the last touch-base"
    )
    expect(submissions.get_by_role("link", name=re.compile("Carla Candidate"))).to_be_visible()
    expect(agenda.locator("#agenda-decisions")).to_contain_text("Carla Candidate")
    expect(agenda.locator("#agenda-drift")).to_be_visible()

    # An action item for hank, due Thursday.
    items = page.get_by_role("region", name="Action items from this meeting")
    expect(items).to_contain_text("None yet.")
    items.get_by_label("What needs doing").fill(ITEM)
    items.get_by_label("Who").select_option(label="Hank Manager")
    items.get_by_label("Due on").fill(THURSDAY.isoformat())
    items.get_by_role("button", name="Add action item").click()
    expect(
        page.get_by_text("Action item added for Hank Manager; it is in their queue now.")
    ).to_be_visible()
    row = items.get_by_role("listitem").filter(has_text=ITEM)
    expect(row).to_contain_text("Hank Manager · due Thu 26 Nov")
    expect(row).to_contain_text("Open")

    page.get_by_role("button", name="Mark held").click()
    expect(page.get_by_text("Marked held. The agenda is kept as it stands now.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Held")
    expect(agenda).to_contain_text("As it stood when the meeting was marked held")
    expect(page.get_by_role("button", name="Mark held")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "touchbase-held.png"), full_page=True)

    touchbase.refresh_from_db()
    assert touchbase.status == "held" and touchbase.held_by == world.rita
    keys = [section["key"] for section in touchbase.agenda["sections"]]
    assert keys[:2] == ["new_submissions", "decisions"]
    item = ActionItem.objects.get()
    assert (item.description, item.owner, item.due_on, item.status) == (
        ITEM,
        world.hank,
        THURSDAY,
        "open",
    )
    ask = Ask.objects.get(kind="action_item")
    assert ask.owner == world.hank and ask.status == "open" and ask.due_at == item.due_at

    # hank: the item waits in his queue; he opens it and marks it done.
    hank = new_context().new_page()
    sign_in(hank, live_server.url, "hank@example.com")
    my_queue(hank, live_server.url)
    mine = hank.get_by_role("region", name=re.compile("Follow-ups you owe"))
    mine.get_by_role("link", name=f"{ITEM} (Backend Engineer)").click()
    expect(hank.get_by_role("heading", name=ITEM)).to_be_visible()
    expect(hank.get_by_role("main")).to_contain_text("Thursday 26 November 2026")
    hank.get_by_role("button", name="Mark done").click()
    expect(hank.get_by_text(f"Done: {ITEM}")).to_be_visible()
    expect(hank.get_by_role("main").locator(".badge")).to_have_text("Done")
    expect(hank.get_by_role("button", name="Mark done")).to_have_count(0)
    hank.screenshot(path=str(SCREENSHOTS / "touchbase-item-done.png"), full_page=True)

    item.refresh_from_db()
    assert item.status == "done" and item.done_by == world.hank
    ask.refresh_from_db()
    assert ask.status == "done" and ask.closed_by == world.hank
    hank.get_by_role("link", name="My queue").first.click()
    expect(hank.get_by_role("link", name=f"{ITEM} (Backend Engineer)")).to_have_count(0)

    # rita sees it done on the meeting's page.
    page.reload()
    expect(items.get_by_role("listitem").filter(has_text=ITEM)).to_contain_text("Done")
