"""Comment pages: every comment of a subject (and the form to add one), editing one, and
deleting one (a confirmation page, then a POST).

Views stay thin: the subject is fetched through its own app's permission check
(comments.selectors), services write, and a refusal is shown on the page with the text kept.
Every change is a POST that redirects back to the subject's page (no JavaScript needed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from closeloop.accounts.http import AuthedRequest
from closeloop.activity.receipts import SentBefore, submit_once
from closeloop.comments import services
from closeloop.comments.forms import CommentForm
from closeloop.comments.notices import mention_recipients, mention_told_words
from closeloop.comments.selectors import (
    EDIT_WINDOW,
    CommentSubject,
    comment_delete_refusal,
    comment_edit_refusal,
    comment_get,
    comment_page,
    comment_require_deletable,
    comment_require_editable,
    comment_subject,
    comment_subject_blind,
    comment_subject_closed,
    comment_subject_get,
    comments_mark_editable,
)
from closeloop.lib.forms import add_service_errors, refusal_message


def _back_to(subject: CommentSubject, comment_pk: int | None = None) -> str:
    return f"{subject.url}#comment-{comment_pk}" if comment_pk else f"{subject.url}#comments"


def _comments_page(
    request: AuthedRequest, subject: CommentSubject, form: CommentForm, status: int = 200
) -> HttpResponse:
    page = comment_page(user=request.user, subject=subject, page=request.GET.get("page"))
    comments_mark_editable(comments=list(page.object_list), user=request.user)
    context = {
        "subject": subject,
        "page": page,
        "form": form,
        "closed": comment_subject_closed(subject),
        "nav": "jobs",
    }
    return render(request, "comments/comment_list.html", context, status=status)


def _subject_comments(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    """GET: every comment on the subject, a page at a time. POST: add one."""
    subject = comment_subject_get(user=request.user, kind=kind, pk=pk)
    if request.method != "POST":
        return _comments_page(request, subject, CommentForm())
    blind = comment_subject_blind(subject=subject, person=request.user)
    if blind:
        # Nothing to correct in what was typed: the reason is who is posting, said alone.
        raise PermissionDenied(f"The comment was not posted. {blind}")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            made = submit_once(
                request,
                request.user,
                lambda: services.comment_add(
                    subject=subject, by=request.user, body=form.cleaned_data["body"]
                ),
                lambda comment: _back_to(subject, comment.pk),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if isinstance(made, SentBefore) or made is None:
                messages.info(request, "This comment was posted already.")
                return redirect(
                    made.url if isinstance(made, SentBefore) and made.url else _back_to(subject)
                )
            told = mention_recipients(people=made.mentions.all(), by=request.user)
            messages.success(request, mention_told_words(done="Comment posted", told=told))
            return redirect(_back_to(subject, made.pk))
    messages.error(request, refusal_message(form, "The comment was not posted."))
    return _comments_page(request, subject, form, status=400)


def _kind_view(kind: str) -> Callable[..., HttpResponse]:
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: AuthedRequest, pk: int) -> HttpResponse:
        return _subject_comments(request, kind, pk)

    view.__name__ = f"{kind}_comments"
    view.__doc__ = f"Every comment on a {kind}, and the form to add one."
    return view


candidate_comments = _kind_view("candidate")
application_comments = _kind_view("application")
job_comments = _kind_view("job")
touchbase_comments = _kind_view("touchbase")


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit one's own comment within the edit window (403 otherwise, 404 if unseen). A
    comment deleted since its Edit link was shown leads back to its tombstone, saying so."""
    comment = comment_get(user=request.user, pk=pk)
    subject = comment_subject(comment)
    if comment.is_deleted:
        messages.info(request, comment_edit_refusal(comment=comment, user=request.user))
        return redirect(_back_to(subject, comment.pk))
    comment_require_editable(comment=comment, user=request.user)
    form = CommentForm(
        request.POST if request.method == "POST" else None, initial={"body": comment.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            edited = services.comment_edit(
                comment=comment, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Only the people this edit mentions for the first time are told.
            messages.success(request, mention_told_words(done="Comment saved", told=edited.told))
            return redirect(_back_to(subject, comment.pk))
    if form.errors:
        messages.error(request, refusal_message(form, "The comment was not changed."))
    minutes = int(EDIT_WINDOW.total_seconds() // 60)
    context = {
        "comment": comment,
        "subject": subject,
        "form": form,
        "minutes": minutes,
        "nav": "jobs",
    }
    return render(
        request, "comments/comment_edit.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete a comment: its author's own, or anyone's for an admin (403 otherwise, 404 if
    unseen). GET asks to confirm, saying what goes and what stays; the POST deletes. A
    comment deleted already leads back to its tombstone."""
    comment = comment_get(user=request.user, pk=pk)
    subject = comment_subject(comment)
    if comment.is_deleted:
        messages.info(request, comment_delete_refusal(comment=comment, user=request.user))
        return redirect(_back_to(subject, comment.pk))
    comment_require_deletable(comment=comment, user=request.user)
    if request.method == "POST":
        services.comment_delete(comment=comment, by=request.user)
        messages.success(request, "Comment deleted.")
        return redirect(_back_to(subject, comment.pk))
    context = {
        "comment": comment,
        "subject": subject,
        "own": comment.author_id == request.user.pk,
        "nav": "jobs",
    }
    return render(request, "comments/comment_delete.html", context)
