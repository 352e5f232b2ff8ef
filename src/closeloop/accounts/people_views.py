"""The people page (admins): invite, change roles, deactivate and reactivate; and the
invitation link, where the invitee chooses a password and is signed in."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from closeloop.accounts.hooks import deactivation_impact, person_counts, reactivation_impact
from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.models import User
from closeloop.accounts.people import (
    ROLES_EDITED_LABELS,
    InvitationUnusable,
    invitation_accept,
    invitation_create,
    invitation_lifetime,
    invitation_lookup,
    invitation_resend,
    invitation_revoke,
    user_deactivate,
    user_reactivate,
    user_roles_seen,
    user_roles_update,
)
from closeloop.accounts.people_forms import (
    InvitationForm,
    PeopleFilterForm,
    PersonCalendarForm,
    RolesForm,
)
from closeloop.accounts.people_selectors import (
    invitation_get_for_admin,
    people_admin_check,
    people_list,
    person_deactivation_problem,
    person_get_for_admin,
    person_reactivation_problem,
)
from closeloop.accounts.selectors import holiday_subdivisions, user_zone
from closeloop.accounts.services import user_calendar_seen, user_update_calendar
from closeloop.accounts.signin import password_login_allowed, sign_in_finish
from closeloop.lib.forms import add_service_errors, refusal_message, refusal_words
from closeloop.lib.pages import page_get, page_query
from closeloop.lib.seen import SavedSince, seen_kept
from closeloop.lib.timefmt import duration_short


def _refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text or "Only an admin manages people.")


@login_required
@require_safe
def people(request: AuthedRequest) -> HttpResponse:
    """Everyone, 50 a page, with roles, status, last login and open asks owed."""
    people_admin_check(request.user)
    filters = PeopleFilterForm(request.GET)
    chosen = {name: filters.value(name) for name in ("q", "role", "status")}
    rows = people_list(
        user=request.user, role=chosen["role"], status=chosen["status"], search=chosen["q"]
    )
    page = page_get(rows, request.GET.get("page"))
    counts = person_counts()
    for person in page.object_list:  # the registered counts, in the columns' order
        person.count_cells = [
            (getattr(person, count.name), getattr(person, count.aside_name, 0), count)
            for count in counts
        ]
    notices = filters.notices()
    context = {
        "filters": filters,
        "notices": notices,
        "page": page,
        "query": page_query(chosen),
        "counts": counts,
        "filtered": any(chosen.values()) or bool(notices),
        "nav": "people",
    }
    return render(request, "people/list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite(request: AuthedRequest) -> HttpResponse:
    people_admin_check(request.user)
    if request.method == "POST":
        form = InvitationForm(request.POST, by=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = invitation_create(
                    by=request.user,
                    email=data["email"],
                    full_name=data["full_name"],
                    roles=data,
                    manager=data.get("manager"),
                    time_zone=data["time_zone"],
                    holiday_country=data["holiday_country"],
                    holiday_subdivision=data["holiday_subdivision"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Invitation sent to {invitation.email}: the link works once, for "
                    f"{duration_short(invitation_lifetime())}.",
                )
                return redirect("people:list")
        messages.error(request, refusal_message(form, "Nobody was invited."))
        status = 400
    else:
        # "Invite again" on the list fills in the address and the name (shown, not trusted).
        again = {name: request.GET.get(name, "")[:150] for name in ("email", "full_name")}
        form, status = InvitationForm(initial=again, by=request.user), 200
    return render(request, "people/invite.html", {"form": form, "nav": "people"}, status=status)


def _roles_form(person: User) -> RolesForm:
    """The roles page's form as it shows them, with the fingerprint of what it shows."""
    initial = {name: getattr(person, name) for name in ROLES_EDITED_LABELS}
    return RolesForm(initial={**initial, "seen": user_roles_seen(person)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def roles(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_get_for_admin(user=request.user, pk=pk)
    status, saved_since, lead = 200, None, "Nothing was changed."
    if request.method == "POST":
        form = RolesForm(request.POST)
        if form.is_valid():
            try:
                user_roles_update(
                    user=person,
                    by=request.user,
                    roles=form.cleaned_data,
                    seen=form.cleaned_data["seen"],
                )
            except SavedSince as stale:
                # Someone saved since this page was opened: the roles as they are now, what
                # was ticked kept (docs/architecture.md#where-rules-live).
                person = person_get_for_admin(user=request.user, pk=pk)
                seen = user_roles_seen(person)
                data, saved_since = seen_kept(form, stale, now=_roles_form(person), seen=seen)
                form = RolesForm(data)
                form.is_valid()
                lead = refusal_words(stale)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{person}'s roles are saved.")
                return redirect("people:list")
        messages.error(request, refusal_message(form, lead))
        status = 400
    else:
        form = _roles_form(person)
    context = {"form": form, "person": person, "nav": "people", "saved_since": saved_since}
    return render(request, "people/roles.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar(request: AuthedRequest, pk: int) -> HttpResponse:
    """A person's working calendar and out of office, edited by an admin with the profile's
    fields and rules, saved by the profile's service (`user_update_calendar`): their open
    asks are re-timed as when they change it themselves, and the page says so as theirs
    does. Times are typed and shown in the person's zone."""
    person = person_get_for_admin(user=request.user, pk=pk)
    status, saved_since, lead = 200, None, "Nothing was saved."
    with timezone.override(user_zone(person)):
        if request.method == "POST":
            form = PersonCalendarForm(request.POST, user=person)
            if form.is_valid():
                try:
                    saved = user_update_calendar(
                        user=person,
                        by=request.user,
                        data=form.cleaned_data,
                        seen=form.cleaned_data["seen"],
                    )
                except SavedSince as stale:
                    # Changed since this page was opened: the calendar as it is now, what
                    # the admin typed kept (docs/architecture.md#where-rules-live).
                    person = person_get_for_admin(user=request.user, pk=pk)
                    now = PersonCalendarForm(
                        initial=PersonCalendarForm.initial_for(person), user=person
                    )
                    seen = user_calendar_seen(person)
                    data, saved_since = seen_kept(form, stale, now=now, seen=seen)
                    form = PersonCalendarForm(data, user=person)
                    form.is_valid()
                    lead = refusal_words(stale)
                except ValidationError as error:
                    person.refresh_from_db()  # the service may have touched the instance
                    add_service_errors(form, error)
                else:
                    messages.success(request, f"{person}’s working calendar is saved.")
                    # What moved with it: "1 open follow-up Hank Hill owes was re-timed …"
                    for note in saved.notes:
                        messages.info(request, note)
                    return redirect("people:list")
            messages.error(request, refusal_message(form, lead))
            status = 400
        else:
            form = PersonCalendarForm(initial=PersonCalendarForm.initial_for(person), user=person)
        context = {
            "form": form,
            "person": person,
            "saved_since": saved_since,
            "subdivisions": holiday_subdivisions(person.holiday_country),
            "nav": "people",
        }
        return render(request, "people/calendar.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: what will happen (asks that move and to whom, jobs to reassign); POST: do it."""
    person = person_get_for_admin(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            user_deactivate(user=person, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
            return redirect("people:deactivate", pk=person.pk)
        messages.success(
            request,
            f"{person} is deactivated: signed out everywhere, their open asks moved, their "
            "links and calendar feed switched off.",
        )
        return redirect(f"{reverse('people:list')}?status=deactivated")
    problem = person_deactivation_problem(person=person, by=request.user)
    context = {
        "person": person,
        "problem": problem,
        "impact": [] if problem else deactivation_impact(user=person, by=request.user),
        "nav": "people",
    }
    return render(request, "people/deactivate.html", context)


def _act_and_list(request: HttpRequest, act: Callable[[], object], done: str) -> HttpResponse:
    """Run an admin's action on the people page: its refusal, or `done`, then the list."""
    try:
        act()
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect("people:list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: what will happen (the asks held for them that come back and from whom, who is
    told); POST: do it. The service refuses an invitee (never joined: their invitation is
    what to send again) and someone active already; the page says so instead of a button."""
    person = person_get_for_admin(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            done = user_reactivate(user=person, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
            return redirect("people:reactivate", pk=person.pk)
        messages.success(
            request, " ".join([f"{person} is active again and can log in.", *done.notes])
        )
        return redirect("people:list")
    problem = person_reactivation_problem(person=person)
    context = {
        "person": person,
        "problem": problem,
        "impact": [] if problem else reactivation_impact(user=person, by=request.user),
        "nav": "people",
    }
    return render(request, "people/reactivate.html", context)


@login_required
@require_POST
def invitation_send_again(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = invitation_get_for_admin(user=request.user, pk=pk)
    return _act_and_list(
        request,
        lambda: invitation_resend(invitation=invitation, by=request.user),
        f"A new link went to {invitation.email}; the one sent before no longer works.",
    )


@login_required
@require_POST
def invitation_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = invitation_get_for_admin(user=request.user, pk=pk)
    return _act_and_list(
        request,
        lambda: invitation_revoke(invitation=invitation, by=request.user),
        f"The invitation of {invitation.email} is withdrawn.",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's link: choose a password, then they are signed in. GET changes nothing."""
    try:
        invitation = invitation_lookup(token=token)
    except InvitationUnusable as unusable:
        refused: dict[str, object] = {"reason": unusable.reason}
        return render(request, "people/invitation_accept.html", refused, status=410)
    person = invitation.user
    if not password_login_allowed(person):
        # Passwords are off (PASSWORD_LOGIN=0): the invitee signs in through single sign-on
        # with this address, which accepts the invitation (accounts.sso).
        context = {"invitation": invitation, "sso_only": True}
        status = 400 if request.method == "POST" else 200
        return render(request, "people/invitation_accept.html", context, status=status)
    status = 200
    if request.method == "POST":
        form = SetPasswordForm(person, request.POST)
        if form.is_valid():
            try:
                person = invitation_accept(
                    invitation=invitation, password=form.cleaned_data["new_password1"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Says the welcome, with the calendar they were invited with.
                sign_in_finish(request, person, method="password", mfa_passed=False)
                return redirect("pipeline:queue")
        status = 400
    else:
        form = SetPasswordForm(person)
    context = {"form": form, "invitation": invitation}
    # The site's Referrer-Policy (strict-origin) never sends the token's path elsewhere.
    return render(request, "people/invitation_accept.html", context, status=status)
