"""Signing a person in: the password form and single sign-on both end here.

A person with a TOTP app passes a second step first: until then the session holds only a
pending sign-in (who, how, where to go next, how many wrong codes), never the user's id, so
no page treats it as signed in. Wrong codes are limited three ways: the device backs off
(django-otp), each one counts as a failed login for the login limiter (django-axes, per
address and email), and after MFA_MAX_ATTEMPTS the pending sign-in is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from closeloop.accounts.mfa import MfaCheck, mfa_enrolled, mfa_verify
from closeloop.accounts.models import User
from closeloop.accounts.selectors import user_calendar_words

# The backend every session is opened with: it reads the user with the session in one query
# and refuses deactivated people on every request (accounts.backends).
SESSION_BACKEND = "closeloop.accounts.backends.SessionUserBackend"

PENDING = "_closeloop_pending_sign_in"
METHOD = "_closeloop_sign_in_method"  # "password" or "sso"
MFA_PASSED = "_closeloop_mfa_passed"
PENDING_SECONDS = 5 * 60


def password_login_allowed(user: Any) -> bool:
    """PASSWORD_LOGIN=0 leaves passwords to superusers only: the break-glass accounts for
    when the provider is down (README, "Single sign-on")."""
    return bool(settings.PASSWORD_LOGIN) or bool(getattr(user, "is_superuser", False))


def mfa_applies(user: User, method: str) -> bool:
    """Whether this sign-in asks for the second factor: password sign-ins of people with an
    app; SSO sign-ins only with OIDC_REQUIRE_MFA (the provider does its own MFA)."""
    if method == "sso" and not settings.OIDC_REQUIRE_MFA:
        return False
    return mfa_enrolled(user)


def sign_in_finish(request: HttpRequest, user: User, *, method: str, mfa_passed: bool) -> None:
    """Open the session (a new key: no fixation) and note how it was opened. A person's
    first sign-in is welcomed with the working calendar their due times are counted in."""
    first = user.last_login is None  # `auth.login` sets it
    request.session.pop(PENDING, None)
    auth.login(request, user, backend=SESSION_BACKEND)
    request.session[METHOD] = method
    request.session[MFA_PASSED] = mfa_passed
    if first:
        welcome_say(request, user)


# Whether the person's home already says their working calendar, with the way to change it:
# a new organisation's first steps do, for its admin and for a recruiter with no job yet.
# The steps are the pipeline's, a layer above accounts, which registers its reader from its
# ready() (docs/architecture.md#registries-and-hooks).
_CALENDAR_SAID: list[Callable[[User], bool]] = []


def welcome_calendar_said_register(reader: Callable[[User], bool]) -> None:
    """Register `reader(user)`: whether their home says their calendar (replaces any)."""
    _CALENDAR_SAID[:] = [reader]


def welcome_say(request: HttpRequest, user: User) -> None:
    """The first page after someone joins (an invitation accepted with a password or through
    single sign-on, the first admin's first sign-in) says their working calendar as it was
    set for them, with the way to change it: an invitation sets the time zone and public
    holidays, the working hours start as everyone's, and nobody would otherwise look.

    Said once: when their home lists the calendar among their first steps (the page they
    land on), the welcome leaves it to that step."""
    messages.success(request, f"Welcome to Closeloop, {user.short_name}.", fail_silently=True)
    if any(reader(user) for reader in _CALENDAR_SAID):
        return
    line = format_html(
        "Your working calendar: {}. Due times and reminders follow it; "
        '<a href="{}#calendar">check it on your profile</a>.',
        user_calendar_words(user),
        reverse("accounts:profile"),
    )
    messages.info(request, line, fail_silently=True)


def sign_in_begin(request: HttpRequest, user: User, *, method: str, next_url: str) -> bool:
    """Sign `user` in, or hold the sign-in for the second step. True when signed in."""
    if not mfa_applies(user, method):
        sign_in_finish(request, user, method=method, mfa_passed=False)
        return True
    if request.user.is_authenticated:
        auth.logout(request)  # someone else's session in this browser ends here
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "method": method,
        "next": next_url,
        "at": time.time(),
        "tries": 0,
    }
    return False


@dataclass(frozen=True)
class Pending:
    user: User
    method: str
    next_url: str
    tries: int


def sign_in_pending(request: HttpRequest) -> Pending | None:
    """The sign-in waiting for its second step in this browser, if still fresh."""
    data: Any = request.session.get(PENDING)
    if not isinstance(data, dict):
        return None
    try:
        started = float(data["at"])
        user = User.objects.get(pk=int(data["user"]), is_active=True)
        pending = Pending(user, str(data["method"]), str(data["next"]), int(data["tries"]))
    except (KeyError, TypeError, ValueError, User.DoesNotExist):
        request.session.pop(PENDING, None)
        return None
    if time.time() - started > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    return pending


def sign_in_cancel(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


@dataclass(frozen=True)
class SecondStep:
    signed_in: bool
    message: str = ""
    start_over: bool = False
    recovery_used: bool = False


def sign_in_second_step(request: HttpRequest, pending: Pending, code: str) -> SecondStep:
    """Check the code of a pending sign-in; sign in when it matches."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: pending.user.email}
    if not AxesProxyHandler.is_allowed(request, credentials):
        sign_in_cancel(request)
        return SecondStep(False, "Too many failed attempts: try again later.", start_over=True)
    check: MfaCheck = mfa_verify(user=pending.user, code=code)
    if check.ok:
        sign_in_finish(request, pending.user, method=pending.method, mfa_passed=True)
        return SecondStep(True, recovery_used=check.recovery_used)
    # A wrong code is a failed login for the limiter, like a wrong password.
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    tries = pending.tries + 1
    if tries >= settings.MFA_MAX_ATTEMPTS:
        sign_in_cancel(request)
        return SecondStep(
            False, "Too many wrong codes: sign in again from the start.", start_over=True
        )
    data = dict(request.session[PENDING])
    data["tries"] = tries
    request.session[PENDING] = data
    return SecondStep(False, check.message)


def session_mfa_passed_here(request: HttpRequest) -> bool:
    """This session passed a second factor (at sign-in, or by confirming a new app)."""
    return bool(request.session.get(MFA_PASSED))


def session_sso_trusted(request: HttpRequest) -> bool:
    """This session was opened through SSO, whose provider does the MFA (unless
    OIDC_REQUIRE_MFA asks for Closeloop's code as well)."""
    return request.session.get(METHOD) == "sso" and not settings.OIDC_REQUIRE_MFA


def session_mfa_passed(request: HttpRequest) -> None:
    """The person just proved a code in this session (they confirmed their new app)."""
    request.session[MFA_PASSED] = True
