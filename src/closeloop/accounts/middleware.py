"""Authentication in one query: the user comes with the session (see `accounts.sessions`)."""

from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from closeloop.accounts.backends import SESSION_USER


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
