"""Insights pages: a person's record and the organisation's table of people, each with its
CSV (`?format=csv`, the same selector, the same filters, the reader's permissions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.insights.charts import weekly_trend_uri
from closeloop.insights.forms import PeopleFilterForm, PeriodForm
from closeloop.insights.funnel import funnel_jobs_offered
from closeloop.insights.kept import people_responsiveness_kept, recount_asked, recount_query
from closeloop.insights.selectors import (
    Figures,
    PersonFigures,
    Record,
    insights_jobs,
    insights_jobs_titled,
    kind_label,
    record_get,
    record_partners,
    record_scope,
    seconds_words,
)
from closeloop.jobs.models import Job
from closeloop.lib.pages import page_get, page_query
from closeloop.lib.rounding import percent, rounded
from closeloop.lib.spreadsheet import csv_response

FIGURE_HEADER = [
    "Answered", "Median response (business hours)", "90th percentile (business hours)",
    "Share answered in time (%)", "Open now", "Overdue now", "Escalated", "Snoozes",
    "Agreed due time",
]  # fmt: skip


def _today(request: AuthedRequest) -> dt.date:
    return timezone.localdate(timezone.now(), request.user.zone)


def _warn(request: AuthedRequest, problems: Sequence[str]) -> None:
    for problem in problems:
        messages.warning(request, problem)


@login_required
@require_safe
def home(request: AuthedRequest) -> HttpResponse:
    """/insights/ itself: the Insights the reader may open (the nav's link for an admin,
    their own record for anyone else)."""
    return redirect("insights:people" if request.user.is_admin else "insights:my-record")


@login_required
@require_safe
def my_record(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    """The signed-in person's own record."""
    return _record(request, request.user.pk)


@login_required
@require_safe
def person_record(request: AuthedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    """Someone's record: whole for an admin, on the jobs both share for a teammate, else 404."""
    return _record(request, pk)


def _record(request: AuthedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    scope = record_scope(viewer=request.user, pk=pk)
    form = PeriodForm(request.GET, today=_today(request))
    zone = request.user.zone
    record = record_get(scope=scope, period=form.period(zone), zone=zone)
    start, end = form.days()
    if request.GET.get("format") == "csv":
        name = f"record-{scope.person.pk}-{start}-{end}.csv"
        return csv_response(name, ["Kind of ask", *FIGURE_HEADER], _record_lines(record))
    _warn(request, form.problems())
    context = {
        "record": record,
        "person": scope.person,
        "own": scope.person.pk == request.user.pk,
        "compare_link": scope.person.pk == request.user.pk
        and funnel_jobs_offered(viewer=request.user),
        "form": form,
        "start": start,
        "end": end,
        "rows": [(figures, _words(record, figures)) for figures in [*record.rows, record.total]],
        "chart": weekly_trend_uri(record.weeks),
        "partners": record_partners(user=request.user),
        "query": page_query({"start": start, "end": end}),
        "nav": "insights-me" if scope.person.pk == request.user.pk else "insights",
    }
    return render(request, "insights/record.html", context)


def _words(record: Record, figures: Figures) -> tuple[str, str]:
    person = record.scope.person
    return seconds_words(person, figures.median_seconds), seconds_words(person, figures.p90_seconds)


# Halves rounded up, as the pages round their figures (lib.rounding), never to even.
def _hours(seconds: float | None) -> float | str:
    return "" if seconds is None else rounded(seconds / 3600)


def _percent(share: float | None) -> float | str:
    return "" if share is None else percent(share)


def _figure_cells(figures: Figures) -> list[object]:
    return [
        figures.answered, _hours(figures.median_seconds), _hours(figures.p90_seconds),
        _percent(figures.within_share), figures.open, figures.overdue, figures.escalated,
        figures.snoozes, figures.agreed,
    ]  # fmt: skip


def _record_lines(record: Record) -> Iterator[list[object]]:
    for figures in [*record.rows, record.total]:
        yield [figures.kind_label, *_figure_cells(figures)]


@login_required
@require_safe
def people(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    """Admins: everyone's responsiveness over a period, sortable and filtered, 50 a page."""
    jobs = insights_jobs(viewer=request.user)
    form = PeopleFilterForm(request.GET, jobs=jobs, today=_today(request))
    chosen = {name: form.choice(name) or "" for name in ("role", "kind", "sort", "job_title")}
    job = form.choice("job")
    titled = None if job else _jobs_titled(request, chosen["job_title"])
    kept = people_responsiveness_kept(
        viewer=request.user,
        period=form.period(request.user.zone),
        role=chosen["role"],
        jobs=jobs.filter(pk=job.pk) if job else titled.jobs if titled else None,
        kind=chosen["kind"],
        sort=chosen["sort"] or "name",
        again=recount_asked(request.GET),
    )
    rows = kept.figures
    start, end = form.days()
    if request.GET.get("format") == "csv":
        return csv_response(f"people-{start}-{end}.csv", ["Person", "Email", *FIGURE_HEADER],
                            _people_lines(rows))  # fmt: skip
    _warn(request, form.problems())
    filters = {"start": start, "end": end, "job": job.pk if job else "", **chosen}
    context = {
        "form": form,
        "job": job,
        "titled": titled.count if titled else None,
        "any_job_query": page_query({**filters, "job": ""}),
        "page": page_get(rows, request.GET.get("page")),
        "query": page_query(filters),
        "filters": filters,
        "sort_query": page_query({**filters, "sort": ""}),
        "kind_label": kind_label(chosen["kind"]) if chosen["kind"] else "",
        "counted_at": kept.counted_at,
        "recount_query": recount_query(request.GET),
        "start": start,
        "end": end,
        "nav": "insights",
    }
    return render(request, "insights/people.html", context)


@dataclass(frozen=True)
class _Titled:
    """The jobs whose title holds the words asked for, and how many (counted once)."""

    jobs: QuerySet[Job]
    count: int


def _jobs_titled(request: AuthedRequest, words: str) -> _Titled | None:
    """The jobs whose title contains `words`, or None (every job) when none does, said."""
    if not words:
        return None
    titled = insights_jobs_titled(viewer=request.user, words=words)
    count = titled.count()
    if count:
        return _Titled(titled, count)
    messages.warning(request, f"No job’s title contains “{words}”: every job is counted.")
    return None


def _people_lines(rows: Sequence[PersonFigures]) -> Iterator[list[object]]:
    for row in rows:
        yield [row.person.full_name, row.person.email, *_figure_cells(row.figures)]
