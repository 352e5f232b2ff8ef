"""Rated decisions for the calibration tests, made through the pipeline's own services."""

from __future__ import annotations

import itertools

import time_machine

from closeloop.pipeline.models import Closeness
from closeloop.pipeline.services import (
    Calibration,
    application_submit,
    candidate_add,
    submission_decide,
)

_names = itertools.count(1)


def submit(job, *, by=None, pitch="Fits the role.", met=()):
    """A new candidate on `job`, submitted to its hiring manager; returns the submission."""
    n = next(_names)
    by = by or job.recruiter
    data = {"full_name": f"Cand {n} Idate", "email": f"cand{n}@cal.example"}
    application = candidate_add(job=job, by=by, data=data).application
    return application_submit(application=application, by=by, pitch=pitch, must_haves_met=list(met))


def rate(submission, closeness, *, note="Because.", met=(), at=None):
    """The job's hiring manager decides (advance when close, pass when not) with a rating."""
    job = submission.application.job
    close = closeness >= Closeness.CLOSE
    calibration = Calibration(closeness, tuple(met), note)

    def decide():
        return submission_decide(
            submission=submission,
            by=job.hiring_manager,
            decision="advanced" if close else "passed",
            reason="" if close else "skills",
            calibration=calibration,
        )

    if at is None:
        return decide()
    with time_machine.travel(at, tick=False):
        return decide()


def rated(job, closeness, *, at=None, **kwargs):
    """A submission on `job`, submitted and rated (at `at`, when given)."""
    if at is None:
        return rate(submit(job), closeness, **kwargs)
    with time_machine.travel(at, tick=False):
        submission = submit(job)
    return rate(submission, closeness, at=at, **kwargs)
