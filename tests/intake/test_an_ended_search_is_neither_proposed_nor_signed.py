"""A draft begun, or a version proposed, while the search ran is not proposed or signed once
the job is filled or closed (an ended search needs no new agreement): the services refuse
with the words that refuse a start, the pages say them instead of offering the button, and
nobody is chased to sign. Reopened, the draft and the signing go on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.followups.models import Ask, AskStatus
from closeloop.intake.models import IntakeStatus
from closeloop.intake.selectors import intake_overview
from closeloop.intake.services import intake_propose, intake_sign, intake_summary_send
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message


def end(world, status=JobStatus.FILLED):
    job_update(job=world.job, by=world.rita, data={"status": status})
    world.job.refresh_from_db()


def reopen(world):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    world.job.refresh_from_db()


def open_sign_asks(world):
    return Ask.objects.filter(kind="sign_intake", status=AskStatus.OPEN, owner=world.hank)


def test_the_service_refuses_to_propose_a_draft_of_an_ended_search(world, drafted):
    end(world)
    with pytest.raises(ValidationError, match="filled; set it Open again to propose its intake"):
        intake_propose(version=drafted, by=world.rita)
    drafted.refresh_from_db()
    assert drafted.status == IntakeStatus.DRAFT


def test_the_service_refuses_to_sign_a_version_of_an_ended_search(world, proposed):
    end(world, JobStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed; set it Open again to sign its intake"):
        intake_sign(version=proposed, by=world.hank)
    proposed.refresh_from_db()
    assert proposed.status == IntakeStatus.PROPOSED


def test_reopened_the_draft_is_proposed_and_signed(world, drafted):
    end(world)
    reopen(world)
    version = intake_propose(version=drafted, by=world.rita)
    assert intake_sign(version=version, by=world.hank).status == IntakeStatus.SIGNED


def test_nobody_is_chased_to_sign_for_an_ended_search_until_it_reopens(world, proposed):
    assert open_sign_asks(world).count() == 1
    end(world)
    assert not open_sign_asks(world).exists()
    reopen(world)
    assert open_sign_asks(world).count() == 1
    assert intake_sign(version=proposed, by=world.hank).status == IntakeStatus.SIGNED
    assert not open_sign_asks(world).exists()


def test_the_review_page_says_why_instead_of_offering_to_propose(world, drafted, login):
    end(world)
    client = login(world.rita)
    html = client.get(reverse("intake:draft-step", args=[world.job.pk, "review"])).content
    html = html.decode()
    assert "set it Open again to propose its intake" in html
    assert reverse("intake:propose", args=[world.job.pk]) not in html
    overview = client.get(reverse("intake:overview", args=[world.job.pk])).content.decode()
    assert "set it Open again to propose its intake" in overview
    assert "Review and propose" not in overview


def test_a_proposal_posted_from_a_page_read_before_the_close_proposes_nothing(
    world, drafted, login
):
    client = login(world.rita)
    end(world)
    response = client.post(reverse("intake:propose", args=[world.job.pk]), {})
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.status == IntakeStatus.DRAFT


def test_the_version_page_says_why_instead_of_offering_to_sign(world, proposed, login):
    end(world)
    client = login(world.hank)
    url = reverse("intake:version", args=[world.job.pk, proposed.number])
    html = client.get(url).content.decode()
    assert "set it Open again to sign its intake" in html
    assert reverse("intake:sign", args=[world.job.pk, proposed.number]) not in html
    panel = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "It is your turn to sign" not in panel
    overview = client.get(reverse("intake:overview", args=[world.job.pk])).content.decode()
    assert "set it Open again to sign its intake" in overview
    assert "and sign</a>" not in overview


def test_the_version_page_offers_no_amendment_of_an_ended_search(world, signed, login):
    client = login(world.rita)
    url = reverse("intake:version", args=[world.job.pk, signed.number])
    assert "Change it (a new version)" in client.get(url).content.decode()
    end(world)
    assert "Change it (a new version)" not in client.get(url).content.decode()


def test_an_ended_search_awaits_nobody_on_its_intake_status_line(world, proposed):
    assert "awaiting Hank" in intake_overview(job=world.job).status_line
    end(world)
    overview = intake_overview(job=world.job)
    assert "awaiting" not in overview.status_line
    assert overview.status_line == (
        "Version 1 proposed by Rita; not signed by Hank before the search ended."
    )
    assert overview.awaiting == []
    assert overview.ended_unsigned == [world.hank]


def test_the_panel_and_the_overview_of_an_ended_search_wait_for_nobody(world, proposed, login):
    end(world, JobStatus.CLOSED)
    client = login(world.rita)
    panel = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "Awaiting signatures" not in panel
    assert "not signed by Hank before the search ended" in panel
    overview = client.get(reverse("intake:overview", args=[world.job.pk])).content.decode()
    assert "awaits signatures" not in overview
    assert "waiting for" not in overview
    assert "before the search ended" in overview


def test_the_version_and_summary_pages_of_an_ended_search_wait_for_nobody(world, proposed, login):
    client = login(world.rita)
    version = reverse("intake:version", args=[world.job.pk, proposed.number])
    summary = reverse("intake:summary", args=[world.job.pk])
    assert "Waiting</span> for Hank" in client.get(version).content.decode()
    assert "Awaiting Hank" in client.get(summary).content.decode()
    end(world)
    page = client.get(version).content.decode()
    assert "Waiting</span>" not in page
    assert "Not signed</span> Hank Manager (hiring manager): the search ended first" in page
    assert "Awaiting signatures" not in page  # the version's badge
    page = client.get(summary).content.decode()
    assert "Awaiting" not in page
    assert "Not signed by Hank Manager before the search ended" in page


def test_the_summary_sent_after_the_search_ended_says_not_signed(world, proposed):
    intake_summary_send(version=proposed, by=world.rita, recipient=world.hank)
    end(world)
    proposed.refresh_from_db()  # and its job, as the page sending it reads them
    proposed.job.refresh_from_db()
    intake_summary_send(version=proposed, by=world.rita, recipient=world.hank)
    before, after = Message.objects.filter(template="intake-summary").order_by("pk")
    assert "version 1 (awaiting signatures)" in before.body_text
    assert "version 1 (not signed)" in after.body_text


def test_a_draft_left_when_the_search_ended_is_not_being_written(world, drafted):
    assert intake_overview(job=world.job).status_line.endswith(".")
    assert "not proposed" not in intake_overview(job=world.job).status_line
    end(world)
    line = intake_overview(job=world.job).status_line
    assert line.endswith("; not proposed before the search ended."), line
