"""The pipeline's panels on the job page (jobs owns the page; the pipeline fills its slots).

`{% pipeline_job_waiting job %}`: who the pipeline waits on. `{% pipeline_job_board job %}`:
the board (each column's longest-waiting cards, the latest closed applications) or the list, a
page at a time (`?view=list&sort=…&stage=…&status=…&page=…`, and the filters of
`PipelineFilterForm`: `move`, `waiting`, `source`, `interviewer`, `tag`), with the viewer's
saved views of it and the bulk actions they may take on the rows. A query-string value the
panel cannot use is replaced by its default, and the panel says so: never an error page
(`pipeline.list_query`, the one reading a saved view is checked by too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import reverse

from closeloop.jobs.selectors import job_can_manage, job_can_move_candidates
from closeloop.lib.ids import id_parse
from closeloop.pipeline.bulk import BULK_LIMIT, bulk_actions_for, bulk_choice_kept
from closeloop.pipeline.forms import BulkActionForm, SavedViewForm
from closeloop.pipeline.list_query import ListQuery, list_query_read
from closeloop.pipeline.saved_views import saved_views_for
from closeloop.pipeline.selectors import (
    job_application_page,
    job_board,
    job_closed_count,
    job_waiting_on,
)

if TYPE_CHECKING:
    from closeloop.jobs.models import Job

register = template.Library()


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
# The list's status filter, in the order offered.
STATUS_CHOICES = {
    "open": "Active and hired",
    "closed": "Rejected or withdrawn",
    "all": "Everyone",
}


def _sort_headers(job: Job, asked: ListQuery) -> dict[str, SortHeader]:
    base = reverse("jobs:job-detail", kwargs={"pk": job.pk})
    headers = {}
    for key, (label, largest_first) in LIST_COLUMNS.items():
        active = asked.sort.lstrip("-") == key
        reversed_ = asked.sort.startswith("-")
        next_sort = f"-{key}" if active and not reversed_ else key
        aria = ""
        if active:
            aria = "descending" if reversed_ != largest_first else "ascending"
        headers[key] = SortHeader(label, f"{base}?{asked.query(sort=next_sort)}", aria)
    return headers


@register.inclusion_tag("pipeline/_job_waiting.html", takes_context=True)
def pipeline_job_waiting(context: dict[str, Any], job: Any) -> dict[str, Any]:
    user = context["user"]
    waiting_on = job_waiting_on(user=user, job=job)
    return {
        "job": job,
        "user": user,
        "waiting_on": waiting_on,
        # With nobody in play, how many were closed: "yet" would say the search never began.
        "closed_count": 0 if waiting_on else job_closed_count(user=user, job=job),
        "closed_url": _closed_url(job),
        "can_manage": job_can_manage(user=user, job=job),
    }


def _closed_url(job: Job) -> str:
    """The job's list of closed candidates (its status filter)."""
    return reverse("jobs:job-detail", kwargs={"pk": job.pk}) + "?view=list&status=closed"


@register.inclusion_tag("pipeline/_job_board.html", takes_context=True)
def pipeline_job_board(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """The job's pipeline as columns per stage, or as a sortable list (`?view=list`)."""
    user, query = context["user"], context["request"].GET
    view = "list" if query.get("view") == "list" else "board"
    panel: dict[str, Any] = {
        "job": job,
        "user": user,
        "view": view,
        "base": reverse("jobs:job-detail", kwargs={"pk": job.pk}),
        "can_manage": job_can_manage(user=user, job=job),
        "closed_url": _closed_url(job),
    }
    if view == "board":
        board = job_board(user=user, job=job)
        panel.update(
            board=board,
            closed=board.closed,
            closed_count=board.closed_count,
            stale_after_days=board.stale_after_days,
            # Who may move candidates gets a move form on each card, and may drag them.
            can_move=job_can_move_candidates(user=user, job=job),
            # Swapped in alone by htmx, the board says the move's outcome itself.
            swapped=context["request"].htmx,
            messages=context.get("messages"),
        )
        return panel
    stages = list(job.stages.order_by("position"))
    asked, form, filters = list_query_read(user=user, job=job, query=query, stages=stages)
    listing = job_application_page(
        user=user, job=job, sort=asked.sort, stage=asked.stage, status=asked.status,
        number=asked.page, stages=stages, filters=filters,
    )  # fmt: skip
    page = listing.page
    if page.number != asked.page:
        asked.notices.append(f"There is no page {asked.page}; showing page 1.")
    # A refused bulk action comes back with its candidates still ticked (`picked`).
    picked = {id_parse(pk) for pk in query.get("picked", "").split(",")[:BULK_LIMIT]} - {None}
    unfiltered_empty = not listing.rows and asked.status == "open" and page.number == 1
    panel.update(
        # An empty list of open candidates says how many were closed, and links them.
        closed_count=job_closed_count(user=user, job=job) if unfiltered_empty else 0,
        picked=picked,
        messages=context.get("messages"),  # said above the list (the job page leaves them)
        rows=listing.rows,
        page=page,
        pager_query=asked.query(page=1),
        stages=listing.stages,
        asked=asked,
        filter_form=form,
        status_choices=STATUS_CHOICES,
        filtered=asked.stage is not None or asked.status != "open" or filters.any,
        stale_after_days=listing.stale_after_days,
        headers=_sort_headers(job, asked),
        sort=asked.sort,
        **_list_tools(user, job, asked, context["request"].session if picked else None),
    )
    return panel


def _list_tools(
    user: Any, job: Job, asked: ListQuery, session: Any | None = None
) -> dict[str, Any]:
    """The viewer's saved views of this list and the bulk actions they may take on it
    (`session`: after a refused bulk action, whose choices come back as they were)."""
    here = asked.query(page=asked.page)
    bulk = bulk_actions_for(user=user, job=job)
    kept = bulk_choice_kept(session, job=job) if session is not None else {}
    return {
        "saved_views": saved_views_for(user=user, job=job),
        "saved_view_form": SavedViewForm(initial={"query": here}),
        "current_query": here,
        "bulk": bulk,
        "bulk_form": BulkActionForm(job=job, actions=bulk, initial={**kept, "next": here}),
    }
