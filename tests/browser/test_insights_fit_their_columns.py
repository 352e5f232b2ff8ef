"""The insights pages with their tables of waits summed side by side ("By person", "By
stage", "By job"): on a desk (1280 px) and on a phone (390 px), no table is wider than its
box, so no heading ("Longest (business days)") or figure is cut behind a scrollbar.
Screenshots land in test-results/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_login import assert_fits

from closeloop.accounts.models import User
from closeloop.followups.models import Ask
from closeloop.pipeline.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
SIZES = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def waits(world):
    """Candidates waiting now on hank and rita, on two jobs, and a follow-up answered in the
    last 90 days about each: every table of waits summed has rows."""
    User.objects.filter(pk=world.hank.pk).update(is_admin=True)
    owners = [(world.sourced, world.rita), (world.interviewed, world.hank)]
    owners.append((world.other_application, world.rita))
    for days, (application, owner) in enumerate(owners, start=5):
        since = MONDAY_10 - dt.timedelta(days=days)
        Application.objects.filter(pk=application.pk).update(
            next_move_owner=owner, next_move_since=since, entered_stage_at=since
        )
        Ask.objects.create(
            owner=owner, job=application.job, application=application, stage=application.stage,
            kind="review_submission", subject=f"test:{application.pk}", title="Something owed",
            opened_at=since, due_at=since + dt.timedelta(days=1), status="done",
            closed_at=since + dt.timedelta(days=3), closed_by=owner, response_seconds=20 * 3600,
        )  # fmt: skip
    return world


def test_the_tables_of_waits_summed_fit_their_columns(live_server, waits, page_for):
    page = page_for(waits.hank)
    for size in SIZES:
        page.set_viewport_size(size)
        for path in ("/insights/waits/", f"/insights/jobs/{waits.job.pk}/"):
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            assert page.locator(".wait-sums table").count() >= 4, path
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)
            assert_fits(page, size["width"], path)
