"""My queue: the home page. What waits on me, what waits on others in my jobs, per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.selectors import user_zone
from closeloop.followups.policies import ask_kind_choices
from closeloop.followups.selectors import asks_quiet_count
from closeloop.jobs.selectors import job_can_create
from closeloop.lib.pages import page_query
from closeloop.pipeline.first_steps import first_steps
from closeloop.pipeline.forms import QueueFilterForm
from closeloop.pipeline.overview import (
    escalations_page,
    escalations_reaching,
    escalations_reaching_count,
    org_overview,
)
from closeloop.pipeline.queue import (
    QUEUE_LISTS,
    QUEUE_SHOWN,
    queue_asks,
    queue_by_job,
    queue_groups_count,
    queue_jobs,
    queue_list_page,
)
from closeloop.pipeline.selectors import (
    ANY_SCOPE,
    QueueScope,
    QueueSets,
    queue_for,
    queue_sets,
    queue_sets_within,
)

if TYPE_CHECKING:
    from closeloop.accounts.models import User


@login_required
@require_safe
def queue(request: AuthedRequest) -> HttpResponse:
    """Oldest first, so the candidate who has waited longest is the first thing anyone sees."""
    user = request.user
    # Absolute times ("since Tue 17 Nov 14:00") read in the viewer's own time zone.
    with timezone.override(user_zone(user)):
        now = timezone.now()
        filters, unfiltered = _filters(request, now)
        scope = filters.scope()
        org = org_overview(user=user)
        # Someone else's asks escalated to the reader by name (their reminders count them in
        # "the rest are in your queue"); an admin reads them in the organisation's overview.
        escalations, escalations_total = (
            ([], 0) if org else escalations_reaching(user=user, now=now, scope=scope)
        )
        context = {
            **_lists(user, now, scope, unfiltered),
            "escalations": escalations,
            "escalations_total": escalations_total,
            # The filters hide some: the section says how many, not that none reached them.
            "escalations_outside": _escalations_outside(user, org, scope, escalations_total),
            "filters": filters,
            # "By job" has its own page (the GROUP BYs this page need not pay for); the link
            # counts its groups and keeps the filters it keeps.
            "jobs_count": queue_groups_count(
                user=user, now=now, scope=scope, listed=len(filters.titles)
            ),
            "by_job_query": _kept(scope),
            # A list the filters emptied says so, not that nothing waits.
            "narrowed": _narrowed(filters, unfiltered),
            # News asks not yet due are not listed; the page says how many there are.
            "quiet_news": asks_quiet_count(user=user),
            "can_create_job": job_can_create(user=user),
            # A new organisation's admin, or a recruiter with no job yet: what to do first.
            "first_steps": first_steps(user=user),
            # Admins also see the organisation: overdue asks, escalations, jobs at risk.
            "org": org,
            "nav": "queue",
        }
        return render(request, "pipeline/queue.html", context)


def _escalations_outside(user: User, org: object, scope: QueueScope, within: int) -> int:
    """How many escalations that reached the reader the queue's filters leave out."""
    if org or scope == ANY_SCOPE:
        return 0
    return escalations_reaching_count(user=user) - within


def _lists(
    user: User, now: dt.datetime, scope: QueueScope, unfiltered: QueueSets | None = None
) -> dict[str, Any]:
    """The queue's lists within `scope`, as the queue page and each job's group render them
    (`unfiltered`: the sets the filters were read from)."""
    sets = queue_sets_within(user=user, now=now, scope=scope, unfiltered=unfiltered)
    queue = queue_for(user=user, limit=QUEUE_SHOWN, now=now, scope=scope, sets=sets)
    # Asks about a candidate listed show beside it; the rest get their own list.
    asks = queue_asks(
        user=user,
        i_owe=queue.i_owe_items,
        owed_to_me=queue.owed_to_me,
        now=now,
        scope=scope,
        sets=sets,
    )
    return {
        "queue": queue,
        "scope": scope,
        "query": _query(scope),
        "asks_mine": asks.mine,
        "asks_theirs": asks.theirs,
    }


@login_required
@require_safe
def queue_jobs_page(request: AuthedRequest) -> HttpResponse:
    """My queue grouped by job: a heading per job with its counts, the most overdue first,
    each opening onto that job's lists. The first group is open; the others load theirs when
    opened (htmx), or open the queue filtered to the job without JavaScript."""
    user = request.user
    with timezone.override(user_zone(user)):
        now = timezone.now()
        filters, unfiltered = _filters(request, now)
        scope = filters.scope()
        jobs = [job for job in filters.jobs if job.pk == scope.job_id] or filters.jobs
        rows = queue_by_job(user=user, jobs=jobs, now=now, scope=scope, unfiltered=unfiltered)
        first = _lists(user, now, replace(scope, job_id=rows[0].job.pk), unfiltered) if rows else {}
        context = {
            "rows": rows,
            "first": first,
            "filters": filters,
            "scope": scope,
            "kept": _kept(scope),
            "nav": "queue",
        }
        return render(request, "pipeline/queue_by_job.html", context)


