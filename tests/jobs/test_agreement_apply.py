"""`job_agreement_apply`: the one door through which a signed agreement sets its job's terms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from closeloop.jobs.models import Job
from closeloop.jobs.services import job_agreement_apply


def _row(job: Job) -> dict:
    return Job.objects.values().get(pk=job.pk)


def test_the_terms_are_set_and_nothing_else_moves(world):
    before = _row(world.job)
    job_agreement_apply(
        job=world.job,
        terms={"must_haves": "Go", "headcount": 3, "service_levels": {"review_submission": 2}},
    )
    after = _row(world.job)
    assert after["must_haves"] == "Go" and after["headcount"] == 3
    assert after["service_levels"] == {"review_submission": 2}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"must_haves", "headcount", "service_levels"}


@pytest.mark.parametrize(
    "terms",
    [{"status": "closed"}, {"hiring_manager_id": 1}, {"recruiter": None}, {"title": "x", "pk": 9}],
)
def test_what_an_agreement_does_not_own_is_refused_and_nothing_changes(world, terms):
    before = _row(world.job)
    with pytest.raises(ValueError, match="An agreement does not set"):
        job_agreement_apply(job=world.job, terms=terms)
    assert _row(world.job) == before


def test_bad_service_levels_are_refused_before_anything_changes(world):
    before = _row(world.job)
    with pytest.raises(ValidationError):
        job_agreement_apply(
            job=world.job, terms={"must_haves": "Go", "service_levels": {"no_such_kind": 1}}
        )
    assert _row(world.job) == before
    assert world.job.must_haves == before["must_haves"]  # not even the object in memory
