"""The personal calendar feed: served by its secret token, managed from the profile page.

The feed answers without a login (calendar apps cannot log in), only for a live token, with
only its owner's events; never cached, never indexed. An unknown token is a plain 404.
Tokens never reach the logs (lib/logging.RedactTokens rewrites the path).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.calendars.ics import calendar_text
from closeloop.calendars.services import feed_issue, feed_revoke, feed_user
from closeloop.calendars.sources import CALENDAR_HORIZON, events_for

# What a feed holds: recent history, and everything ahead up to the calendar horizon (an
# interview or debrief can be booked up to two years out; a feed must not drop them).
FEED_PAST = dt.timedelta(days=60)
FEED_FUTURE = CALENDAR_HORIZON


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The owner's interviews, debriefs and touch-bases as an iCalendar feed."""
    user = feed_user(token=token)
    if user is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    events = events_for(user, now - FEED_PAST, now + FEED_FUTURE)
    text = calendar_text(events, name=f"Closeloop · {user.full_name}")
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="closeloop.ics"'
    return _private(response)


# The new address waits in the (server-side) session between the POST and the page that
# shows it: redirecting after the POST keeps a refresh from making another address, and the
# secret never goes into a URL that browsers and logs keep.
ISSUED_KEY = "calendars.issued_feed_url"


@login_required
@require_http_methods(["GET", "POST"])
def feed_create(request: AuthedRequest) -> HttpResponse:
    """Make (or replace) the signed-in person's feed address (POST), then show it once (GET)."""
    if request.method == "POST":
        request.session[ISSUED_KEY] = feed_issue(user=request.user)
        return redirect("calendars:feed-create")
    url = request.session.pop(ISSUED_KEY, None)
    if url is None:
        messages.info(
            request,
            "Your calendar address is shown only once. Lost it? Make a new one below: "
            "the old one stops working.",
        )
        return redirect("accounts:profile")
    response = render(request, "calendars/feed_issued.html", {"feed_url": url, "nav": ""})
    return _private(response)


@login_required
@require_POST
def feed_delete(request: AuthedRequest) -> HttpResponse:
    if feed_revoke(user=request.user):
        messages.success(request, "Your calendar feed is switched off; the old address is dead.")
    else:
        messages.info(request, "You had no calendar feed.")
    return redirect("accounts:profile")
