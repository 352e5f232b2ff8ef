"""The search page: candidates and jobs by the words typed in the header's search box."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.selectors import user_zone
from closeloop.pipeline.search import MAX_QUERY, search_run


@login_required
@require_safe
def search(request: AuthedRequest) -> HttpResponse:
    # A query is text a person typed: control characters (a NUL byte PostgreSQL refuses)
    # are dropped rather than refused, and an over-long one is cut.
    query = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable())[:MAX_QUERY]
    with timezone.override(user_zone(request.user)):
        results = search_run(user=request.user, query=query, page=request.GET.get("page"))
        context = {
            "results": results,
            "query": query.strip(),
            "pager_query": urlencode({"q": query.strip()}),
            "nav": "search",
        }
        return render(request, "pipeline/search.html", context)
