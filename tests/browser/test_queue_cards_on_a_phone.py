"""On a phone (390 px), the numbers in My queue's cards stay on one line: "11", not "1" over
"1" (the main text may break anywhere, and a flex item shrinks to its narrowest). A
screenshot goes to test-results/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_login import my_queue, sign_in
from django.utils import timezone

from closeloop.followups.models import Ask, AskStatus
from closeloop.pipeline.models import Application, Candidate, Submission

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}

# How many lines each card's number takes: one rectangle per line of its text.
NUMBER_LINES = """() => [...document.querySelectorAll('.queue-card-number')].map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return [el.textContent.trim(), range.getClientRects().length];
})"""


def overdue_asks(world, n: int) -> None:
    """`n` overdue asks owed by hank, at the admins' rung: ada's cards count them (ORM)."""
    now = timezone.now()
    Ask.objects.bulk_create(
        Ask(
            kind="review_submission",
            subject=f"test:phone:{i}",
            title=f"Review number {i}",
            owner=world.hank,
            job=world.job,
            application=world.sourced,
            status=AskStatus.OPEN,
            level=2,
            opened_at=now - dt.timedelta(days=5),
            due_at=now - dt.timedelta(days=1, hours=i),
        )
        for i in range(n)
    )


def pending_submissions(world, n: int) -> None:
    """`n` candidates submitted to hank, waiting for his decision (ORM)."""
    candidates = Candidate.objects.bulk_create(
        Candidate(full_name=f"Pending {i:02d}", email=f"pending{i}@phone.example") for i in range(n)
    )
    stage = world.job.stages.order_by("position").first()
    applications = Application.objects.bulk_create(
        Application(candidate=candidate, job=world.job, stage=stage, next_move_owner=world.hank)
        for candidate in candidates
    )
    Submission.objects.bulk_create(
        Submission(application=application, submitted_by=world.rita, pitch="Strong fit.")
        for application in applications
    )


@pytest.mark.parametrize(
    ("who", "fill"), [("hank", pending_submissions), ("ada", overdue_asks)], ids=["hm", "admin"]
)
def test_two_digit_numbers_stay_on_one_line_in_the_cards(live_server, world, browser, who, fill):
    SCREENSHOTS.mkdir(exist_ok=True)
    fill(world, 11)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, f"{who}@example.com")
        my_queue(page, live_server.url)
        page.locator(".queue-cards").first.screenshot(
            path=str(SCREENSHOTS / f"queue-cards-390-{who}.png")
        )
        lines = page.evaluate(NUMBER_LINES)
        assert ["11", 1] in lines, lines
        assert all(count == 1 for _, count in lines), lines
    finally:
        context.close()
