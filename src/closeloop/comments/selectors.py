"""Reads of comments, with their permission filters.

A comment is read by exactly the people who may see its subject, and that is decided by the
subject's own app: `pipeline.selectors.candidate_get` and `application_get`,
`jobs.selectors.job_get`, `touchbases.selectors.touchbase_get`. A subject or comment the user
may not see answers 404, so a guessed id leaks nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.comments.models import Comment
from closeloop.interviews.selectors import scorecards_blind_on_a_panel
from closeloop.jobs.selectors import job_get
from closeloop.lib.pages import page_get
from closeloop.lib.timefmt import absolute, zoned, zoned_unless_viewers
from closeloop.pipeline.selectors import application_get, candidate_get
from closeloop.touchbases.selectors import touchbase_get

if TYPE_CHECKING:
    from django.db.models import Model

# An author may correct a comment this long after posting it; after that it stands as said.
EDIT_WINDOW = dt.timedelta(minutes=10)
# A subject's panel shows its latest comments; "Show all" pages through the rest.
PANEL_SHOWN = 10
PAGE_SIZE = 50


@dataclass(frozen=True)
class SubjectKind:
    """One kind of thing people comment on: how to fetch it for a user, and how to name it."""

    name: str  # "application": the Comment field and the URL's first word
    get: Callable[..., Any]  # the subject app's own permission-checked fetch (404 otherwise)
    page: str  # the URL name of the subject's page
    label: Callable[[Any], str]
    # The label for text stored for everyone (the activity log), when `label` depends on
    # who reads it.
    stored: Callable[[Any], str] | None = None


def _touchbase_label(touchbase: Any) -> str:
    """The meeting in its own time zone, named when it is not the reader's (the active one:
    the viewer's on a page, the recipient's in an email), as the touch-base pages say it."""
    when = zoned_unless_viewers(touchbase.scheduled_at, touchbase.series.time_zone)
    return f"the {touchbase.job.title} touch-base of {when}"


def _touchbase_stored_label(touchbase: Any) -> str:
    """The meeting with its zone always named: stored text has no one reader."""
    when = zoned(touchbase.scheduled_at, touchbase.series.time_zone)
    return f"the {touchbase.job.title} touch-base of {when}"


KINDS: dict[str, SubjectKind] = {
    kind.name: kind
    for kind in (
        SubjectKind("candidate", candidate_get, "pipeline:candidate-detail", lambda c: c.full_name),
        SubjectKind(
            "application",
            application_get,
            "pipeline:application-detail",
            lambda a: f"{a.candidate.full_name} for {a.job.title}",
        ),
        SubjectKind("job", job_get, "jobs:job-detail", lambda j: j.title),
        SubjectKind(
            "touchbase",
            touchbase_get,
            "touchbases:touchbase-detail",
            _touchbase_label,
            _touchbase_stored_label,
        ),
    )
}


@dataclass(frozen=True)
class CommentSubject:
    """What a comment is about: a candidate, an application, a job or a touch-base."""

    kind: SubjectKind
    obj: Any

    @property
    def label(self) -> str:
        return self.kind.label(self.obj)

    @property
    def stored_label(self) -> str:
        return (self.kind.stored or self.kind.label)(self.obj)

    @property
    def url(self) -> str:
        return reverse(self.kind.page, args=[self.obj.pk])

    @property
    def comments_url(self) -> str:
        return reverse(f"comments:{self.kind.name}-comments", args=[self.obj.pk])

    @property
    def filter(self) -> dict[str, Any]:
        """The Comment lookup naming this subject: {"application": <Application>}."""
        return {self.kind.name: self.obj}


def comment_subject_get(*, user: User, kind: str, pk: int) -> CommentSubject:
    """The subject the user may see, or 404 (an unknown kind too)."""
    if kind not in KINDS:
        raise Http404("No such page.")
    return CommentSubject(KINDS[kind], KINDS[kind].get(user=user, pk=pk))


def comment_subject_of(obj: Model) -> CommentSubject:
    """The subject for an object a page has already fetched for its viewer."""
    return CommentSubject(KINDS[obj._meta.model_name or ""], obj)


def comment_subject_visible(*, subject: CommentSubject, person: User) -> bool:
    """Whether `person` may see the subject, by the subject app's own rule (active people
    only: someone who left sees nothing)."""
    if not person.is_active:
        return False
    try:
        subject.kind.get(user=person, pk=subject.obj.pk)
    except Http404:
        return False
    return True


def _comments(subject: CommentSubject) -> QuerySet[Comment]:
    """The subject's comments with their authors and the people they mention: a fixed number
    of queries however many rows (the author joined, the mentions prefetched at once)."""
    return (
        Comment.objects.filter(**subject.filter)
        .select_related("author", "deleted_by")
        .prefetch_related(
            Prefetch("mentions", queryset=User.objects.only("pk", "email", "full_name"))
        )
    )


def comment_subject_closed(subject: CommentSubject) -> str:
    """Why nobody may comment on the subject any more ("" while they may): an erased
    candidate has nothing left to talk about. The one rule the service enforces and the
    panel reads to leave out its form."""
    obj = subject.obj
    candidate = obj if subject.kind.name == "candidate" else getattr(obj, "candidate", None)
    if candidate is not None and candidate.erased_at is not None:
        return "This candidate was erased; comments about them are closed."
    return ""


# Comments about a candidate could sway a scorecard, so the scorecards' blindness covers them.
BLIND = (
    "Comments on this candidate open to you once your scorecards on them are in, "
    "so that nothing said here sways yours."
)


def comment_subject_blind(*, subject: CommentSubject, person: User) -> str:
    """Why `person` may not read or write comments on the subject yet ("" when they may): an
    interviewer on the candidate's panel is blind to them, as to the other scorecards, until
    every scorecard they owe on that application is in (`scorecards_blind`, the one rule, on
    the applications whose panel they sit on)."""
    name = subject.kind.name
    if name == "application":
        applications = [subject.obj]
    elif name == "candidate":
        applications = list(subject.obj.applications.select_related("job"))
    else:
        return ""  # a job's or a touch-base's comments are about the search, not a candidate
    return BLIND if scorecards_blind_on_a_panel(user=person, applications=applications) else ""


@dataclass
class CommentPanel:
    """The latest comments of a subject, oldest first, and how many there are in all."""

    subject: CommentSubject
    comments: list[Comment]
    total: int
    blind: str = ""  # why the reader may not see them yet (the scorecards' blindness)

    @property
    def closed(self) -> str:
        return comment_subject_closed(self.subject)

    @property
    def hidden(self) -> int:
        return self.total - len(self.comments)


def comment_panel(*, user: User, subject: CommentSubject, limit: int = PANEL_SHOWN) -> CommentPanel:
    """The subject's latest `limit` comments for its page (the page fetched the subject for
    this user; checked again here so the panel can never show another's)."""
    if not comment_subject_visible(subject=subject, person=user):
        raise Http404("No such page.")
    blind = comment_subject_blind(subject=subject, person=user)
    if blind:
        return CommentPanel(subject, [], 0, blind)
    rows = list(_comments(subject).order_by("-created_at", "-pk")[:limit])
    rows.reverse()
    total = len(rows) if len(rows) < limit else Comment.objects.filter(**subject.filter).count()
    return CommentPanel(subject, rows, total)


