"""The bottleneck finder's pages: the longest waits now with "Nudge now", and the waits summed
now and over a period (admins across the organisation; a job's team on its funnel page), each
table with its CSV (`?format=csv&table=person|stage|job`, `&span=period` for the period's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.followups.services import ask_nudge_now
from closeloop.insights.forms import PeriodForm
from closeloop.insights.kept import (
    recount_asked,
    recount_query,
    waits_now_kept,
    waits_over_period_kept,
)
from closeloop.insights.selectors import (
    insights_admin_check,
    records_readable,
    wait_ask_get,
    waits_chased,
)
from closeloop.insights.waits import WaitSum, WaitSums, waits_summed
from closeloop.jobs.models import Job
from closeloop.lib.forms import refusal_words
from closeloop.lib.pages import page_query
from closeloop.lib.rounding import rounded
from closeloop.lib.spreadsheet import csv_response
from closeloop.pipeline.selectors import QueueItem

WAIT_SUM_TABLES = {"person": "Waiting on", "stage": "Stage", "job": "Job"}


def wait_sums_context(
    request: AuthedRequest,
    *,
    job: Job | None = None,
    now_sums: WaitSums | None = None,
    counted_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """What `insights/_wait_sums.html` shows: the sums now (`now_sums` when the caller has
    them, counted at `counted_at` when kept) and over the period in the address (the last 90
    days by default; a bad date is named in a message), and which people's names may link to
    their record. Across the organisation the period's sums are kept a few minutes
    (`insights.kept`); one job's are counted live."""
    form = _period_form(request)
    for problem in form.problems():
        messages.warning(request, problem)
    start, end = form.days()
    if now_sums is None:
        now_sums = waits_summed(viewer=request.user, job=job)
    period = waits_over_period_kept(
        viewer=request.user,
        job=job,
        period=form.period(request.user.zone),
        again=recount_asked(request.GET),
    )
    people = {row.key for sums in (now_sums, period.figures) for row in sums.by_person}
    kept = [moment for moment in (counted_at, period.counted_at) if moment is not None]
    return {
        "sums": now_sums,
        "period_sums": period.figures,
        "start": start,
        "end": end,
        "period_query": page_query({"start": start, "end": end, "span": "period"}),
        "readable": records_readable(viewer=request.user, ids=people),
        # The oldest figures on the page, when any were kept.
        "counted_at": min(kept) if kept else None,
        "recount_query": recount_query(request.GET),
    }


def _period_form(request: AuthedRequest) -> PeriodForm:
    return PeriodForm(request.GET, today=timezone.localdate(timezone.now(), request.user.zone))


def wait_sums_csv(
    request: AuthedRequest, *, job: Job | None = None
) -> StreamingHttpResponse | None:
    """The CSV of one table of sums when the address asks for one (`table`, `span`), else None."""
    table = request.GET.get("table", "")
    if request.GET.get("format") != "csv" or table not in WAIT_SUM_TABLES:
        return None
    if job is not None and table == "job":
        return None  # one job's page sums by person and by stage only
    prefix = "" if job is None else f"job-{job.pk}-"
    if request.GET.get("span") == "period":
        form = _period_form(request)
        start, end = form.days()
        sums = waits_over_period_kept(
            viewer=request.user,
            job=job,
            period=form.period(request.user.zone),
            again=recount_asked(request.GET),
        ).figures
        return csv_response(
            f"{prefix}waited-by-{table}-{start}-{end}.csv",
            _header(table, "Follow-ups owed about candidates"),
            _lines(_table(sums, table)),
        )
    # The organisation's, as its page shows them (kept); one job's, live.
    if job is None:
        sums = waits_now_kept(viewer=request.user, again=recount_asked(request.GET)).figures.sums
    else:
        sums = waits_summed(viewer=request.user, job=job)
    return csv_response(
        f"{prefix}waiting-by-{table}.csv",
        _header(table, "Candidates waiting"),
        _lines(_table(sums, table)),
    )


def _table(sums: WaitSums, table: str) -> list[WaitSum]:
    rows: list[WaitSum] = getattr(sums, f"by_{table}")
    return rows


def _header(table: str, counted: str) -> list[str]:
    return [
        WAIT_SUM_TABLES[table],
        counted,
        "Business days waited, summed",
        "Longest (business days)",
    ]


def _lines(sums: Sequence[WaitSum]) -> Iterator[list[object]]:
    for row in sums:
        yield [row.label, row.candidates, rounded(row.days), rounded(row.longest_days)]


@login_required
@require_safe
def waits(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    """Admins: where candidates wait and on whom: the ten waiting longest now, and the waits
    summed now and over a period."""
    insights_admin_check(request.user)
    if (download := wait_sums_csv(request)) is not None:
        return download
    kept = waits_now_kept(viewer=request.user, again=recount_asked(request.GET))
    items = kept.figures.longest
    if request.GET.get("format") == "csv":
        header = ["Candidate", "Job", "Waiting on", "Move", "Since", "Days waited"]
        return csv_response("longest-waits.csv", header, _wait_lines(items))
    sums = wait_sums_context(request, now_sums=kept.figures.sums, counted_at=kept.counted_at)
    rows = waits_chased(viewer=request.user, items=items)
    context = {"items": items, "rows": rows, "nav": "insights", **sums}
    return render(request, "insights/waits.html", context)


@login_required
@require_POST
def wait_nudge(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send the owner of a wait's ask an extra reminder now (one a day per ask): an admin,
    any; the job's team, from its funnel page, one on their job (`wait_ask_get`)."""
    ask = wait_ask_get(viewer=request.user, pk=pk)
    try:
        ask_nudge_now(ask=ask, by=request.user)
    except ValidationError as error:
        messages.error(request, f"No reminder sent. {refusal_words(error)}")
    else:
        messages.success(
            request,
            f"{ask.owner} gets a reminder about “{ask.title}” with their next message "
            "(inside their working hours).",
        )
    if request.POST.get("back") == "job" and ask.job_id is not None:
        return redirect(reverse("insights:job-funnel", args=[ask.job_id]) + "#longest-waits")
    return redirect("insights:waits")


def _wait_lines(items: Sequence[QueueItem]) -> Iterator[list[object]]:
    """The longest waits as a file words them for any reader: people in full, the time
    since in ISO 8601 (`lib.spreadsheet`)."""
    for item in items:
        application = item.application
        owner = item.owner.full_name if item.owner else ""
        yield [str(application.candidate), application.job.title, owner, item.move_in_full,
               item.since, item.days]  # fmt: skip
