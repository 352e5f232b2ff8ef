"""Funnel and speed pages: one job's funnel, and jobs side by side, each table with its CSV
(`?format=csv`, the same selector and filters, in the reader's permissions)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.insights.charts import funnel_svg, svg_data_uri
from closeloop.insights.forms import CompareFilterForm
from closeloop.insights.funnel import (
    COMPARE_STATUSES,
    JobFunnel,
    JobRow,
    Speed,
    compare_empty_words,
    compare_jobs_filtered,
    compare_teams,
    funnel_job_get,
    job_funnel,
    jobs_compare,
)
from closeloop.insights.kept import jobs_compare_kept, recount_asked, recount_query
from closeloop.insights.selectors import waits_chased
from closeloop.insights.waits import waits_now
from closeloop.insights.waits_views import wait_sums_context, wait_sums_csv
from closeloop.lib.pages import page_get, page_query
from closeloop.lib.rounding import percent, rounded
from closeloop.lib.spreadsheet import csv_response

FUNNEL_TABLES = ("stages", "reasons", "sources")


# Rounded as the page rounds them (lib.rounding), so the CSV and the page agree.
def _days(value: float | None) -> float | str:
    return "" if value is None else rounded(value)


def _percent(share: float | None) -> float | str:
    return "" if share is None else percent(share)


@login_required
@require_safe
def job_funnel_page(request: AuthedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    """One job's whole search: stages, passes, sources, speed, the target date."""
    job = funnel_job_get(viewer=request.user, pk=pk)
    if (download := wait_sums_csv(request, job=job)) is not None:
        return download
    funnel = job_funnel(job=job)
    if request.GET.get("format") == "csv":
        table = request.GET.get("table", "stages")
        if table not in FUNNEL_TABLES:
            table = "stages"
        return csv_response(f"funnel-{job.pk}-{table}.csv", *_funnel_table(funnel, table))
    now = waits_now(viewer=request.user, job=job)
    chart = funnel_svg(
        [row.stage.name for row in funnel.stages], [row.reached for row in funnel.stages]
    )
    context = {
        "job": job,
        "funnel": funnel,
        "chart": svg_data_uri(chart),
        "nav": "insights",
        "rows": waits_chased(viewer=request.user, items=now.longest),
        **wait_sums_context(request, job=job, now_sums=now.sums),
    }
    return render(request, "insights/job_funnel.html", context)


def _funnel_table(funnel: JobFunnel, table: str) -> tuple[list[str], Iterator[list[object]]]:
    if table == "reasons":
        return ["Reason", "What it cited", "Passes"], (
            [row.reason, row.cited, row.count] for row in funnel.reasons
        )
    if table == "sources":
        return ["Source", "Candidates", "Submitted", "Offers", "Hired"], (
            [row.source, row.applications, row.submitted, row.offers, row.hired]
            for row in funnel.sources
        )
    header = [
        "Stage", "Reached", "In it now", "Left here", "Went on to the next (%)",
        "Stays ended", "Median days in stage", "90th percentile days",
    ]  # fmt: skip
    return header, (
        [row.stage.name, row.reached, row.here_now, row.left_here, _percent(row.conversion),
         row.stay.count, _days(row.stay.median_days), _days(row.stay.p90_days)]
        for row in funnel.stages
    )  # fmt: skip


@login_required
@require_safe
def jobs_compared(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    """Jobs side by side over a period: an admin's every job, anyone else's own jobs."""
    today = timezone.localdate(timezone.now(), request.user.zone)
    form = CompareFilterForm(
        request.GET,
        statuses=COMPARE_STATUSES,
        teams=compare_teams(viewer=request.user),
        today=today,
    )
    chosen = {name: form.choice(name) for name in ("status", "team")}
    jobs = compare_jobs_filtered(viewer=request.user, **chosen)
    period = form.period(request.user.zone)
    start, end = form.days()
    if request.GET.get("format") == "csv":
        rows = jobs_compare(jobs=list(jobs[:CSV_MOST]), period=period)
        return csv_response(f"jobs-{start}-{end}.csv", COMPARE_HEADER, _compare_lines(rows))
    for problem in form.problems():
        messages.warning(request, problem)
    page = page_get(jobs, request.GET.get("page"))
    filters = {"start": start, "end": end, **chosen}
    kept = jobs_compare_kept(
        jobs=list(page.object_list), period=period, again=recount_asked(request.GET)
    )
    context = {
        "form": form,
        "page": page,
        "rows": kept.figures,
        "empty_words": (
            "" if page.object_list else compare_empty_words(viewer=request.user, **chosen)
        ),
        "counted_at": kept.counted_at,
        "recount_query": recount_query(request.GET),
        "query": page_query(filters),
        "start": start,
        "end": end,
        "nav": "insights",
    }
    return render(request, "insights/jobs_compared.html", context)


CSV_MOST = 5000  # jobs in one download: an organisation's whole list, still bounded
COMPARE_HEADER = [
    "Job", "Team", "Status", "Recruiter", "Hiring manager", "Candidates added", "Submitted",
    "To interviews", "Offers", "Hired", "Passes", "Decisions", "Median days to decide",
    "90th percentile days to decide", "Target fill date", "Against the target",
]  # fmt: skip


def _speed_cells(speed: Speed) -> list[object]:
    return [speed.count, _days(speed.median_days), _days(speed.p90_days)]


def _compare_lines(rows: Sequence[JobRow]) -> Iterator[list[object]]:
    for row in rows:
        job = row.job
        fill = row.fill
        yield [
            job.title, job.team, job.get_status_display(), str(job.recruiter or ""),
            str(job.hiring_manager or ""), row.applications, row.submitted, row.interviewing,
            row.offers, row.hired, row.passed, *_speed_cells(row.decisions),
            job.target_fill_date or "", fill.words if fill else "",
        ]  # fmt: skip
