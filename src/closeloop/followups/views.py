"""Answering asks: one-click links from nudges (GET confirms, POST acts) and in-app forms."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from closeloop.followups import links
from closeloop.followups.forms import FORMS, CandidateUpdatedForm, SnoozeForm
from closeloop.followups.models import ActionLink, LinkAction
from closeloop.followups.selectors import ask_get_for_owner
from closeloop.followups.services import ask_snooze as ask_snooze_service
from closeloop.jobs.selectors import job_can_decide
from closeloop.pipeline import services as pipeline_services
from closeloop.pipeline.models import SubmissionDecision
from closeloop.pipeline.selectors import application_get, submission_current

log = logging.getLogger("closeloop.links")


def _private(response: HttpResponse) -> HttpResponse:
    """Links carry secrets: never cached, never leaked through Referer.

    `strict-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` with
    the confirm form's POST, which Django's CSRF check (rightly) refuses, so no real click
    could ever act. `strict-origin` still never sends the path (where the token is) anywhere.
    """
    response["Referrer-Policy"] = "strict-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _page(
    request: HttpRequest, link: ActionLink | None, template: str, context: dict, status: int = 200
) -> HttpResponse:
    """A link page, with times in the recipient's zone (as in the email they came from)."""
    with timezone.override(link.recipient.zone if link else None):
        response = render(request, f"followups/{template}", context, status=status)
    return _private(response)


def _refuse(
    request: HttpRequest, reason: str, status: int = 410, link: ActionLink | None = None
) -> HttpResponse:
    return _page(request, link, "link_refused.html", {"reason": reason, **_answered(link)}, status)


def _may_decide(link: ActionLink) -> bool:
    return link.recipient.is_active and job_can_decide(
        user=link.recipient, job=link.application.job
    )


def _answered(link: ActionLink | None) -> dict:
    """What was already answered, for a link that came too late (double click, other button).

    Only for a recipient who may still decide: a token that outlived its holder's access
    tells nothing about what happened since.
    """
    if link is None or not _may_decide(link):
        return {}
    submission = submission_current(application=link.application)
    decided = submission if submission and submission.decided_at else None
    return {
        "application": link.application,
        "decided": decided,
        "answer": links.link_answer(link=link),
    }


def _still_answerable(link: ActionLink) -> str | None:
    """Re-check, at the moment of acting, that the recipient may still act on this."""
    application = link.application
    submission = submission_current(application=application)
    if not _may_decide(link):
        return "You are no longer the hiring manager for this job."
    if not application.is_active or submission is None:
        return f"{application.candidate.full_name} is no longer waiting for a decision."
    if submission.decision != SubmissionDecision.PENDING:
        return (
            f"This submission was already answered ({submission.get_decision_display().lower()})."
        )
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will happen and one button; only a POST (a human click) acts."""
    try:
        link = links.link_lookup(token=token)
    except links.LinkUnusable as refusal:
        status = 404 if "not valid" in refusal.reason else 410
        return _refuse(request, refusal.reason, status, refusal.link)
    problem = _still_answerable(link)
    if problem:
        return _refuse(request, problem, link=link)
    form = FORMS[link.action](request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _act(request, link, form.cleaned_data)
    context = {
        "link": link,
        "form": form,
        "application": link.application,
        "submission": submission_current(application=link.application),
        "action_label": LinkAction(link.action).label,
    }
    return _page(
        request, link, "link_confirm.html", context, 400 if request.method == "POST" else 200
    )


def _act(request: HttpRequest, link: ActionLink, data: dict) -> HttpResponse:
    """Spend the link and act in one transaction: if acting fails, the link stays unused."""
    try:
        with transaction.atomic():
            if not links.link_spend(link=link):
                reason = (
                    "This request was answered a moment ago (a double click, or another button)."
                )
                return _refuse(request, reason, link=link)
            _perform(link, data)
    except (ValidationError, PermissionDenied) as error:
        log.info("link %s could not act: %s", link.pk, error)
        reason = "; ".join(getattr(error, "messages", [str(error)]))
        return _refuse(request, reason, status=409, link=link)
    log.info("link %s used for %s", link.pk, link.action)
    return _page(request, link, "link_done.html", {"link": link, "application": link.application})


def _perform(link: ActionLink, data: dict) -> None:
    """The one action the link authorises, done as its recipient, recorded as via email."""
    submission = submission_current(application=link.application)
    who = link.recipient
    if link.action == LinkAction.ADVANCE:
        pipeline_services.submission_decide(
            submission=submission,
            by=who,
            decision=SubmissionDecision.ADVANCED,
            note=data["note"],
            via="email",
        )
    elif link.action == LinkAction.PASS:
        pipeline_services.submission_decide(
            submission=submission,
            by=who,
            decision=SubmissionDecision.PASSED,
            reason=data["reason"],
            note=data["note"],
            via="email",
        )
    elif link.action == LinkAction.QUESTION:
        pipeline_services.submission_ask_question(submission=submission, by=who, text=data["text"])
    else:
        ask_snooze_service(ask=link.ask, by=who, days=1, reason=data["reason"])


@login_required
@require_POST
def ask_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    """Snooze one of my asks for a business day, with a reason."""
    ask = ask_get_for_owner(user=request.user, pk=pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you are snoozing, so the recruiter knows what to expect.")
        return redirect("pipeline:queue")
    try:
        ask_snooze_service(ask=ask, by=request.user, days=1, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Snoozed until tomorrow: {ask.title}. The due time stays.")
    return redirect("pipeline:queue")


@login_required
@require_POST
def candidate_updated(request: HttpRequest, pk: int) -> HttpResponse:
    """The recruiter records that the candidate has had news: the waiting clock restarts."""
    application = application_get(user=request.user, pk=pk)
    form = CandidateUpdatedForm(request.POST)
    if form.is_valid():
        try:
            pipeline_services.candidate_updated(
                application=application, by=request.user, note=form.cleaned_data["note"]
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Recorded: {application.candidate.full_name} is up to date.")
    return redirect("pipeline:application-detail", pk=application.pk)
