"""While a signed intake is in force, the job's must-haves and service levels belong to it:
the job form hides them and `job_update` refuses them with a clear message, changing nothing.
Jobs declares the fields; the intake tells jobs whether an agreement is in force."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from closeloop.jobs.models import Job
from closeloop.jobs.selectors import AGREEMENT_FIELDS, job_agreement_in_force
from closeloop.jobs.services import job_update


def test_jobs_declares_the_fields_an_agreement_owns():
    assert set(AGREEMENT_FIELDS) == {"must_haves", "service_levels"}


def test_a_job_without_a_signed_intake_has_no_agreement_and_its_must_haves_change(world):
    assert job_agreement_in_force(job=world.job) is None
    job_update(job=world.job, by=world.rita, data={"must_haves": "Go"})
    assert Job.objects.get(pk=world.job.pk).must_haves == "Go"


def test_the_signed_version_is_the_agreement_in_force(world, signed):
    assert job_agreement_in_force(job=world.job) == signed


def test_job_update_refuses_must_haves_while_an_agreement_is_in_force(world, signed):
    before = Job.objects.get(pk=world.job.pk)
    with pytest.raises(ValidationError) as refusal:
        job_update(job=world.job, by=world.rita, data={"must_haves": "Go", "title": "Other"})
    assert refusal.value.message_dict == {
        "must_haves": [
            "The must-haves come from the signed intake agreement; amend the intake to change them."
        ]
    }
    after = Job.objects.get(pk=world.job.pk)
    assert (after.must_haves, after.title) == (before.must_haves, before.title)


def test_job_update_refuses_service_levels_while_an_agreement_is_in_force(world, signed):
    with pytest.raises(ValidationError) as refusal:
        job_update(job=world.job, by=world.rita, data={"service_levels": {"review_submission": 4}})
    assert list(refusal.value.message_dict) == ["service_levels"]


def test_unchanged_agreed_fields_and_other_fields_still_save(world, signed):
    job = Job.objects.get(pk=world.job.pk)
    job_update(job=job, by=world.rita, data={"must_haves": job.must_haves, "title": "Renamed"})
    assert Job.objects.get(pk=world.job.pk).title == "Renamed"
