"""The admin's organisation overview pages (the overview itself is part of My queue)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.selectors import user_zone
from closeloop.pipeline.overview import overdue_asks_of


@login_required
@require_safe
def person_overdue(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every overdue ask one person owes, for an admin; 404 for everyone else."""
    with timezone.override(user_zone(request.user)):
        page = overdue_asks_of(user=request.user, person_pk=pk)
        return render(request, "pipeline/person_overdue.html", {"page": page, "nav": "queue"})
