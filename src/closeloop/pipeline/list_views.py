"""The job list's tools: bulk actions on the ticked candidates, saved views, and tags on the
application page. Every action is a POST that redirects back with a message; a refusal
changes nothing and says why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from closeloop.accounts.http import AuthedRequest
from closeloop.jobs.models import Job
from closeloop.jobs.selectors import job_get
from closeloop.lib.forms import refusal_words
from closeloop.lib.ids import id_parse
from closeloop.lib.text import listed
from closeloop.pipeline import bulk
from closeloop.pipeline.forms import BulkActionForm, SavedViewForm, TagAddForm
from closeloop.pipeline.models import Application, Tag
from closeloop.pipeline.move_words import move_words
from closeloop.pipeline.saved_views import (
    list_query_clean,
    saved_view_create,
    saved_view_delete,
    saved_view_get,
)
from closeloop.pipeline.selectors import (
    application_get,
)
from closeloop.pipeline.tags import candidate_tag_put, candidate_tag_remove

NAMES_SHOWN = 10


def _list_url(job: Job, query: str, ticked: Sequence[str] = ()) -> str:
    """Back to the job's list with its filters, at the list (far down the page on a phone);
    with `ticked`, those candidates' boxes come back ticked (`picked`, ids only)."""
    page = reverse("jobs:job-detail", kwargs={"pk": job.pk})
    picked = [str(pk) for pk in map(id_parse, ticked[: bulk.BULK_LIMIT]) if pk is not None]
    keep = f"&{urlencode({'picked': ','.join(picked)})}" if picked else ""
    return f"{page}?{list_query_clean(query)}{keep}#pipeline"


def _names(applications: list[Application]) -> str:
    """The candidates as a sentence lists them: "A, B and C", the first NAMES_SHOWN then
    "and 3 more"."""
    names = [each.candidate.full_name for each in applications[:NAMES_SHOWN]]
    more = len(applications) - len(names)
    return listed([*names, f"{more} more"] if more else names)


def _candidates(count: int) -> str:
    return f"{count} candidate{'' if count == 1 else 's'}"


# --- Bulk actions ----------------------------------------------------------------------------


def _bulk_move(user: Any, chosen: list[Application], data: dict[str, Any]) -> str:
    stage = data["to_stage"]
    done = bulk.applications_bulk_move(
        applications=chosen, by=user, to_stage=stage, reason=data["note"]
    )
    were = "was" if len(done.there) == 1 else "were"
    if not done.moved:
        return f"Nobody was moved: {_names(done.there)} {were} already in {stage.name}."
    words = f"Moved {_candidates(len(done.moved))} to {stage.name}: {_names(done.moved)}"
    if done.there:
        words += f"; {_names(done.there)} {were} already there"
    # As a move of one says it (who decides by when, briefly for several; per candidate, the
    # interviews still booked past the move).
    said = move_words(applications=done.moved, to_stage=stage, reader=user)
    return " ".join([words + ".", *said])


def _bulk_reject(user: Any, chosen: list[Application], data: dict[str, Any]) -> str:
    bulk.applications_bulk_reject(
        applications=chosen, by=user, reason=data["reason"], note=data["note"]
    )
    each = "Each has" if len(chosen) > 1 else "There is"
    return (
        f"Rejected {_candidates(len(chosen))}: {_names(chosen)}. "
        f"{each} an ask to inform {'them' if len(chosen) > 1 else 'the candidate'}."
    )


def _bulk_updated(user: Any, chosen: list[Application], data: dict[str, Any]) -> str:
    bulk.applications_bulk_updated(applications=chosen, by=user, note=data["note"])
    return (
        f"Recorded news for {_candidates(len(chosen))}: {_names(chosen)}. "
        "Their waiting clocks restart."
    )


def _bulk_tag(user: Any, chosen: list[Application], data: dict[str, Any]) -> str:
    name = " ".join(data["tag"].split())
    done = bulk.applications_bulk_tag(applications=chosen, by=user, name=name)
    # The stored spelling ("ÜBERSEE" puts "Übersee"), and only those who gained it.
    name = done.tag.name if done.tag is not None else name
    if not done.added:
        return f"Nobody was tagged: {_names(done.had)} had “{name}” already."
    words = f"Tagged {_candidates(len(done.added))} “{name}”: {_names(done.added)}"
    if done.had:
        words += f"; {_names(done.had)} had it already"
    return words + "."


def _bulk_snooze(user: Any, chosen: list[Application], data: dict[str, Any]) -> str:
    count = bulk.applications_bulk_snooze(
        applications=chosen, by=user, reason=data["snooze_reason"]
    )
    asks = "one of your asks" if count == 1 else f"{count} of your asks"
    return (
        f"Snoozed {asks} on {_candidates(len(chosen))} for a business day: {_names(chosen)}. "
        "The due times stay."
    )


