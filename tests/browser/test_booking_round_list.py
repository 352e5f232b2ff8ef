"""Picking another round in the booking form's Round list prefills its length, panel and
notes in the browser, as the plan's links do; what was changed by hand stays."""

from __future__ import annotations

import pytest
from browser_login import sign_in
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]


def test_the_round_list_prefills_the_round_picked(live_server, world, page, password):
    from closeloop.accounts.models import User
    from closeloop.jobs.models import InterviewRound

    jonas = User.objects.create_user(
        "jonas@example.com", password, full_name="Jonas Interviewer", is_interviewer=True
    )
    technical = InterviewRound.objects.create(
        job=world.job, position=0, name="Technical", duration_minutes=60,
        focus_attributes=["Python"],
    )  # fmt: skip
    technical.interviewers.set([world.ivy])
    design = InterviewRound.objects.create(
        job=world.job, position=1, name="System design", duration_minutes=90,
        focus_attributes=["Distributed systems"],
    )  # fmt: skip
    design.interviewers.set([jonas])
    sign_in(page, live_server.url, world.rita.email)
    page.goto(f"{live_server.url}/applications/{world.interviewed.pk}/interviews/new/")
    length = page.get_by_label("Length (minutes)")
    expect(length).to_have_value("60")
    page.locator("select[name=round]").select_option(str(design.pk))
    expect(length).to_have_value("90")
    expect(page.get_by_label("Jonas Interviewer")).to_be_checked()
    expect(page.get_by_label(world.ivy.full_name)).not_to_be_checked()
    expect(page.get_by_label("Notes for the interviewers")).to_have_value(
        "Probe: Distributed systems.\n- Distributed systems: ask for a concrete example."
    )
    # Changed by hand, the length stays when the round changes again.
    length.fill("45")
    page.locator("select[name=round]").select_option(str(technical.pk))
    expect(length).to_have_value("45")
    expect(page.get_by_label(world.ivy.full_name)).to_be_checked()
