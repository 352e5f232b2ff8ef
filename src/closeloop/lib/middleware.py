"""Security headers every response carries (docs/architecture.md#security-and-permissions)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from closeloop.lib.client_errors import client_error_response, form_data_problem

# No inline scripts or styles anywhere: everything comes from our own static files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    """Adds the Content Security Policy and a permissions policy to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages with candidate data must not linger in shared caches or the back button.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class UserTimeZoneMiddleware:
    """Show every page in the signed-in person's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone_name = getattr(user, "time_zone", "") if user is not None else ""
        try:
            zone = zoneinfo.ZoneInfo(zone_name) if zone_name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class FormDataMiddleware:
    """Refuse a form the server cannot take (too large, too many fields, a broken upload, not
    UTF-8) with a page that says why, before any view or the CSRF check reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = form_data_problem(request)
        if problem is not None:
            return client_error_response(request, problem)
        return self.get_response(request)