BULK_PERFORM: dict[str, Callable[[Any, list[Application], dict[str, Any]], str]] = {
    "move": _bulk_move,
    "reject": _bulk_reject,
    "updated": _bulk_updated,
    "tag": _bulk_tag,
    "snooze": _bulk_snooze,
}


@login_required
@require_POST
def job_bulk(request: AuthedRequest, job_pk: int) -> HttpResponse:
    """Run one action on the candidates ticked in the job's list: all of them, or none."""
    job = job_get(user=request.user, pk=job_pk)
    actions = bulk.bulk_actions_for(user=request.user, job=job)
    form = BulkActionForm(request.POST, job=job, actions=actions)
    back = _list_url(job, request.POST.get("next", ""))
    # Refused, the list comes back with the same candidates still ticked, to try again.
    kept = _list_url(job, request.POST.get("next", ""), ticked=request.POST.getlist("applications"))
    if not form.is_valid():
        messages.error(request, _bulk_form_refusal(form, request.POST.get("action", ""), actions))
        bulk.bulk_choice_keep(request.session, job=job, data=request.POST)
        return redirect(kept)
    try:
        ticked = form.selected(request.POST.getlist("applications"))
        chosen = bulk.bulk_applications_get(user=request.user, job=job, ids=ticked)
        summary = BULK_PERFORM[form.cleaned_data["action"]](request.user, chosen, form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, f"Nothing was changed. {refusal_words(error)}")
        bulk.bulk_choice_keep(request.session, job=job, data=request.POST)
        return redirect(kept)
    messages.success(request, summary)
    return redirect(back)


def _bulk_form_refusal(form: BulkActionForm, action: str, actions: bulk.BulkActions) -> str:
    if "action" in form.errors:
        if ended := actions.refusal(action):
            # A page from before the job ended still offered it: say why not now.
            return f"Nothing was changed. {ended}"
        if action in bulk.BULK_ACTIONS:
            return "Nothing was changed. You cannot do that on this job."
        return "Nothing was changed. Choose an action for the selected candidates."
    problems = [str(problem) for errors in form.errors.values() for problem in errors]
    return " ".join(["Nothing was changed.", *problems])


# --- Saved views -----------------------------------------------------------------------------


@login_required
@require_POST
def job_saved_view_create(request: AuthedRequest, job_pk: int) -> HttpResponse:
    """Save the list's current filters under a name, for the user only."""
    job = job_get(user=request.user, pk=job_pk)
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if not form.is_valid():
        # The list is shown again after a redirect, its form folded: the message says it all.
        problems = [str(problem) for errors in form.errors.values() for problem in errors]
        messages.error(request, " ".join(["The view was not saved.", *problems]))
        return redirect(_list_url(job, query))
    try:
        created = saved_view_create(
            owner=request.user, job=job, name=form.cleaned_data["name"], query=query
        )
    except ValidationError as error:
        messages.error(request, f"The view was not saved. {refusal_words(error)}")
        return redirect(_list_url(job, query))
    saved = created.view
    words = f"Saved the view “{saved.name}”; it is linked above the list."
    if created.left_out:
        words += f" Left out what the list cannot use: {listed(created.left_out)}."
    messages.success(request, words)
    return redirect(_list_url(job, saved.query))


@login_required
@require_POST
def saved_view_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete one of the user's saved views."""
    saved = saved_view_get(user=request.user, pk=pk)
    saved_view_delete(saved_view=saved, by=request.user)
    messages.success(request, f"Deleted the saved view “{saved.name}”.")
    return redirect(_list_url(saved.job, request.POST.get("next", "")))


# --- Tags on the application page ------------------------------------------------------------


@login_required
@require_POST
def application_tag_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Tag the application's candidate (on every job they are on)."""
    application = application_get(user=request.user, pk=pk)
    form = TagAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "No tag was added. Type the tag's name (at most 40 characters).")
        return redirect("pipeline:application-detail", pk=application.pk)
    try:
        put = candidate_tag_put(
            candidate=application.candidate, by=request.user, name=form.cleaned_data["name"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, f"No tag was added. {refusal_words(error)}")
    else:
        who = application.candidate.full_name
        messages.success(
            request,
            f"Tagged {who} “{put.tag.name}”."
            if put.added
            else f"{who} has the tag “{put.tag.name}” already: nothing changed.",
        )
    return redirect("pipeline:application-detail", pk=application.pk)


@login_required
@require_POST
def application_tag_remove(request: AuthedRequest, pk: int, tag_pk: int) -> HttpResponse:
    """Take a tag off the application's candidate."""
    application = application_get(user=request.user, pk=pk)
    tag = get_object_or_404(Tag, pk=tag_pk)
    try:
        candidate_tag_remove(candidate=application.candidate, by=request.user, tag=tag)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, f"The tag stays. {refusal_words(error)}")
    else:
        messages.success(request, f"Removed “{tag.name}” from {application.candidate.full_name}.")
    return redirect("pipeline:application-detail", pk=application.pk)
