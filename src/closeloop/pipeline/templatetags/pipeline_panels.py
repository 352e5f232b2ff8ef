"""The pipeline's panels on the job page (jobs owns the page; the pipeline fills its slots),
and the submission's badge on the application page (`submission|submission_state`).

`{% pipeline_job_waiting job %}`: who the pipeline waits on. `{% pipeline_job_board job %}`:
the board or the sortable list (`?view=list&sort=…`), with the closed applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import reverse

from closeloop.jobs.selectors import job_can_manage
from closeloop.pipeline.selectors import (
    APPLICATION_SORTS,
    application_pending_submission_ids,
    job_application_rows,
    job_board,
    job_waiting_on,
    submission_state,
)

if TYPE_CHECKING:
    from closeloop.pipeline.models import Submission

register = template.Library()


@register.filter(name="submission_state")
def submission_state_filter(submission: Submission) -> str:
    """The submission's badge: "Waiting for Rita's answer" while a question is open."""
    return submission_state(submission=submission)


@dataclass
class SortHeader:
    """One sortable column header of the list view."""

    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)


# key -> (label, whether the plain key lists the largest value first)
LIST_COLUMNS = {
    "name": ("Candidate", False),
    "stage": ("Stage", False),
    "waiting": ("Time in stage", True),  # "waiting" = longest in stage first
    "owner": ("Whose move", False),
}


def _sort_headers(job: Any, sort: str) -> dict[str, SortHeader]:
    base = reverse("jobs:job-detail", kwargs={"pk": job.pk})
    headers = {}
    for key, (label, largest_first) in LIST_COLUMNS.items():
        active = sort.lstrip("-") == key
        reversed_ = sort.startswith("-")
        next_sort = f"-{key}" if active and not reversed_ else key
        aria = ""
        if active:
            aria = "descending" if reversed_ != largest_first else "ascending"
        headers[key] = SortHeader(label, f"{base}?view=list&sort={next_sort}", aria)
    return headers


@register.inclusion_tag("pipeline/_job_waiting.html", takes_context=True)
def pipeline_job_waiting(context: dict[str, Any], job: Any) -> dict[str, Any]:
    user = context["user"]
    return {
        "job": job,
        "user": user,
        "waiting_on": job_waiting_on(user=user, job=job),
        "can_manage": job_can_manage(user=user, job=job),
    }


@register.inclusion_tag("pipeline/_job_board.html", takes_context=True)
def pipeline_job_board(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """The job's pipeline as columns per stage, or as a sortable list (`?view=list`)."""
    user, query = context["user"], context["request"].GET
    view = "list" if query.get("view") == "list" else "board"
    panel: dict[str, Any] = {
        "job": job,
        "user": user,
        "view": view,
        "can_manage": job_can_manage(user=user, job=job),
        "pending_ids": application_pending_submission_ids(job=job),
    }
    if view == "list":
        sort = query.get("sort", "waiting")
        sort = sort if sort in APPLICATION_SORTS else "waiting"
        listing = job_application_rows(user=user, job=job, sort=sort)
        panel.update(
            rows=listing.rows,
            closed=listing.closed,
            stale_after_days=listing.stale_after_days,
            headers=_sort_headers(job, sort),
            sort=sort,
        )
    else:
        board = job_board(user=user, job=job)
        panel.update(
            board=board,
            closed=board.closed,
            stale_after_days=board.stale_after_days,
            card_total=sum(column.count for column in board.columns),
        )
    return panel
