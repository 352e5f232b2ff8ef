"""Answering asks: one-click links from nudges (GET confirms, POST acts) and snoozing in the app.

The engine checks the link and runs the flow; the app that owns the ask kind performs the
action (`one_click.py`).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from closeloop.accounts.http import AuthedRequest, client_address
from closeloop.accounts.models import User
from closeloop.accounts.selectors import is_reader, person_for, user_zone
from closeloop.followups import links
from closeloop.followups.forms import SnoozeForm
from closeloop.followups.link_audit import link_used_record
from closeloop.followups.models import ActionLink, AskStatus
from closeloop.followups.one_click import OneClick, OneClickAction, one_click_for
from closeloop.followups.selectors import ask_get_for_owner, ask_hold_note, ask_title_for
from closeloop.followups.services import ask_snooze as ask_snooze_service
from closeloop.lib.timefmt import absolute

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
    """A link page, and who else this browser is signed in as, if anyone (the page says so).

    Times are on the signed-in reader's own clock (the middleware set it), as on every other
    page; signed out, on the recipient's (as in the email they came from), and the page names
    that zone, since nothing says the browser is in it."""
    user = _signed_in(request)
    other = user is not None and link and user.pk != link.recipient_id
    # `reader`: whom the page addresses ("advanced by you"): the person this browser is
    # signed in as, else the link's recipient (it came from their email). Someone else
    # opening the recipient's link reads the recipient by name, never as "you".
    reader = user or (link.recipient if link else None)
    times_in = user_zone(link.recipient) if user is None and link else None
    context = {
        **context,
        "signed_in_as": user if other else None,
        # Whom the link was sent to, for that warning on pages that carry no `link`.
        "sent_to": link.recipient if other and link else None,
        "reader": reader,
        # Its title as the reader reads it ("your question" to the one who asked it).
        "ask_title": ask_title_for(link.ask, reader=reader) if link and link.ask else "",
        **_recipient_words(link, reader),
        "signed_in": user is not None,
        "times_in": times_in,
    }
    if times_in is None:
        response = render(request, template, context, status=status)
    else:
        with timezone.override(times_in):
            response = render(request, template, context, status=status)
    return _private(response)


def _recipient_words(link: ActionLink | None, reader: User | None) -> dict:
    """The link's recipient as the page's reader reads them: "you" / "your" to the recipient,
    "Hank Hill" / "Hank Hill’s" to anyone else signed in (the banner names them so too), and
    a held ask's note in the same voice ("on hold: waiting for your answer" to Rita)."""
    if link is None:
        return {}
    recipient = link.recipient
    return {
        "recipient_for": person_for(recipient, reader=reader),
        "recipient_whose": (
            "your" if is_reader(recipient, reader) else format_html("{}’s", recipient.full_name)
        ),
        "hold_note": ask_hold_note(link.ask, reader=reader) if link.ask else "",
    }


def _signed_in(request: HttpRequest) -> User | None:
    """The person this browser is signed in as, if anyone."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _one_click(link: ActionLink | None) -> OneClick | None:
    """The one-click answers the link's ask kind registered (None: nothing can act)."""
    return one_click_for(link.ask.kind) if link is not None else None


def _refuse(
    request: HttpRequest, reason: str, status: int = 410, link: ActionLink | None = None
) -> HttpResponse:
    one_click = _one_click(link)
    template = one_click.template("refused") if one_click else "followups/link_refused.html"
    answered = _answered(link, _signed_in(request))
    return _page(request, link, template, {"reason": reason, **answered}, status)


