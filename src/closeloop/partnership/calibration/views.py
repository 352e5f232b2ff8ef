"""Calibration pages: a job's calibration round, and a recruiter's calibration across jobs.

Read-only; the ratings are written by the pipeline's decision. Who may see each page is the
selectors' call (`calibration_job_get`, `calibration_person_scope`): anyone else gets 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.lib.pages import page_get
from closeloop.partnership.calibration.selectors import (
    calibration_job_figures,
    calibration_job_get,
    calibration_person_figures,
    calibration_person_jobs,
    calibration_person_readable,
    calibration_person_scope,
    calibration_round,
    calibration_round_progress,
)

ROUND_PER_PAGE = 20
JOBS_PER_PAGE = 20


@login_required
@require_safe
def calibration_round_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job's calibration round side by side: each submission, how close the decider
    found it, the must-haves met and missed, the sentence, who and when; and the trend."""
    job = calibration_job_get(user=request.user, pk=pk)
    context = {
        "job": job,
        "page": page_get(
            calibration_round(job=job), request.GET.get("page"), per_page=ROUND_PER_PAGE
        ),
        "progress": calibration_round_progress(job=job),
        "figures": calibration_job_figures(job=job, zone=request.user.zone),
        "recruiter_readable": calibration_person_readable(
            viewer=request.user, person=job.recruiter
        ),
        "nav": "jobs",
    }
    return render(request, "partnership/calibration/round.html", context)


@login_required
@require_safe
def calibration_person_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """A recruiter's calibration: the share of their submissions rated close or better,
    week by week and per job (for a teammate: on the jobs they share)."""
    scope = calibration_person_scope(viewer=request.user, pk=pk)
    jobs = calibration_person_jobs(scope=scope)
    context = {
        "scope": scope,
        "person": scope.person,
        "figures": calibration_person_figures(scope=scope, zone=request.user.zone),
        "page": page_get(jobs, request.GET.get("page"), per_page=JOBS_PER_PAGE),
    }
    return render(request, "partnership/calibration/person.html", context)
