"""My queue: the home page. What waits on me, what waits on others in my jobs, per role."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.selectors import user_zone
from closeloop.followups.policies import ask_kind_choices
from closeloop.followups.selectors import asks_quiet_count
from closeloop.jobs.selectors import job_can_create
from closeloop.lib.pages import page_query
from closeloop.pipeline.forms import QueueFilterForm
from closeloop.pipeline.overview import org_overview
from closeloop.pipeline.queue import (
    QUEUE_LISTS,
    QUEUE_SHOWN,
    queue_asks,
    queue_by_job,
    queue_jobs,
    queue_list_page,
)
from closeloop.pipeline.selectors import QueueScope, queue_for


@login_required
@require_safe
def queue(request: AuthedRequest) -> HttpResponse:
    """Oldest first, so the candidate who has waited longest is the first thing anyone sees."""
    user = request.user
    # Absolute times ("since Tue 17 Nov 14:00") read in the viewer's own time zone.
    with timezone.override(user_zone(user)):
        now = timezone.now()
        filters = _filters(request, now)
        scope = filters.scope()
        queue = queue_for(user=user, limit=QUEUE_SHOWN, now=now, scope=scope)
        # Asks about a candidate listed show beside it; the rest get their own list.
        asks = queue_asks(
            user=user,
            i_owe=queue.i_owe_items,
            owed_to_me=queue.owed_to_me,
            now=now,
            scope=scope,
        )
        context = {
            "queue": queue,
            "filters": filters,
            "scope": scope,
            "query": _query(scope),
            # "By job" has its own page (three GROUP BYs this page need not pay for).
            "jobs_count": len(filters.titles),
            "asks_mine": asks.mine,
            # News asks not yet due are not listed; the page says how many there are.
            "quiet_news": asks_quiet_count(user=user),
            "asks_theirs": asks.theirs,
            "can_create_job": job_can_create(user=user),
            # Admins also see the organisation: overdue asks, escalations, jobs at risk.
            "org": org_overview(user=user),
            "nav": "queue",
        }
        return render(request, "pipeline/queue.html", context)


@login_required
@require_safe
def queue_jobs_page(request: AuthedRequest) -> HttpResponse:
    """My queue by job: each job's share, most overdue first, each opening the filtered queue."""
    user = request.user
    with timezone.override(user_zone(user)):
        now = timezone.now()
        rows = queue_by_job(user=user, jobs=list(queue_jobs(user=user, now=now)), now=now)
        return render(request, "pipeline/queue_by_job.html", {"rows": rows, "nav": "queue"})


@login_required
@require_safe
def queue_list(request: AuthedRequest, slug: str) -> HttpResponse:
    """Every row of one of the queue's lists, a page at a time, in the queue's order."""
    if slug not in QUEUE_LISTS:
        raise Http404("No such list.")
    user = request.user
    with timezone.override(user_zone(user)):
        now = timezone.now()
        filters = _filters(request, now)
        scope = filters.scope()
        listing = queue_list_page(
            user=user, slug=slug, value=request.GET.get("page"), now=now, scope=scope
        )
        context = {
            "listing": listing,
            "filters": filters,
            "scope": scope,
            "query": _query(scope),
            "nav": "queue",
        }
        return render(request, "pipeline/queue_list.html", context)


def _filters(request: AuthedRequest, now: dt.datetime) -> QueueFilterForm:
    jobs = list(queue_jobs(user=request.user, now=now))
    return QueueFilterForm(request.GET, jobs=jobs, kinds=ask_kind_choices())


def _query(scope: QueueScope) -> str:
    """The filters in force as a query string, for the links that keep them."""
    return page_query(
        {"job": scope.job_id, "kind": scope.kind, "overdue": "on" if scope.overdue else ""}
    )
