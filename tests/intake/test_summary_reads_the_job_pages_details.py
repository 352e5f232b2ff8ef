"""The details the job page edits (title, team, location, headcount, escalation contact) are
the job's between agreements: an amendment keeps an edit made on the job page, even while it
awaited signatures. The agreement's summary (page and email) then says what the job says,
and that the version signed said otherwise, instead of a headcount the job page contradicts."""

from __future__ import annotations

import re

from django.urls import reverse
from intake_helpers import amend

from closeloop.intake.services import (
    intake_draft_start,
    intake_propose,
    intake_sign,
    intake_summary_send,
)
from closeloop.jobs.models import Job
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message


def amended_while_the_job_page_changed_the_headcount(world):
    """Version 2 proposed with headcount 1; the job page makes it 3; version 2 is signed."""
    draft = amend(intake_draft_start(job=world.job, by=world.rita, source="last"), world.rita)
    intake_propose(version=draft, by=world.rita)
    job_update(job=Job.objects.get(pk=world.job.pk), by=world.rita, data={"headcount": 3})
    version = intake_sign(version=draft, by=world.hank)
    assert version.headcount == 1 and Job.objects.get(pk=world.job.pk).headcount == 3
    return version


def headcount_shown(html: str) -> str:
    found = re.search(r"<dt>Headcount</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert found
    return " ".join(found.group(1).split())


def test_the_summary_shows_the_headcount_the_job_page_shows(signed, world, login):
    amended_while_the_job_page_changed_the_headcount(world)
    client = login(world.rita)
    job_page = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "3 to hire" in job_page
    summary = client.get(reverse("intake:summary", kwargs={"pk": world.job.pk}))
    shown = headcount_shown(summary.content.decode())
    assert shown.startswith("3 ") and "version 2 says 1" in shown


def test_the_emailed_summary_says_the_same(signed, world):
    version = amended_while_the_job_page_changed_the_headcount(world)
    intake_summary_send(version=version, by=world.rita, recipient=world.hank)
    body = Message.objects.filter(recipient=world.hank).latest("pk").body_text
    assert "Headcount: 3 (set on the job page; version 2 says 1)" in body


def test_a_superseded_version_keeps_its_own_words(signed, world, login):
    amended_while_the_job_page_changed_the_headcount(world)
    url = reverse("intake:summary", kwargs={"pk": world.job.pk}) + "?version=1"
    shown = headcount_shown(login(world.rita).get(url).content.decode())
    assert shown == "1"


def test_the_heading_names_the_job_as_the_job_page_renamed_it(signed, world, login):
    job_update(job=Job.objects.get(pk=world.job.pk), by=world.rita, data={"title": "QA Lead"})
    page = login(world.rita).get(reverse("intake:summary", kwargs={"pk": world.job.pk}))
    assert "<h1>QA Lead: intake agreement</h1>" in page.content.decode()
