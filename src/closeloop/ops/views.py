"""Health checks and error pages."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone

from closeloop.followups.models import WorkerHeartbeat
from closeloop.lib.client_errors import client_error, client_error_response

# A worker beats every loop (a few seconds); a minute of silence means it is gone.
HEARTBEAT_STALE_SECONDS = 60
# When the database does not answer, browsers are asked to come back after this long.
RETRY_AFTER_SECONDS = 30


def healthz(request: HttpRequest) -> JsonResponse:
    """The web process is up. Touches nothing else, so a load balancer can poll it cheaply."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """The database answers and a worker has beaten recently; 503 otherwise."""
    body: dict[str, object] = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = WorkerHeartbeat.objects.order_by("-beat_at").first()
    except Exception:
        return JsonResponse({"database": "unavailable", "status": "unavailable"}, status=503)
    age = (timezone.now() - beat.beat_at).total_seconds() if beat else None
    body["worker_heartbeat_age_seconds"] = round(age, 1) if age is not None else None
    ready = age is not None and age < HEARTBEAT_STALE_SECONDS
    body["worker"] = "ok" if ready else "no recent heartbeat"
    body["status"] = "ok" if ready else "unavailable"
    return JsonResponse(body, status=200 if ready else 503)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico wherever a page names no icon (a PDF, a feed): send them
    to the one every page names, so the console shows no 404 for it."""
    return HttpResponsePermanentRedirect(static("closeloop/favicon.svg"))


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"status": status, "title": title, "message": message}
    return render(request, "error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # FormDataMiddleware answers these first; this covers a body read outside a form post.
    problem = client_error(exception)
    if problem is not None:
        return client_error_response(request, problem)
    return _error(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "You cannot do that here."
    return _error(request, 403, "Not allowed", message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "Not found", "There is nothing here, or you cannot see it.")


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while the exception is being handled: a database that does not
    # answer is not a bug of ours but a moment to wait (and this page must not query it).
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable()
    return _error(request, 500, "Something went wrong", "The error was logged. Please try again.")


def database_unavailable() -> HttpResponse:
    """503 with Retry-After, rendered without the request: no session, user or query."""
    response = HttpResponse(render_to_string("unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
