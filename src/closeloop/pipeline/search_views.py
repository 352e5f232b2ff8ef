"""The search page: candidates and jobs by the words typed in the header's search box."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.selectors import user_zone
from closeloop.jobs.selectors import user_sees_everything
from closeloop.pipeline.search import search_run, search_suggest


@login_required
@require_safe
def search(request: AuthedRequest) -> HttpResponse:
    with timezone.override(user_zone(request.user)):
        results = search_run(
            user=request.user, query=request.GET.get("q", ""), page=request.GET.get("page")
        )
        context = {
            "results": results,
            "query": results.query,
            "pager_query": urlencode({"q": results.query}),
            "nav": "search",
            # An admin searches every candidate; anyone else those of their own jobs.
            "searches_everyone": user_sees_everything(request.user),
        }
        return render(request, "pipeline/search.html", context)


@login_required
@require_safe
def search_suggestions(request: AuthedRequest) -> HttpResponse:
    """The header box's suggestions as the person types (htmx); without it, the results."""
    query = request.GET.get("q", "")
    if not request.htmx:
        return redirect(f"{reverse('pipeline:search')}?{urlencode({'q': query})}")
    found = search_suggest(user=request.user, query=query)
    context = {"found": found, "query": query}
    return render(request, "pipeline/_search_suggest.html", context)
