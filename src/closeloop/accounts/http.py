"""The request a signed-in page receives, for type checking.

Django types `request.user` as "a user or AnonymousUser"; behind `login_required` it is
always a `User`. Views so decorated annotate their request with `AuthedRequest`, and
the selectors and services they call can keep asking for a `User`.
"""

from __future__ import annotations

from django.http import HttpRequest

from closeloop.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest whose user is signed in (a view behind `login_required`)."""

    user: User
