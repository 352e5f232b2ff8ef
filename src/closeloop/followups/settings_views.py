"""The organisation's service levels: an admin-only settings page.

Anyone else gets a 404, as for every page they may not see. The page shows, per ask kind,
the due time in force and whether it is chased at all; saving changes new asks only.

See docs/architecture.md#the-follow-up-engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from closeloop.accounts.http import AuthedRequest
from closeloop.followups.forms import ServiceLevelsForm
from closeloop.followups.policies import DEFAULTS, service_level_can_edit
from closeloop.followups.policies import service_levels_in_force as levels_in_force
from closeloop.followups.services import service_levels_update

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def _page(request: HttpRequest, form: ServiceLevelsForm, status: int = 200) -> HttpResponse:
    context = {"nav": "settings", "form": form}
    return render(request, "followups/service_levels.html", context, status=status)


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
        return _page(request, ServiceLevelsForm(levels=levels))
    form = ServiceLevelsForm(request.POST, levels=levels)
    if form.is_valid():
        try:
            changed = service_levels_update(by=request.user, levels=form.settings())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _saved_message(changed))
            return redirect("followups:service-levels")
    return _page(request, form, status=400)
