"""In a real browser, on a phone: rita groups her queue by job, the busiest job open, and
opening another job's group shows that job's candidates in place (htmx)."""

from __future__ import annotations

import pytest
from browser_login import my_queue, sign_in
from playwright.sync_api import expect

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create
from closeloop.pipeline.services import candidate_add

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db, world):
    job = job_create(
        by=world.rita,
        data={
            "title": "Frontend Engineer",
            "status": JobStatus.OPEN,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    candidate_add(job=job, by=world.rita, data={"full_name": "Fay Frontend"})
    return world


def test_rita_opens_one_jobs_group_of_her_queue(live_server, world, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "rita@example.com")
    my_queue(page, live_server.url)
    page.get_by_role("link", name="Group by job (2)").click()

    groups = page.locator("details.queue-group")
    expect(groups).to_have_count(2)
    expect(groups.nth(0)).to_have_attribute("open", "")
    expect(groups.nth(0)).to_contain_text("Sam Sourced")
    frontend = groups.nth(1)
    expect(frontend.get_by_role("link", name="Fay Frontend")).to_have_count(0)
    frontend.locator("summary").click()
    expect(frontend.get_by_role("link", name="Fay Frontend")).to_be_visible()
    expect(frontend.get_by_role("heading", name="Waiting on you 1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    context.close()
