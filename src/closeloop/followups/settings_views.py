"""The organisation's settings: an admin-only page of service levels and office closures.

Anyone else gets a 404, as for every page they may not see. The page shows, per ask kind,
the due time in force and whether it is chased at all; saving changes new asks only. Below,
the office closures: days business time skips for everyone; adding or deleting one re-times
the open asks not yet due.

See docs/architecture.md#the-follow-up-engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from closeloop.accounts.http import AuthedRequest
from closeloop.followups.forms import OfficeClosureForm, ServiceLevelsForm
from closeloop.followups.models import OfficeClosure
from closeloop.followups.policies import DEFAULTS, service_level_can_edit
from closeloop.followups.policies import service_levels_in_force as levels_in_force
from closeloop.followups.selectors import office_closures_listed
from closeloop.followups.services import (
    ClosureChanged,
    closure_days_words,
    office_closure_add,
    office_closure_delete,
    service_levels_seen,
    service_levels_update,
)
from closeloop.lib.forms import add_service_errors
from closeloop.lib.seen import SavedSince, SavedValue, seen_kept

if TYPE_CHECKING:
    from django.http import HttpResponse

    from closeloop.followups.policies import LevelInForce


def _page(
    request: AuthedRequest,
    form: ServiceLevelsForm,
    status: int = 200,
    saved_since: list[SavedValue] | None = None,
    closure_form: OfficeClosureForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    closures = office_closures_listed(user=request.user, today=today)
    context = {
        "nav": "settings",
        "form": form,
        "saved_since": saved_since,
        "closure_form": closure_form or OfficeClosureForm(),
        "closures": [
            (
                closure,
                closure_days_words(closure.first_day, closure.last_day),
                closure.last_day < today,
            )
            for closure in closures
        ],
    }
    return render(request, "followups/service_levels.html", context, status=status)


def _form(levels: list[LevelInForce]) -> ServiceLevelsForm:
    """The settings as the page shows them, with the fingerprint of what it shows."""
    return ServiceLevelsForm(levels=levels, initial={"seen": service_levels_seen(levels)})


def _saved_message(changed: list[str]) -> str:
    if not changed:
        return "Nothing changed: the service levels were already set that way."
    labels = ", ".join(DEFAULTS[kind].label for kind in changed)
    return f"Saved: {labels}. New asks use these; asks already open keep their schedule."


@login_required
@require_http_methods(["GET", "POST"])
def service_levels(request: AuthedRequest) -> HttpResponse:
    """View and change the organisation's due time and on/off switch per ask kind."""
    if not service_level_can_edit(user=request.user):
        raise Http404("No such page.")
    levels = levels_in_force()
    if request.method != "POST":
        return _page(request, _form(levels))
    form = ServiceLevelsForm(request.POST, levels=levels)
    if form.is_valid():
        try:
            changed = service_levels_update(
                by=request.user, levels=form.settings(), seen=form.cleaned_data["seen"]
            )
        except SavedSince as stale:
            # Someone saved since this page was opened: the page as it is now, what was
            # typed kept (docs/architecture.md#where-rules-live).
            now = levels_in_force()
            seen = service_levels_seen(now)
            data, rows = seen_kept(form, stale, now=_form(now), seen=seen, typed=form.seen_values())
            kept = ServiceLevelsForm(data, levels=now)
            kept.is_valid()
            kept.add_service_error(stale)
            return _page(request, kept, status=400, saved_since=rows)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _saved_message(changed))
            return redirect("followups:service-levels")
    return _page(request, form, status=400)


def _retimed_words(done: ClosureChanged) -> str:
    if not done.retimed:
        return "No open follow-up needed re-timing."
    count = f"{done.retimed} open follow-up{'s' if done.retimed != 1 else ''}"
    was = "was" if done.retimed == 1 else "were"
    return (
        f"{count} not yet due {was} re-timed, each keeping the business time it had left; "
        "overdue ones stay as they were."
    )


@login_required
@require_http_methods(["POST"])
def office_closure_create(request: AuthedRequest) -> HttpResponse:
    """Add an office closure from the settings page; refused with the page and its
    problems, nothing saved."""
    if not service_level_can_edit(user=request.user):
        raise Http404("No such page.")
    form = OfficeClosureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = office_closure_add(
                by=request.user,
                name=data["name"],
                first_day=data["first_day"],
                last_day=data["last_day"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            days = closure_days_words(done.closure.first_day, done.closure.last_day)
            messages.success(
                request,
                f"Office closure added: {done.closure.name}, {days}. {_retimed_words(done)}",
            )
            return redirect(f"{reverse('followups:service-levels')}#office-closures")
    levels = levels_in_force()
    return _page(request, _form(levels), status=400, closure_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def office_closure_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET asks to confirm, saying what follows; the POST deletes the closure."""
    if not service_level_can_edit(user=request.user):
        raise Http404("No such page.")
    back = f"{reverse('followups:service-levels')}#office-closures"
    closure = OfficeClosure.objects.filter(pk=pk).first()
    if closure is None:
        if request.method == "POST":
            messages.info(request, "That office closure was deleted already.")
            return redirect(back)
        raise Http404("No such closure.")
    days = closure_days_words(closure.first_day, closure.last_day)
    if request.method == "POST":
        done = office_closure_delete(by=request.user, closure=closure)
        messages.success(
            request, f"Office closure deleted: {closure.name}, {days}. {_retimed_words(done)}"
        )
        return redirect(back)
    context = {"nav": "settings", "closure": closure, "days": days, "back": back}
    return render(request, "followups/office_closure_delete.html", context)
