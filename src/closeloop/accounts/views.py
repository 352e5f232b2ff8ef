"""Logging in and out, passwords, and the profile page.

Django's auth views do the heavy lifting; these subclasses add our templates, the demo logins,
the SITE_URL-based reset email and an audit row whenever a password changes.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from closeloop.accounts.forms import EmailAuthenticationForm, EmailPasswordResetForm, ProfileForm
from closeloop.accounts.hooks import absence_notes
from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.login_hints import login_hints
from closeloop.accounts.mfa import mfa_enrolled
from closeloop.accounts.models import User
from closeloop.accounts.passwords import reset_token_generator
from closeloop.accounts.selectors import (
    TYPED_PEOPLE_FIELDS,
    absence_cover_words,
    holiday_countries,
    holiday_subdivisions,
    people_for_field,
    people_suggest,
    sessions_of,
    user_zone,
)
from closeloop.accounts.services import (
    password_reset_asked,
    password_reset_wait,
    user_password_changed,
    user_sessions_end,
    user_update_profile,
)
from closeloop.accounts.signin import password_login_allowed, sign_in_begin
from closeloop.accounts.sso import sso_enabled, sso_provider_name
from closeloop.lib.forms import add_service_errors


class PasswordLoginOffMixin:
    """PASSWORD_LOGIN=0: the page says passwords are managed by the provider, and does
    nothing (superusers, the break-glass accounts, still change theirs)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_login_allowed(request.user):
            context = {"sso_name": sso_provider_name() if sso_enabled() else None}
            return render(request, "accounts/password_off.html", context)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class LoginView(auth_views.LoginView):
    """Email + password. `next` is followed only when it stays on this site (Django checks).

    A person with an authenticator app is not signed in here: `sign_in_begin` holds the
    sign-in for the second step (accounts.signin).
    """

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Read per request, never cached: a production setup must never show these.
        hints = login_hints() if settings.CLOSELOOP_DEMO else None
        if hints is not None:
            context["demo_logins"] = hints.logins
            context["demo_password"] = hints.password
        context["sso_name"] = sso_provider_name() if sso_enabled() else None
        context["password_login"] = settings.PASSWORD_LOGIN
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not password_login_allowed(user):
            # Answered exactly as a wrong password is, and counted as one by the login
            # limiter: the page must not confirm a password it will not accept.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": form.cleaned_data.get("username", "")},
                request=self.request,
            )
            form.add_error(None, form.get_invalid_login_error())
            return self.form_invalid(form)
        next_url = self.get_success_url()
        if sign_in_begin(self.request, user, method="password", next_url=next_url):
            return HttpResponseRedirect(next_url)
        return redirect("accounts:login-verify")


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), so a link or an image cannot log anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out.")
        return response


