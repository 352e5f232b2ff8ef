"""What a job's candidate list was asked for, each value checked once, here: the list
(`?view=list&sort=…&stage=…&status=…&page=…`, and the filters of `PipelineFilterForm`:
`move`, `waiting`, `source`, `interviewer`, `tag`) reads it with `list_query_read`, and a
saved view keeps only what the list would use (`saved_views.list_query_checked`).

A value the list cannot use is replaced by its default, and the list says so: never an
error page. `ListQuery.refused` names the keys it did not use, for a saved view to leave
out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from closeloop.lib.ids import id_parse
from closeloop.pipeline.forms import PipelineFilterForm
from closeloop.pipeline.selectors import (
    APPLICATION_SORTS,
    LIST_STATUSES,
    ListFilters,
    job_list_filter_choices,
)

if TYPE_CHECKING:
    from django.http import QueryDict

    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job, Stage


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
    # The keys whose value the list could not use (it showed their default instead).
    refused: list[str] = field(default_factory=list)

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
    """Read the list's sort, stage, status and page number; anything unusable falls back to
    the default with a notice (a stale bookmark or a hand-edited address shows a list, not
    an error). An unknown sort falls back without one."""
    asked = ListQuery()
    sort = query.get("sort", "waiting")
    asked.sort = sort if sort in APPLICATION_SORTS else "waiting"
    if sort != asked.sort:
        asked.refused.append("sort")
    status = query.get("status") or "open"
    if status in LIST_STATUSES:
        asked.status = status
    else:
        asked.refused.append("status")
        asked.notices.append(f"“{status}” is not a status filter; showing the open candidates.")
    stage = query.get("stage") or ""
    if stage:
        by_pk = {str(each.pk): each for each in stages}
        asked.stage = by_pk.get(stage)
        if asked.stage is None:
            asked.refused.append("stage")
            asked.notices.append(f"No stage “{stage}” on this job; showing every stage.")
    number = query.get("page") or "1"
    page = id_parse(number)
    if page is not None:
        asked.page = page
    else:
        asked.refused.append("page")
        if number.isascii() and number.isdigit():
            asked.notices.append(f"There is no page {number}; showing page 1.")
        else:
            asked.notices.append(f"“{number}” is not a page number; showing page 1.")
    return asked


def list_query_read(
    *, user: User, job: Job, query: QueryDict, stages: list[Stage] | None = None
) -> tuple[ListQuery, PipelineFilterForm, ListFilters]:
    """The job's list as `query` asks for it, for `user` (whose filter choices are the
    job's as they see it): what was asked, the filter form and its filters."""
    if stages is None:
        stages = list(job.stages.order_by("position"))
    asked = _list_query(query, stages)
    form = PipelineFilterForm(query, choices=job_list_filter_choices(user=user, job=job))
    asked.notices += form.notices()
    asked.refused += list(form.errors)
    asked.filter_pairs = form.pairs()
    return asked, form, form.filters()
