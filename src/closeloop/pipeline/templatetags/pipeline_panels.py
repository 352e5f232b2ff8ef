"""The pipeline's panels on the job page (jobs owns the page; the pipeline fills its slots).

`{% pipeline_job_waiting job %}`: who the pipeline waits on. `{% pipeline_job_board job %}`:
the board (each column's longest-waiting cards, the latest closed applications) or the list, a
page at a time (`?view=list&sort=…&stage=…&status=…&page=…`, and the filters of
`PipelineFilterForm`: `move`, `waiting`, `source`, `interviewer`, `tag`), with the viewer's
saved views of it and the bulk actions they may take on the rows. A query-string value the
panel cannot use is replaced by its default, and the panel says so: never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import reverse

from closeloop.jobs.selectors import job_can_manage, job_can_move_candidates
from closeloop.lib.ids import id_parse
from closeloop.pipeline.bulk import BULK_LIMIT, bulk_actions_for, bulk_choice_kept
from closeloop.pipeline.forms import BulkActionForm, PipelineFilterForm, SavedViewForm
from closeloop.pipeline.saved_views import saved_views_for
from closeloop.pipeline.selectors import (
    APPLICATION_SORTS,
    LIST_STATUSES,
    job_application_page,
    job_board,
    job_closed_count,
    job_list_filter_choices,
    job_waiting_on,
)

if TYPE_CHECKING:
    from closeloop.jobs.models import Job, Stage

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


@dataclass
class ListQuery:
    """What the list view was asked for, each value checked (`notices` say what was not)."""

    sort: str = "waiting"
    stage: Stage | None = None
    status: str = "open"
    page: int = 1
    notices: list[str] = field(default_factory=list)
    # The other filters' query-string pairs (PipelineFilterForm.pairs), kept by every link.
    filter_pairs: list[tuple[str, str]] = field(default_factory=list)

    def query(self, **changes: Any) -> str:
        """The query string for this list with `changes`; defaults are left out, and a new
        sort or filter starts again at page 1."""
        values = {"sort": self.sort, "stage": self.stage.pk if self.stage else None}
        values |= {"status": self.status, **changes}
        pairs = [("view", "list"), ("sort", values["sort"])]
        if values["stage"] is not None:
            pairs.append(("stage", values["stage"]))
        if values["status"] != "open":
            pairs.append(("status", values["status"]))
        pairs += self.filter_pairs
        if values.get("page", 1) != 1:
            pairs.append(("page", values["page"]))
        return urlencode(pairs)


def _list_query(query: QueryDict, stages: list[Stage]) -> ListQuery:
    """Read the list's sort, filters and page number; anything unusable falls back to the
    default with a notice (a stale bookmark or a hand-edited address shows a list, not an
    error)."""
    asked = ListQuery()
    sort = query.get("sort", "waiting")
    asked.sort = sort if sort in APPLICATION_SORTS else "waiting"
    status = query.get("status") or "open"
    if status in LIST_STATUSES:
        asked.status = status
    else:
        asked.notices.append(f"“{status}” is not a status filter; showing the open candidates.")
    stage = query.get("stage") or ""
    if stage:
        by_pk = {str(each.pk): each for each in stages}
        asked.stage = by_pk.get(stage)
        if asked.stage is None:
            asked.notices.append(f"No stage “{stage}” on this job; showing every stage.")
    number = query.get("page") or "1"
    page = id_parse(number)
    if page is not None:
        asked.page = page
    elif number.isascii() and number.isdigit():
        asked.notices.append(f"There is no page {number}; showing page 1.")
    else:
        asked.notices.append(f"“{number}” is not a page number; showing page 1.")
    return asked


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
    asked = _list_query(query, stages)
    form = PipelineFilterForm(query, choices=job_list_filter_choices(user=user, job=job))
    asked.notices += form.notices()
    asked.filter_pairs = form.pairs()
    filters = form.filters()
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
