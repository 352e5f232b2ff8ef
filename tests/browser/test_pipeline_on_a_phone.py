"""On a phone: a crowded job's board, its "Show all" list a page at a time, and a long timeline.

rita opens a job with 62 candidates in Sourced: the column shows its longest-waiting cards and
"Show all 62", which opens the list filtered to Sourced, 50 rows a page; the pager reaches
page 2. Carla's candidate page shows her newest events and "Older events". Every page fits
the 390 px screen. Screenshots go to test-results/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from browser_login import sign_in
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}

WIDER_THAN_THE_PHONE = """(width) => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width)
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


def assert_fits_the_phone(page) -> None:
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDER_THAN_THE_PHONE, PHONE["width"]) if scroll_width > 390 else []
    assert scroll_width <= PHONE["width"], (
        f"{page.url} scrolls sideways ({scroll_width} px): {wide}"
    )


def crowd(world, n: int, stage: str = "Sourced", prefix: str = "Crowd") -> None:
    """`n` more candidates in `stage`, waiting longer than Carla and Sam (plain ORM)."""
    from closeloop.pipeline.models import Application, Candidate

    now, in_stage = timezone.now(), world.job.stages.get(name=stage)
    candidates = Candidate.objects.bulk_create(
        Candidate(
            full_name=f"{prefix} {i:03d}",
            email=f"{prefix.lower()}{i}@crowd.example",
            current_title="Senior Engineer",
            current_company="Initech",
        )
        for i in range(n)
    )
    Application.objects.bulk_create(
        Application(
            candidate=candidate,
            job=world.job,
            stage=in_stage,
            entered_stage_at=now - dt.timedelta(days=1, hours=i),
            next_move_owner=world.rita,
            next_move_since=now - dt.timedelta(days=1, hours=i),
        )
        for i, candidate in enumerate(candidates)
    )


def long_history(application, n: int) -> None:
    from closeloop.activity.models import Activity

    now = timezone.now()
    Activity.objects.bulk_create(
        Activity(
            kind="closeloop.note",
            at=now + dt.timedelta(minutes=n - i),
            job_id=application.job_id,
            candidate_id=application.candidate_id,
            application=application,
            summary=f"Called Carla about the role, round {i:03d}",
            detail="She asked about on-call and the team's release cadence.",
        )
        for i in range(n)
    )


def test_rita_reads_a_crowded_pipeline_on_a_phone(live_server, world, phone):
    SCREENSHOTS.mkdir(exist_ok=True)
    crowd(world, 60)
    # A crowded column off the screen: its "Show all" must not widen the page.
    crowd(world, 20, stage="Offer", prefix="Offered")
    long_history(world.interviewed, 60)
    page = phone
    sign_in(page, live_server.url, "rita@example.com")

    # The board: Sourced shows its longest-waiting cards and the column's true count.
    page.goto(f"{live_server.url}/jobs/{world.job.pk}/")
    sourced = page.get_by_role("region", name=re.compile("^Sourced"))
    expect(sourced.get_by_label("62 candidates")).to_be_visible()
    expect(sourced.get_by_role("listitem")).to_have_count(15)
    expect(sourced.get_by_role("listitem").first).to_contain_text("Crowd 059")
    assert_fits_the_phone(page)
    page.screenshot(path=str(SCREENSHOTS / "pipeline-phone-board.png"), full_page=True)

    show_all = sourced.get_by_role("link", name="Show all 62 in Sourced")
    show_all.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "pipeline-phone-board-show-all.png"))

    # "Show all 62" opens the list of Sourced, 50 rows a page, in the same order.
    show_all.click()
    expect(page.get_by_role("combobox", name="Stage", exact=True)).to_have_value(
        str(world.job.stages.get(name="Sourced").pk)
    )
    rows = page.locator("table.pipeline-list tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("Crowd 059")
    expect(page.get_by_role("navigation", name="Pages of candidates")).to_contain_text(
        "Page 1 of 2"
    )
    assert_fits_the_phone(page)
    # One card per candidate: nothing of a row is off to the side, and the column headers
    # stay as sort links.
    widths = page.evaluate(
        "() => { const t = document.querySelector('table.pipeline-list');"
        " return [t.scrollWidth, t.parentElement.clientWidth]; }"
    )
    assert widths[0] <= widths[1], widths
    headers = page.locator("table.pipeline-list thead")
    expect(headers.get_by_role("link", name=re.compile("^Time in stage"))).to_be_visible()
    page.get_by_role("combobox", name="Stage", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "pipeline-phone-list.png"))
    page.get_by_role("navigation", name="Pages of candidates").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "pipeline-phone-list-pager.png"))
    page.get_by_role("navigation", name="Pages of candidates").get_by_role(
        "link", name="Next"
    ).click()
    expect(page.get_by_role("navigation", name="Pages of candidates")).to_contain_text(
        "Page 2 of 2"
    )
    expect(rows).to_have_count(12)
    expect(rows.last).to_contain_text("Sam Sourced")
    assert_fits_the_phone(page)
    page.screenshot(path=str(SCREENSHOTS / "pipeline-phone-list-page-2.png"))

    # Carla's page: her newest events, and the older ones on demand.
    page.goto(
        live_server.url
        + reverse("pipeline:candidate-detail", args=[world.interviewed.candidate_id])
    )
    expect(page.get_by_text("Called Carla about the role, round 000")).to_be_visible()
    expect(page.get_by_text("Called Carla about the role, round 050")).to_have_count(0)
    assert_fits_the_phone(page)
    older = page.get_by_role("link", name="Older events")
    older.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "pipeline-phone-candidate.png"))
    older.click()
    expect(page.get_by_text("Called Carla about the role, round 050")).to_be_visible()
    expect(page.get_by_role("link", name="Newest events").first).to_be_visible()
    assert_fits_the_phone(page)
    page.screenshot(path=str(SCREENSHOTS / "pipeline-phone-candidate-older.png"))
