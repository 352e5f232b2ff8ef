"""Authentication in one query: the user comes with the session (see `accounts.sessions`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from closeloop.accounts.backends import SESSION_USER
from closeloop.accounts.mfa import mfa_enrolled, mfa_required_for
from closeloop.accounts.signin import session_mfa_passed_here, session_sso_trusted


def session_user(request: HttpRequest) -> Any:
    """Django's `auth.get_user`, given the user the session row brought along."""
    if not hasattr(request, "_cached_user"):
        session = request.session
        session.get(auth.SESSION_KEY)  # loads the session, and with it the user
        token = SESSION_USER.set(getattr(session, "loaded_user", None))
        try:
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
        finally:
            SESSION_USER.reset(token)
    return request._cached_user  # type: ignore[attr-defined]


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, reading the user through `session_user`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: session_user(request))  # type: ignore[assignment]


# Pages an admin who still owes a second factor may open: signing in and out, setting the
# factor up, and what authorises one action rather than a login (one-click links, calendar
# feeds) and the health probes.
MFA_EXEMPT_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:login-verify",
        "accounts:logout",
        "accounts:sso-start",
        "accounts:sso-callback",
        "accounts:mfa",
        "accounts:mfa-start",
        "accounts:mfa-enrol",
        "followups:act",
        "calendars:feed",
        "ops:healthz",
        "ops:readyz",
        "ops:favicon",
    }
)


class MfaRequiredMiddleware:
    """MFA_REQUIRED_FOR_ADMINS: an admin whose session has no second factor is sent to set
    one up (no app yet) or to sign in again with it (an app set up in another browser)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not settings.MFA_REQUIRED_FOR_ADMINS:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in MFA_EXEMPT_VIEWS:
            return None
        user = request.user
        if not user.is_authenticated or not mfa_required_for(user):
            return None
        if session_sso_trusted(request):
            return None
        if not mfa_enrolled(user):  # none yet, or removed in this session
            messages.info(request, "Admins must turn on two-step sign-in before going on.")
            return redirect("accounts:mfa-enrol")
        if session_mfa_passed_here(request):
            return None
        auth.logout(request)
        messages.info(request, "Sign in again with a code from your authenticator app.")
        return redirect("accounts:login")
