"""Candidate privacy pages (admins only): erase a candidate (a confirmation page first),
export their data as a zip, and the retention list where a candidate can be kept.

Views stay thin: the selectors in pipeline.privacy decide who may (403 for anyone but an
admin, 404 for no such candidate), its services act.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closeloop.accounts.http import AuthedRequest
from closeloop.lib.forms import add_service_errors
from closeloop.lib.pages import page_get
from closeloop.lib.timefmt import absolute
from closeloop.pipeline import privacy
from closeloop.pipeline.privacy_forms import EraseForm, KeepForm

RETENTION_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def candidate_erase(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: what erasing will do, and the form; POST: erase, then back to the candidate."""
    candidate = privacy.candidate_privacy_get(user=request.user, pk=pk)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if candidate.erased_at is not None:
        messages.error(
            request,
            f"This candidate was already erased on {absolute(candidate.erased_at)}; "
            "nothing is left to erase.",
        )
        return redirect("pipeline:candidate-detail", pk=candidate.pk)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.candidate_erase(
                candidate=candidate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Erased candidate #{candidate.pk}: their details and files are gone, and "
                "every mention of their name, address, phone or links; the anonymous "
                "records stay.",
            )
            return redirect("pipeline:candidate-detail", pk=candidate.pk)
    context = {
        "candidate": candidate,
        "form": form,
        "preview": privacy.candidate_erase_preview(candidate=candidate),
        "nav": "jobs",
    }
    return render(
        request, "pipeline/candidate_erase.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_export(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """POST: everything stored about the candidate, zipped (an access request); recorded.
    GET (a typed or bookmarked address): the candidate's page, where the button is, rather
    than a blank 405; nothing is exported or recorded."""
    candidate = privacy.candidate_privacy_get(user=request.user, pk=pk)
    refusal = privacy.candidate_export_refusal(candidate)
    if refusal:
        messages.error(request, refusal)
        return redirect("pipeline:candidate-detail", pk=candidate.pk)
    if request.method != "POST":
        messages.info(
            request,
            "Use the “Export their data” button below to download their data "
            "(each export is recorded).",
        )
        return redirect(
            reverse("pipeline:candidate-detail", args=[candidate.pk]) + "#privacy-title"
        )
    try:
        handle, name = privacy.candidate_export(candidate=candidate, by=request.user)
    except ValidationError as error:  # erased meanwhile
        messages.error(request, " ".join(error.messages))
        return redirect("pipeline:candidate-detail", pk=candidate.pk)
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def retention(request: AuthedRequest) -> HttpResponse:
    """The candidates retention will anonymise soon, each with a Keep form."""
    due = privacy.retention_page_get(user=request.user)
    page = page_get(due, request.GET.get("page"), per_page=RETENTION_PER_PAGE)
    rows = [(candidate, privacy.retention_erase_at(candidate)) for candidate in page]
    context = {
        "page": page,
        "rows": rows,
        "days": privacy.retention_days(),
        "form": KeepForm(),
        "nav": "jobs",
    }
    return render(request, "pipeline/retention.html", context)


@login_required
@require_POST
def candidate_keep(request: AuthedRequest, pk: int) -> HttpResponse:
    """Keep one candidate past the retention period, with a reason."""
    candidate = privacy.candidate_privacy_get(user=request.user, pk=pk)
    form = KeepForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Say why this candidate is kept (e.g. a legal hold); nothing changed."
        )
        return redirect("pipeline:retention")
    try:
        privacy.candidate_keep(
            candidate=candidate, by=request.user, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, f"Kept {candidate.full_name} past the retention period.")
    return redirect("pipeline:retention")
