"""The job page edits some of the details an agreement hands over (title, team, location,
remote, headcount, escalation contact). An amendment never undoes such an edit: a draft
starts from the job as it is now, signing hands one over only when the version itself
changes it, and the diff does not count the job page's edit as the version's change."""

from __future__ import annotations

from django.urls import reverse
from intake_helpers import amend

from closeloop.intake.selectors import intake_previous, version_diff
from closeloop.intake.services import (
    AGREED_FIELDS,
    intake_draft_save,
    intake_draft_start,
    intake_propose,
    intake_sign,
)
from closeloop.jobs.models import Job
from closeloop.jobs.services import job_update

RENAMED = "Staff Backend Engineer"


def rename(world, title: str = RENAMED) -> None:
    job_update(job=Job.objects.get(pk=world.job.pk), by=world.rita, data={"title": title})


def agreed(version) -> dict:
    names = [n for n in AGREED_FIELDS if n != "escalation_contact"] + ["escalation_contact_id"]
    return {name: getattr(version, name) for name in names}


def test_a_draft_from_the_last_version_keeps_the_rename_and_signing_it_keeps_it(signed, world):
    rename(world)
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    assert draft.title == RENAMED
    assert {**agreed(draft), "title": signed.title} == agreed(signed)
    draft = amend(draft, world.rita)
    intake_propose(version=draft, by=world.rita)
    intake_sign(version=draft, by=world.hank)
    assert Job.objects.get(pk=world.job.pk).title == RENAMED


def test_a_rename_while_a_version_awaits_signatures_survives_the_signature(signed, world):
    draft = amend(intake_draft_start(job=world.job, by=world.rita, source="last"), world.rita)
    intake_propose(version=draft, by=world.rita)
    rename(world)
    intake_sign(version=draft, by=world.hank)
    job = Job.objects.get(pk=world.job.pk)
    assert job.title == RENAMED
    assert job.must_haves == draft.must_haves  # the rest of the agreement was handed over


def test_a_version_that_changes_the_title_itself_hands_it_over(signed, world):
    rename(world)
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    draft = intake_draft_save(
        version=draft, by=world.rita, step="role", data={"title": "Principal Engineer"}
    )
    rows = {row.key: row for row in version_diff(old=signed, new=draft)}
    assert rows["title"].changed and not rows["title"].note
    intake_propose(version=draft, by=world.rita)
    intake_sign(version=draft, by=world.hank)
    assert Job.objects.get(pk=world.job.pk).title == "Principal Engineer"


def test_the_diff_does_not_count_the_job_pages_rename_as_the_drafts_change(signed, world):
    rename(world)
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    rows = {row.key: row for row in version_diff(old=intake_previous(version=draft), new=draft)}
    title = rows["title"]
    assert [i.text for i in title.old] == [signed.title]
    assert [i.text for i in title.new] == [RENAMED]
    assert not title.changed
    assert title.note == "Changed on the job page, not by this version."
    assert [row.key for row in rows.values() if row.changed] == []


def test_the_review_step_says_the_job_page_changed_the_title(signed, world, login):
    rename(world)
    intake_draft_start(job=world.job, by=world.rita, source="last")
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "review"})
    page = login(world.rita).get(url).content.decode()
    assert "Changed on the job page, not by this version." in page
    assert RENAMED in page
