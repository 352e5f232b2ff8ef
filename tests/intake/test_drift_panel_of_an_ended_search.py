"""The drift flags of a filled or closed job stay on its page as a record, but no longer
promise "the next touch-base agenda": the search ended, and its meetings with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from intake_helpers import add_candidate

from closeloop.jobs.models import JobOutcome, JobStatus
from closeloop.jobs.services import job_update
from closeloop.pipeline.services import application_submit, submission_decide

NEXT_AGENDA = "These go on the next touch-base agenda."


@pytest.fixture
def drifted(signed, world, clock):
    """hank passes three in a row for a reason the agreement does not list."""
    for index in range(3):
        clock.shift(dt.timedelta(hours=1))
        application = add_candidate(world.job, world.rita, f"Off List{index}")
        submission = application_submit(application=application, by=world.rita, pitch="Good.")
        submission_decide(
            submission=submission, by=world.hank, decision="passed", reason="experience"
        )
    return world.job


def drift_panel(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html.split('id="drift-heading-')[1].split("</div>")[0]


def test_a_running_search_promises_the_next_agenda(world, drifted, login):
    assert NEXT_AGENDA in drift_panel(login(world.rita), drifted)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"status": JobStatus.FILLED}, "filled"),
        ({"status": JobStatus.CLOSED, "outcome": JobOutcome.FAILED}, "closed"),
    ],
)
def test_an_ended_search_keeps_its_flags_without_promising_a_meeting(
    world, drifted, login, data, said
):
    job_update(job=world.job, by=world.rita, data=data)
    for person in (world.rita, world.hank):
        text = drift_panel(login(person), drifted)
        assert "3 passes in a row" in text
        assert NEXT_AGENDA not in text
        assert (
            f"The search has ended (the job is {said}), so no touch-base will take these up" in text
        )
