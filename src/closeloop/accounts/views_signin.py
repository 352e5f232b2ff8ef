"""Signing in through the provider (SSO), the second step, and two-step sign-in settings.

Views parse the request and call `accounts.sso`, `accounts.signin` and `accounts.mfa`; a
refusal becomes a message on the page, never an error page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closeloop.accounts.forms_mfa import CodeForm, ProofForm
from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.mfa import (
    RECOVERY_CODE_COUNT,
    mfa_device,
    mfa_enrolment_confirm,
    mfa_enrolment_start,
    mfa_pending_device,
    mfa_qr_svg,
    mfa_recovery_codes_left,
    mfa_recovery_codes_regenerate,
    mfa_remove,
    mfa_required_for,
    mfa_secret_text,
)
from closeloop.accounts.services import user_sessions_end
from closeloop.accounts.signin import (
    session_mfa_passed,
    sign_in_begin,
    sign_in_cancel,
    sign_in_pending,
    sign_in_second_step,
)
from closeloop.accounts.sso import (
    SsoRefused,
    SsoStartView,
    sso_authenticate,
    sso_enabled,
    sso_provider_name,
)


@require_GET
@never_cache
def sso_start(request: HttpRequest) -> HttpResponse:
    """Off to the provider; `next` is kept only when it stays on this site."""
    if not sso_enabled():
        raise Http404("Single sign-on is not configured.")
    try:
        return SsoStartView.as_view()(request)
    except SsoRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:login")


@require_GET
@never_cache
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider with a code (or an error) and the state we sent."""
    if not sso_enabled():
        raise Http404("Single sign-on is not configured.")
    states = request.session.get("oidc_states")
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if isinstance(states, dict) and state else None
    if entry is not None:
        request.session["oidc_states"] = states  # each state is used once
    name = sso_provider_name()
    if request.GET.get("error"):
        messages.error(request, f"{name} did not sign you in. Try again, or ask your admin.")
        return redirect("accounts:login")
    if not isinstance(entry, dict) or not request.GET.get("code"):
        messages.error(
            request, f"That sign-in with {name} was not started here, or is used: start again."
        )
        return redirect("accounts:login")
    try:
        user = sso_authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except SsoRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:login")
    next_url = request.session.pop("oidc_login_next", None) or resolve_url(
        settings.LOGIN_REDIRECT_URL
    )
    if sign_in_begin(request, user, method="sso", next_url=next_url):
        return redirect(next_url)
    return redirect("accounts:login-verify")


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin's own login page would open a session on a password alone: it sends
    people to ours (SSO, the second step), keeping `next` when it stays on this site."""
    next_url = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if request.user.is_authenticated:  # signed in already: no login page would help
        if request.user.is_staff:
            return redirect(next_url if next_url and safe else "admin:index")
        raise PermissionDenied("The Django admin is for Closeloop's staff.")
    target = resolve_url("accounts:login")
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url and safe else target)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app, or a recovery code."""
    pending = sign_in_pending(request)
    if pending is None:
        messages.info(request, "Sign in first; then Closeloop asks for your code.")
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and "cancel" in request.POST:
        sign_in_cancel(request)
        return redirect("accounts:login")
    if request.method == "POST" and form.is_valid():
        result = sign_in_second_step(request, pending, form.cleaned_data["code"])
        if result.signed_in:
            if result.recovery_used:
                messages.warning(
                    request,
                    "You used a recovery code; it works only once. Make new ones on your "
                    "two-step sign-in page if few are left.",
                )
            return redirect(pending.next_url)
        if result.start_over:
            messages.error(request, result.message)
            return redirect("accounts:login")
        form.add_error("code", result.message)
    return render(request, "accounts/login_verify.html", {"form": form, "person": pending.user})


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def mfa(request: AuthedRequest) -> HttpResponse:
    """Two-step sign-in: on or off, recovery codes left, and the buttons to change it."""
    user = request.user
    context = {
        "device": mfa_device(user),
        "codes_left": mfa_recovery_codes_left(user),
        "required": mfa_required_for(user),
        "proof_form": ProofForm(),
        "nav": "profile",
    }
    return render(request, "accounts/mfa.html", context)


@login_required
@require_POST
def mfa_start(request: AuthedRequest) -> HttpResponse:
    """A new secret to scan (nothing is protected by it until a code confirms it)."""
    try:
        mfa_enrolment_start(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:mfa")
    return redirect("accounts:mfa-enrol")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mfa_enrol(request: AuthedRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), then confirm with a first code."""
    user = request.user
    if mfa_device(user) is not None:
        return redirect("accounts:mfa")
    device = mfa_pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = mfa_enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            session_mfa_passed(request)
            # A browser signed in with the password alone before is signed out, as after a
            # password change.
            user_sessions_end(user=user, keep_key=request.session.session_key)
            messages.success(request, "Two-step sign-in is on; you are signed out elsewhere.")
            return _codes_page(request, codes)
    context = {
        "device": device,
        "qr": mfa_qr_svg(device) if device is not None else "",
        "secret": mfa_secret_text(device) if device is not None else "",
        "form": form,
        "required": mfa_required_for(user),
        "nav": "profile",
    }
    return _no_store(render(request, "accounts/mfa_enrol.html", context))


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """The recovery codes, shown this once (never cached, never shown again)."""
    context = {"codes": codes, "count": RECOVERY_CODE_COUNT, "nav": "profile"}
    return _no_store(render(request, "accounts/mfa_codes.html", context))


@login_required
@require_POST
def mfa_codes(request: AuthedRequest) -> HttpResponse:
    """New recovery codes, after the password or a current code."""
    form = ProofForm(request.POST)
    if form.is_valid():
        try:
            proof = form.cleaned_data["proof"]
            codes = mfa_recovery_codes_regenerate(user=request.user, proof=proof, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return _codes_page(request, codes)
    else:
        messages.error(request, "Type your password or a current code from your app.")
    return redirect("accounts:mfa")


@login_required
@require_POST
def mfa_delete(request: AuthedRequest) -> HttpResponse:
    """Turn two-step sign-in off, after the password or a current code."""
    form = ProofForm(request.POST)
    if form.is_valid():
        try:
            mfa_remove(user=request.user, proof=form.cleaned_data["proof"], request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Two-step sign-in is off; recovery codes no longer work.")
    else:
        messages.error(request, "Type your password or a current code from your app.")
    return redirect("accounts:mfa")