def comment_page(*, user: User, subject: CommentSubject, page: object) -> Page:
    """All the subject's comments, oldest first, a page at a time."""
    if not comment_subject_visible(subject=subject, person=user):
        raise Http404("No such page.")
    blind = comment_subject_blind(subject=subject, person=user)
    if blind:
        raise PermissionDenied(blind)
    return page_get(_comments(subject).order_by("created_at", "pk"), page, per_page=PAGE_SIZE)


def comment_get(*, user: User, pk: int) -> Comment:
    """One comment whose subject the user may see, or 404."""
    comment = (
        Comment.objects.select_related("author", "deleted_by")
        .select_related("application__candidate", "application__job")
        .select_related("touchbase__job", "touchbase__series")
        .filter(pk=pk)
        .first()
    )
    if comment is None or not comment_subject_visible(
        subject=comment_subject(comment), person=user
    ):
        raise Http404("No such comment.")
    return comment


def comment_subject(comment: Comment) -> CommentSubject:
    """The subject a comment is about."""
    for name, kind in KINDS.items():
        if getattr(comment, f"{name}_id") is not None:
            return CommentSubject(kind, getattr(comment, name))
    raise ValueError(f"Comment {comment.pk} has no subject.")


def comment_edit_refusal(*, comment: Comment, user: User, now: dt.datetime | None = None) -> str:
    """Why the user may not edit the comment now ("" when they may): only its author, and
    only within EDIT_WINDOW of posting it, and never once an erasure scrubbed it. The one rule
    the service enforces."""
    if comment.deleted_at is not None:
        return "This comment was deleted; it can no longer be edited."
    if comment.author_id != user.pk:
        return "Only the person who wrote a comment may edit it."
    if comment.scrubbed_at is not None:
        return (
            "An erased candidate's name was taken out of this comment; it can no longer be edited."
        )
    if (now or timezone.now()) > comment.created_at + EDIT_WINDOW:
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        return f"A comment can be edited for {minutes} minutes after it is posted; this one stands."
    return ""


def comment_can_edit(*, comment: Comment, user: User, now: dt.datetime | None = None) -> bool:
    return not comment_edit_refusal(comment=comment, user=user, now=now)


def comment_tombstone(comment: Comment) -> str:
    """What stands in a deleted comment's place, its time in the reader's zone (the active
    one: the viewer's on a page, the recipient's in a message): "Comment deleted by Rita
    Recruiter on Mon 07 Dec 10:15"."""
    return f"Comment deleted by {comment.deleted_by or 'someone'} on {absolute(comment.deleted_at)}"


def comment_delete_refusal(*, comment: Comment, user: User) -> str:
    """Why the user may not delete the comment ("" when they may): its author may, at any
    time (a comment on the wrong candidate, a remark that should not have been written), and
    an admin may delete anyone's (moderation); nobody else. A comment an erasure scrubbed
    may be deleted too: deleting only takes text away, it cannot put the name back. The one
    rule the service enforces."""
    if comment.deleted_at is not None:
        return "This comment was deleted already."
    if comment.author_id == user.pk and user.is_active:
        return ""
    if user.is_active and user.is_admin:
        return ""
    return "Only the person who wrote a comment, or an admin, may delete it."


def comment_require_deletable(*, comment: Comment, user: User) -> None:
    refusal = comment_delete_refusal(comment=comment, user=user)
    if refusal:
        raise PermissionDenied(refusal)


def comments_mark_editable(*, comments: list[Comment], user: User) -> list[Comment]:
    """Mark each comment the user may edit now and may delete (`can_edit`, `can_delete`,
    for the template's Edit and Delete links)."""
    now = timezone.now()
    for comment in comments:
        comment.can_edit = comment_can_edit(comment=comment, user=user, now=now)  # type: ignore[attr-defined]  # for the template
        comment.can_delete = not comment_delete_refusal(comment=comment, user=user)  # type: ignore[attr-defined]  # for the template
    return comments


def comment_require_editable(
    *, comment: Comment, user: User, now: dt.datetime | None = None
) -> None:
    refusal = comment_edit_refusal(comment=comment, user=user, now=now)
    if refusal:
        raise PermissionDenied(refusal)