@login_required
@require_safe
def queue_job_group(request: AuthedRequest, job_pk: int) -> HttpResponse:
    """One job's group of "By job", opened: its lists (htmx), or without JavaScript the
    queue filtered to the job, which shows the same."""
    if not request.htmx:
        query = request.GET.copy()
        query["job"] = str(job_pk)
        return redirect(f"{reverse('pipeline:queue')}?{query.urlencode()}")
    user = request.user
    with timezone.override(user_zone(user)):
        now = timezone.now()
        filters, unfiltered = _filters(request, now)
        if job_pk not in filters.titles:  # not in the user's queue: nothing to show of it
            raise Http404("No such job in your queue.")
        scope = replace(filters.scope(), job_id=job_pk)
        lists = _lists(user, now, scope, unfiltered)
        context = {**lists, "idp": f"job-{job_pk}-", "grouped": True}
        return render(request, "pipeline/_queue_lists.html", context)


@login_required
@require_safe
def queue_list(request: AuthedRequest, slug: str) -> HttpResponse:
    """Every row of one of the queue's lists, a page at a time, in the queue's order."""
    if slug not in QUEUE_LISTS:
        raise Http404("No such list.")
    user = request.user
    with timezone.override(user_zone(user)):
        now = timezone.now()
        filters, unfiltered = _filters(request, now)
        scope = filters.scope()
        listing = queue_list_page(
            user=user,
            slug=slug,
            value=request.GET.get("page"),
            now=now,
            scope=scope,
            unfiltered=unfiltered,
        )
        context = {
            "listing": listing,
            "filters": filters,
            "scope": scope,
            "query": _query(scope),
            "narrowed": _narrowed(filters, unfiltered),
            "nav": "queue",
        }
        return render(request, "pipeline/queue_list.html", context)


@login_required
@require_safe
def queue_escalations(request: AuthedRequest) -> HttpResponse:
    """Every open escalation that reached the reader, a page at a time, most overdue first:
    the queue (or an admin's overview) shows the first few, as the reminders count them."""
    user = request.user
    with timezone.override(user_zone(user)):
        now = timezone.now()
        # Within the queue's filters, as the queue's section that links here counts them.
        scope = _filters(request, now)[0].scope()
        listing = escalations_page(user=user, now=now, value=request.GET.get("page"), scope=scope)
        context = {"listing": listing, "query": _query(scope), "nav": "queue"}
        return render(request, "pipeline/queue_escalations.html", context)


def _filters(request: AuthedRequest, now: dt.datetime) -> tuple[QueueFilterForm, QueueSets]:
    """The queue's filter form (its job choices are the jobs the user's queue lists), and
    the unfiltered queue's sets it was read from."""
    unfiltered = queue_sets(user=request.user, now=now)
    jobs = list(queue_jobs(user=request.user, now=now, sets=unfiltered))
    return QueueFilterForm(request.GET, jobs=jobs, kinds=ask_kind_choices()), unfiltered


def _narrowed(filters: QueueFilterForm, unfiltered: QueueSets) -> dict[str, Any] | None:
    """What the filters in force keep, for the words of a list they emptied ("“Tell the
    candidate the outcome” follow-ups", "Backend Engineer"), with how many candidates wait on
    others without them; None with no filter."""
    scope = filters.scope()
    if scope == ANY_SCOPE:
        return None
    kind = f"“{filters.kind_label()}” " if scope.kind else ""
    in_force = [scope.job_id is not None, bool(scope.kind), scope.overdue]
    return {
        "asks": f"{'overdue ' if scope.overdue else ''}{kind}follow-ups"
        if scope.kind or scope.overdue
        else "",
        "job": filters.job_title() if scope.job_id is not None else "",
        "filters": "the filters" if sum(in_force) > 1 else "the filter",
        "owed_to_me": len(unfiltered.owed_to_me_jobs),
    }


def _kept(scope: QueueScope) -> str:
    """The filters "By job" keeps (kind, overdue) as a query string: its groups are the jobs."""
    return page_query({"kind": scope.kind, "overdue": "on" if scope.overdue else ""})


def _query(scope: QueueScope) -> str:
    """The filters in force as a query string, for the links that keep them."""
    return page_query(
        {"job": scope.job_id, "kind": scope.kind, "overdue": "on" if scope.overdue else ""}
    )