def _answered(link: ActionLink | None, signed_in: User | None) -> dict:
    """What was already answered, for a link that came too late (double click, other button).

    Only for a recipient who may still act, or who answered it themselves (a delegate whose
    cover ended with her answer): a token that outlived its holder's access tells nothing
    about what happened since. A blind answer (a pulse, a survey) is not shown to someone
    else signed in who opens a forwarded link: the page warns them whose link it is.
    """
    one_click = _one_click(link)
    if link is None or one_click is None:
        return {}
    if one_click.blind and signed_in is not None and signed_in.pk != link.recipient_id:
        return {"answer_withheld": True}
    answered_it = link.ask.closed_by_id == link.recipient_id
    if not (answered_it or one_click.may_act(link.recipient, link.ask)):
        return {}
    answer = links.link_answer(link=link)
    chosen = one_click.action_for(answer.action) if answer else None
    return {
        **one_click.answered(link),
        "answer": answer,
        "answer_label": chosen.label if chosen else "",
        # A button that answers nothing was used (a snooze): the request is not answered.
        "still_open": link.ask.status == AskStatus.OPEN,
    }


def _still_answerable(link: ActionLink, one_click: OneClick) -> str | None:
    """Re-check, when the link is opened, that the recipient may still act on this: the
    owning app says why not in its own words; may_act is the engine's safety net."""
    problem = one_click.problem(link)
    if problem is None and not one_click.may_act(link.recipient, link.ask):
        problem = "You may no longer answer this request."
    return problem


@never_cache
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will happen and one button; only a POST (a human click) acts."""
    try:
        link = links.link_lookup(token=token, reader=_signed_in(request))
    except links.LinkUnusable as refusal:
        status = 404 if "not valid" in refusal.reason else 410
        return _refuse(request, refusal.reason, status, refusal.link)
    one_click = _one_click(link)
    action = one_click.action_for(link.action) if one_click else None
    if one_click is None or action is None:
        return _refuse(request, "This link can no longer be used; open Closeloop to answer.")
    problem = _still_answerable(link, one_click)
    if problem:
        return _refuse(request, problem, link=link)
    form = action.form_for(link, request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _act(request, link, one_click, action, form.cleaned_data)
    context = {
        "link": link,
        "form": form,
        **one_click.facts(link),
        "action_label": action.label,
    }
    status = 400 if request.method == "POST" else 200
    return _page(request, link, one_click.template("confirm"), context, status)


def _act(
    request: HttpRequest,
    link: ActionLink,
    one_click: OneClick,
    action: OneClickAction,
    data: dict,
) -> HttpResponse:
    """Spend the link and act in one transaction: if acting fails, the link stays unused."""
    try:
        with transaction.atomic():
            if not links.link_spend(link=link):
                reason = (
                    "This request was answered a moment ago (a double click, or another button)."
                )
                return _refuse(request, reason, link=link)
            # The owning app performs the action, as the recipient, in this transaction.
            action.perform(link, data)
            link_used_record(
                link=link,
                label=action.label,
                signed_in=request.user,
                address=client_address(request),
            )
    except (ValidationError, PermissionDenied) as error:
        log.info("link %s could not act: %s", link.pk, error)
        reason = "; ".join(getattr(error, "messages", [str(error)]))
        return _refuse(request, reason, status=409, link=link)
    log.info("link %s used for %s", link.pk, link.action)
    context = {"link": link, "action_label": action.label, **one_click.facts(link)}
    return _page(request, link, one_click.template("done"), context)


@login_required
@require_POST
def ask_snooze(request: AuthedRequest, pk: int) -> HttpResponse:
    """Snooze one of my asks for a business day, with a reason."""
    ask = ask_get_for_owner(user=request.user, pk=pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(["Nothing was changed.", *form.errors["reason"]]))
        return redirect("pipeline:queue")
    try:
        ask = ask_snooze_service(
            ask=ask, by=request.user, days=1, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        # The day it ends, in the owner's calendar (a Saturday's snooze ends on Monday).
        until = absolute(ask.snoozed_until, request.user.zone) if ask.snoozed_until else ""
        messages.success(request, f"Snoozed until {until}: {ask.title}. The due time stays.")
    return redirect("pipeline:queue")
