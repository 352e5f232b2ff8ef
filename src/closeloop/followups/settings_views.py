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
from closeloop.followups.services import service_levels_seen, service_levels_update
from closeloop.lib.seen import SavedSince, SavedValue, seen_kept

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from closeloop.followups.policies import LevelInForce


def _page(
    request: HttpRequest,
    form: ServiceLevelsForm,
    status: int = 200,
    saved_since: list[SavedValue] | None = None,
) -> HttpResponse:
    context = {"nav": "settings", "form": form, "saved_since": saved_since}
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
