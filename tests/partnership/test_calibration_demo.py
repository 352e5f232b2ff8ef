"""The demo's calibration (issue 13, items 1 and 6): ratings that match the decisions, a
round with sentences on Senior Backend Engineer, a low figure on Site Reliability Engineer,
and submissions left waiting on hank so his ratings move the job's figure."""

from __future__ import annotations

from demo_fixtures import *  # noqa: F403  (the seeded demo: seeded, demo)
from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.jobs.models import Job
from closeloop.partnership.calibration.selectors import (
    calibration_job_figures,
    calibration_recent,
    calibration_round,
)
from closeloop.pipeline.models import Closeness, Submission, SubmissionDecision
from closeloop.pipeline.services import Calibration, submission_decide
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.selectors import agenda_build, touchbase_current


def _job(title: str) -> Job:
    return Job.objects.get(title=title)


def test_every_decision_by_a_hiring_manager_is_rated_in_line_with_it(demo):
    decided = Submission.objects.exclude(decision=SubmissionDecision.PENDING).select_related(
        "application__job"
    )
    by_hm = [s for s in decided if s.decided_by_id == s.application.job.hiring_manager_id]
    assert demo["calibration_ratings"] == len(by_hm) > 50
    assert all(s.closeness for s in by_hm)
    advanced = [s.closeness for s in by_hm if s.decision == SubmissionDecision.ADVANCED]
    passed = [s.closeness for s in by_hm if s.decision == SubmissionDecision.PASSED]
    assert sum(c >= Closeness.CLOSE for c in advanced) > len(advanced) / 2
    assert sum(c < Closeness.CLOSE for c in passed) > len(passed) / 2


def test_senior_backend_engineer_has_its_round_with_hanks_sentences(demo):
    job = _job("Senior Backend Engineer")
    rows = list(calibration_round(job=job))
    assert len(rows) == 5
    # A candidate who withdrew while hank's review waited was never rated; every one he
    # decided carries his rating and his sentence.
    rated = [row for row in rows if row.decided_by_id == job.hiring_manager_id]
    assert len(rated) >= 3
    assert all(row.calibration_note and row.closeness for row in rated)
    assert not any(row.calibration_note for row in rows if row not in rated)
    or_none = Submission.objects.filter(in_calibration_round=True).exclude(application__job=job)
    assert not or_none.exists()


def test_site_reliability_engineer_is_flagged_on_the_next_agenda(demo):
    job = _job("Site Reliability Engineer")
    assert calibration_recent(job=job).is_low
    series = TouchbaseSeries.objects.get(job=job)
    agenda = agenda_build(touchbase=touchbase_current(series=series))
    [section] = [s for s in agenda["sections"] if s["key"] == "calibration"]
    assert section["items"][0]["text"].endswith("review the must-haves?")


def test_hanks_three_ratings_move_the_jobs_figure(demo, client):
    job = _job("Senior Backend Engineer")
    hank = User.objects.get(email="hank@example.com")
    waiting = list(Submission.objects.filter(application__job=job, decision="pending")[:3])
    assert len(waiting) == 3
    before = calibration_job_figures(job=job, zone=hank.zone).total
    for submission in waiting:
        submission_decide(
            submission=submission,
            by=hank,
            decision="advanced",
            calibration=Calibration(Closeness.SPOT_ON, (), "Spot on."),
        )
    after = calibration_job_figures(job=job, zone=hank.zone).total
    assert (after.rated, after.close) == (before.rated + 3, before.close + 3)
    client.force_login(hank)
    page = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert f"{after.close} of {after.rated} decided submissions" in page
