"""The request a signed-in page receives, for type checking.

Django types `request.user` as "a user or AnonymousUser"; behind `login_required` it is
always a `User`. Views so decorated annotate their request with `AuthedRequest`, and
the selectors and services they call can keep asking for a `User`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from closeloop.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest whose user is signed in (a view behind `login_required`)."""

    user: User
    htmx: HtmxDetails  # set by django_htmx's middleware on every request


def client_address(request: HttpRequest) -> str | None:
    """The address of the browser that sent the request, for the login limiter.

    Behind the TLS proxy (BEHIND_HTTPS_PROXY), every request comes from the proxy: limiting
    on that address would let five bad attempts from anyone lock a person out for everyone.
    When the request comes from a trusted proxy (TRUSTED_PROXIES, the loopback addresses by
    default), the address is the last one in X-Forwarded-For, the one that proxy appended;
    the ones before it are whatever the browser claimed, never believed.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.TRUSTED_PROXIES or remote not in settings.TRUSTED_PROXIES:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    last = forwarded[-1] if forwarded else ""
    return last if _is_address(last) else remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