class PasswordChangeView(PasswordLoginOffMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user_password_changed(user=form.user)
        # Everywhere else the old password was used is signed out; this browser stays.
        user_sessions_end(user=form.user, keep_key=self.request.session.session_key)
        messages.success(self.request, "Your password is changed.")
        return response


class PasswordResetView(PasswordLoginOffMixin, auth_views.PasswordResetView):
    """The same "sent" page whether or not the address has an account (no enumeration)."""

    template_name = "accounts/password_reset.html"
    form_class = EmailPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-sent")
    token_generator = reset_token_generator

    def form_valid(self, form: EmailPasswordResetForm) -> HttpResponse:  # type: ignore[override]
        email = form.cleaned_data["email"]
        wait = password_reset_wait(session=self.request.session, email=email)
        if wait is not None:
            # Refused by the rate limit: say so and when, rather than a "sent" page alone.
            minutes = math.ceil(wait.total_seconds() / 60)
            messages.info(
                self.request,
                "You asked for a link to that address moments ago, so no new link is sent: "
                f"use the one on its way, or ask again in {minutes} minute{pluralize(minutes)}.",
            )
            return HttpResponseRedirect(self.get_success_url())
        password_reset_asked(session=self.request.session, email=email)
        return super().form_valid(form)


class PasswordResetConfirmView(PasswordLoginOffMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    token_generator = reset_token_generator

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        user_password_changed(user=form.user, by_reset=True)
        user_sessions_end(user=form.user)  # whoever knew the old password is signed out
        return response


login = LoginView.as_view()
logout = LogoutView.as_view()
password_change = PasswordChangeView.as_view()
password_reset = PasswordResetView.as_view()
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: AuthedRequest) -> HttpResponse:
    """Who I am, my roles and manager, and the calendar reminders respect."""
    user = request.user
    # Times on this page are typed and shown in the person's own zone.
    with timezone.override(user_zone(user)):
        if request.method == "POST":
            form = ProfileForm(request.POST, user=user)
            if form.is_valid():
                try:
                    saved = user_update_profile(user=user, by=user, data=form.cleaned_data)
                except ValidationError as error:
                    user.refresh_from_db()  # the service may have touched the instance
                    add_service_errors(form, error)
                else:
                    messages.success(request, "Your profile is saved.")
                    # What moved with a new calendar: "1 open follow-up you owe was re-timed …"
                    for note in saved.notes:
                        messages.info(request, note)
                    # An absence that collides with what they are booked on says so.
                    for note in absence_notes(user=user, now=timezone.now()):
                        messages.warning(request, note)
                    return redirect("accounts:profile")
        else:
            form = ProfileForm(initial=ProfileForm.initial_for(user), user=user)
        # A form sent back with its errors is a bad request, as on every other form.
        status = 400 if request.method == "POST" else 200
        return profile_render(request, form=form, status=status)


def profile_render(
    request: AuthedRequest,
    *,
    form: ProfileForm | None = None,
    status: int = 200,
    **slots: Any,
) -> HttpResponse:
    """The profile page: `form` (else the profile as saved), and `slots` for the panels other
    apps put on it (a refused panel form comes back bound, with what was typed)."""
    user = request.user
    with timezone.override(user_zone(user)):
        if form is None:
            form = ProfileForm(initial=ProfileForm.initial_for(user), user=user)
        subdivisions = holiday_subdivisions(user.holiday_country)
        context = {
            **slots,
            "form": form,
            "profile_user": user,
            "country_name": holiday_countries().get(user.holiday_country, ""),
            "region_name": subdivisions.get(user.holiday_subdivision, ""),
            "subdivisions": subdivisions,
            "away_now": user.is_out_of_office(),
            "away_soon": bool(user.out_of_office_from and user.out_of_office_from > timezone.now()),
            # Who covers then: the delegate, or whoever does when the delegate is away too.
            "cover_words": absence_cover_words(
                user, max(user.out_of_office_from or timezone.now(), timezone.now())
            ),
            "sessions": sessions_of(user=user, current_key=request.session.session_key),
            "mfa_on": mfa_enrolled(user),
            "nav": "profile",
        }
        return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_safe
def people_suggest_view(request: AuthedRequest) -> HttpResponse:
    """The people a typed person field may name whose name or email holds what was typed
    (`?field=delegate&delegate=han`): the options a big organisation's forms offer as one
    types. Names and emails only, of active people, to someone signed in (as every page
    that names a colleague shows them)."""
    field = request.GET.get("field", "")
    if field not in TYPED_PEOPLE_FIELDS:
        raise Http404("No such field.")
    people = people_for_field(field=field, user=request.user)
    suggested = people_suggest(people, words=request.GET.get(field, ""))
    return render(request, "people/_options.html", {"people": suggested})


@login_required
@require_POST
def sessions_end_others(request: AuthedRequest) -> HttpResponse:
    """Sign out every other browser where this person is signed in."""
    ended = user_sessions_end(user=request.user, keep_key=request.session.session_key)
    if ended:
        messages.success(request, f"Signed out {ended} other session{pluralize(ended)}.")
    else:
        messages.info(request, "You were signed in nowhere else.")
    return redirect(f"{reverse('accounts:profile')}#sessions")
