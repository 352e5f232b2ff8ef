"""The product's urls and the page benchmark's ceiling view (see bench/pages_settings.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.html import escape
from django.views.decorators.http import require_safe

from closeloop.jobs.models import Job
from closeloop.urls import handler400, handler403, handler404, handler500
from closeloop.urls import urlpatterns as product

CEILING_PATH = "bench/ceiling/"


@login_required
@require_safe
def ceiling(request: HttpRequest) -> HttpResponse:
    """One small ORM query behind the full middleware (session and user loaded, as on every
    page): what a page costs when it does almost nothing, on this machine, in this run."""
    title = Job.objects.order_by("pk").values_list("title", flat=True).first()
    return HttpResponse(f"<!doctype html><title>Ceiling</title><p>{escape(title or '')}</p>")


urlpatterns = [path(CEILING_PATH, ceiling, name="bench-ceiling"), *product]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
