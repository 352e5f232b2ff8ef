"""My queue: the home page. What waits on me, what waits on others in my jobs, per role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.selectors import user_zone
from closeloop.followups.selectors import (
    ask_rows,
    ask_rows_attach,
    asks_owed_by,
    asks_owed_to,
    asks_quiet_count,
)
from closeloop.jobs.selectors import job_can_create
from closeloop.pipeline.overview import org_overview
from closeloop.pipeline.selectors import queue_for


@login_required
@require_safe
def queue(request: AuthedRequest) -> HttpResponse:
    """Oldest first, so the candidate who has waited longest is the first thing anyone sees."""
    user = request.user
    # Absolute times ("since Tue 17 Nov 14:00") read in the viewer's own time zone.
    with timezone.override(user_zone(user)):
        queue = queue_for(user=user)
        context = {
            "queue": queue,
            # Asks about a candidate already listed show beside it; the rest get their own list.
            "asks_mine": ask_rows_attach(queue.i_owe_items, ask_rows(asks_owed_by(user=user))),
            # News asks not yet due are not listed; the page says how many there are.
            "quiet_news": asks_quiet_count(user=user),
            "asks_theirs": ask_rows_attach(queue.owed_to_me, ask_rows(asks_owed_to(user=user))),
            "can_create_job": job_can_create(user=user),
            # Admins also see the organisation: overdue asks, escalations, jobs at risk.
            "org": org_overview(user=user),
            "nav": "queue",
        }
        return render(request, "pipeline/queue.html", context)
