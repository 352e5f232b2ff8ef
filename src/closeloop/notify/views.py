"""The Inbox (my messages, read and unread), the Outbox (every message Closeloop sent, or kept
when no SMTP is set) and failed deliveries."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.lib.files import safe_download_name
from closeloop.lib.ids import id_parse
from closeloop.notify import services
from closeloop.notify.forms import InboxFilterForm
from closeloop.notify.selectors import (
    delivery_failed_list,
    delivery_get_failed,
    inbox_list,
    inbox_newest_id,
    inbox_unread_count,
    message_attachment_get,
    message_body_for,
    message_body_hidden,
    message_get,
    message_list,
    message_recipient_choices,
)

PAGE_SIZE = 50
# The HTML body is our own template output, shown in a sandboxed frame with its own policy:
# e-mail HTML needs inline styles, and nothing in it may run or reach out.
MESSAGE_FRAME_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)


def _recipient_filter(request: HttpRequest) -> int | None:
    return id_parse(request.GET.get("to"))


@login_required
@require_safe
def outbox(request: AuthedRequest) -> HttpResponse:
    """Messages to me (admins: to anyone), newest first."""
    people = message_recipient_choices(user=request.user)
    recipient_id = _recipient_filter(request) if people else None
    page = Paginator(message_list(user=request.user, recipient_id=recipient_id), PAGE_SIZE)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "people": people,
        "recipient_id": recipient_id,
        "nav": "outbox",
    }
    return render(request, "notify/outbox.html", context)


def _inbox_filters(filters: InboxFilterForm) -> tuple[bool, str, str]:
    """The Inbox's filters read from a page's address or from its *Mark read* form: unread
    only, the subject's words, and the query string that keeps them ("" without any)."""
    unread_only, q = filters.value("show") == "unread", filters.value("q")
    kept = {"show": "unread" if unread_only else "", "q": q}
    return unread_only, q, urlencode({key: value for key, value in kept.items() if value})


@login_required
@require_safe
def inbox(request: AuthedRequest) -> HttpResponse:
    """Messages addressed to me, newest first, unread ones marked; the header counts them."""
    filters = InboxFilterForm(request.GET)
    unread_only, q, query = _inbox_filters(filters)
    now = timezone.now()  # one moment for the list, its newest and its count
    messages_shown = inbox_list(user=request.user, unread_only=unread_only, q=q, now=now)
    page = Paginator(messages_shown, PAGE_SIZE).get_page(request.GET.get("page"))
    # "Mark all read" marks what the filters list, on every page, up to the newest message
    # listed: a message that arrives meanwhile stays unread.
    newest_id = inbox_newest_id(user=request.user, unread_only=unread_only, q=q, now=now)
    context = {
        "page": page,
        "filters": filters,
        "filtered": bool(unread_only or q),
        "notices": filters.notices(),
        "unread_only": unread_only,
        "q": q,
        "query": query,
        "newest_id": newest_id,
        "to_mark": inbox_unread_count(user=request.user, q=q, up_to=newest_id, now=now)
        if newest_id is not None
        else 0,
        "nav": "inbox",
    }
    return render(request, "notify/inbox.html", context)


@login_required
@require_POST
def inbox_read_all(request: AuthedRequest) -> HttpResponse:
    """Mark read what the Inbox listed with the filters it sends, and go back to that list."""
    _, q, query = _inbox_filters(InboxFilterForm(request.POST))
    # Sent without the page's newest id: everything arrived by now. One that is no id marks
    # nothing (it names no page, and is not what the form sends).
    raw = request.POST.get("up_to", "").strip()
    up_to = id_parse(raw)
    marked = (
        services.inbox_mark_all_read(user=request.user, up_to=up_to, q=q)
        if up_to is not None or not raw
        else 0
    )
    messages.success(request, f"Marked {marked} message{'s' if marked != 1 else ''} read.")
    page = id_parse(request.POST.get("page"))
    if page is not None:
        query = f"{query}&page={page}" if query else f"page={page}"
    return redirect(f"{reverse('notify:inbox')}?{query}" if query else reverse("notify:inbox"))


@login_required
@require_POST
def message_read(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one of my messages read or unread again (read=0); others' are not mine to mark."""
    message = message_get(user=request.user, pk=pk)
    read = request.POST.get("read") != "0"
    try:
        services.message_read_set(message=message, by=request.user, read=read)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("notify:message-detail", pk=message.pk)
    if read:
        return redirect("notify:message-detail", pk=message.pk)
    messages.success(request, f"Marked unread: {message.subject}")
    return redirect("notify:inbox")


@login_required
@require_safe
def message_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    message = message_get(user=request.user, pk=pk)
    services.message_opened(message=message, by=request.user)
    body_text, _ = message_body_for(message=message, user=request.user)
    context = {
        "message": message,
        "body_text": body_text,
        "body_hidden": message_body_hidden(message=message, user=request.user),
        "mine": (mine := message.recipient_id == request.user.pk),
        # Queued for the recipient's working hours: neither read nor unread yet.
        "arrived": message.has_arrived(),
        # Back to the list it was opened from: one's own messages are in both.
        "nav": "inbox" if mine and request.GET.get("from") != "outbox" else "outbox",
    }
    return render(request, "notify/message_detail.html", context)


# What an attachment may be served as: the calendar files the product sends, else plain text.
DOWNLOADABLE = {"text/calendar", "text/plain"}


@login_required
@require_safe
def message_attachment(request: AuthedRequest, pk: int, index: int) -> HttpResponse:
    """A file sent with the message, as a download (never shown in the page itself)."""
    message = message_get(user=request.user, pk=pk)
    file = message_attachment_get(message=message, user=request.user, index=index)
    kind = str(file.get("content_type", "")).split(";")[0].strip()
    name = safe_download_name(str(file.get("filename", "")), "attachment.txt")
    response = HttpResponse(
        str(file.get("content", "")),
        content_type=f"{kind if kind in DOWNLOADABLE else 'text/plain'}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
@xframe_options_sameorigin
def message_html(request: AuthedRequest, pk: int) -> HttpResponse:
    """The HTML part, for the sandboxed preview frame."""
    message = message_get(user=request.user, pk=pk)
    if message_body_hidden(message=message, user=request.user):
        body = "<p>(only its recipient can read this message)</p>"
    else:
        body = message_body_for(message=message, user=request.user)[1] or "<p>(no HTML part)</p>"
    response = HttpResponse(body)
    response["Content-Security-Policy"] = MESSAGE_FRAME_POLICY
    return response


@login_required
@require_safe
def failed_deliveries(request: AuthedRequest) -> HttpResponse:
    page = Paginator(delivery_failed_list(user=request.user), PAGE_SIZE)
    context = {"page": page.get_page(request.GET.get("page")), "nav": "outbox"}
    return render(request, "notify/failed_deliveries.html", context)


@login_required
@require_POST
def delivery_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = delivery_get_failed(user=request.user, pk=pk)
    services.delivery_retry(delivery=delivery)
    messages.success(request, f"Queued again: {delivery.message.subject}")
    return redirect("notify:failed-deliveries")
