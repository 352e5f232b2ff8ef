"""The calibration round's words agree with the job: a job with no submissions yet says its
first ones make the round on both the job panel and the round page (the page said they
"were made before calibration was recorded"); an ended job's short round says no more
submissions will fill it; and the panel says its asides in one bracket."""

from __future__ import annotations

import pytest
from calibration_helpers import rate, submit
from django.urls import reverse

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update
from closeloop.pipeline.models import Closeness, Submission, SubmissionDecision


def _round(client, job) -> str:
    html = client.get(reverse("partnership:calibration-round", args=[job.pk])).content.decode()
    return html.split('id="round-heading"')[1].split("</section>")[0]


def _panel(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html.split('id="calibration-heading"')[1].split("</section>")[0]


@pytest.mark.parametrize("status", [JobStatus.DRAFT, JobStatus.OPEN])
def test_a_job_without_submissions_says_the_same_on_both_pages(world, login, status):
    world.job.status = status
    world.job.save(update_fields=["status"])
    client = login(world.rita)
    said = "No submissions yet: the job&#x27;s first 5 make its calibration round."
    assert said in _panel(client, world.job)
    page = _round(client, world.job)
    assert said in page
    assert "made before calibration" not in page


def test_an_ended_jobs_short_round_is_not_filled_by_next_submissions(world, login):
    rate(submit(world.job), Closeness.CLOSE, note="Good.")
    client = login(world.rita)
    assert "The job&#x27;s next submissions fill the round up to 5." in _round(client, world.job)

    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})

    page = _round(client, world.job)
    assert "next submissions" not in page
    assert "The search ended before the round was full (1 of 5)." in page
    assert "(the search ended short of 5)" in _panel(client, world.job)


def test_an_ended_job_with_no_submissions_says_so(world, login):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    client = login(world.rita)
    said = "No calibration round: the search ended before any submission."
    assert said in _panel(client, world.job)
    assert said in _round(client, world.job)


def test_the_panel_says_its_asides_in_one_bracket(world, login):
    rate(submit(world.job), Closeness.CLOSE, note="Good.")
    waiting = submit(world.job)
    Submission.objects.filter(pk=waiting.pk).update(decision=SubmissionDecision.CLOSED)

    panel = " ".join(_panel(login(world.rita), world.job).split())

    assert "1 of 2 decided (1 closed before a decision; 5 in a round), 1 close." in panel
    assert ") (" not in panel


@pytest.mark.parametrize(
    ("rated", "words"),
    [(1, "its 1 rated decision counts in the figures"), (3, "its 3 rated decisions count in")],
)
def test_a_job_without_a_round_counts_its_rated_decisions_in_good_grammar(rated, words):
    from closeloop.partnership.calibration.selectors import RoundProgress

    progress = RoundProgress(
        size=5, submitted=4, decided=4, rated=0, close=0, closed=0,
        before_calibration=True, job_rated=rated,
    )  # fmt: skip
    assert words in progress.none_words
