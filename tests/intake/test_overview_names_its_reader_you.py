"""The intake overview names its reader "you", as every page does: "awaiting you" to the
one whose signature it waits for, "proposed by you" to the proposer; others by name."""

from __future__ import annotations

import re

from django.urls import reverse
from intake_helpers import amend

from closeloop.intake.services import intake_draft_start, intake_propose


def _page(client, job) -> str:
    html = client.get(reverse("intake:overview", kwargs={"pk": job.pk})).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_one_it_waits_for_reads_awaiting_you(signed, world, login):
    draft = amend(intake_draft_start(job=world.job, by=world.hank, source="last"), world.hank)
    intake_propose(version=draft, by=world.hank)
    rita = _page(login(world.rita), world.job)
    assert "Version 2 proposed as an amendment by Hank, awaiting you." in rita
    assert "waiting for you." in rita
    assert "awaiting Rita" not in rita and "waiting for Rita" not in rita
    hank = _page(login(world.hank), world.job)
    assert "Version 2 proposed as an amendment by you, awaiting Rita." in hank
    assert "Proposed by you" in hank and "waiting for Rita Recruiter." in hank


def test_an_admin_reads_both_by_name(proposed, world, login):
    ada = _page(login(world.ada), world.job)
    assert "Version 1 proposed by Rita, awaiting Hank." in ada
    assert "Proposed by Rita Recruiter" in ada and "waiting for Hank Manager." in ada


def test_the_job_page_says_it_too(proposed, world, login):
    page = login(world.hank).get(reverse("jobs:job-detail", args=[world.job.pk]))
    assert "Version 1 proposed by Rita, awaiting you." in page.content.decode()
