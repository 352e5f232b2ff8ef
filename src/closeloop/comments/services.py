"""Writing comments: add, edit and delete, with their mentions, activity and notices in one
transaction.

A mention must name someone who may see the subject: otherwise the whole comment is refused
with a message naming them, and nothing is saved or sent (a comment that silently reaches
fewer people than its author believes is worse than one sent again without the name).
Each person mentioned is told once per comment, through the outbox, inside their working
hours and on the channel they chose, batched while they wait (comments.notices).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from closeloop.activity.services import activities_detail_withdraw, activity_record
from closeloop.comments.mentions import MENTIONS_MAX, mention_candidates, mention_handles
from closeloop.comments.models import BODY_MAX, Comment
from closeloop.comments.notices import mention_recipients, mention_tell, mention_withdraw
from closeloop.comments.selectors import (
    CommentSubject,
    comment_require_deletable,
    comment_require_editable,
    comment_subject,
    comment_subject_blind,
    comment_subject_closed,
    comment_subject_visible,
)

if TYPE_CHECKING:
    from closeloop.accounts.models import User


def comment_body_clean(body: str) -> str:
    """The body as stored: trimmed, not empty, not too long."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something before posting the comment."})
    if len(body) > BODY_MAX:
        raise ValidationError(
            {
                "body": f"A comment holds at most {BODY_MAX:,} characters; "
                f"this one has {len(body):,}."
            }
        )
    return body


def _handle_example(subject: CommentSubject, by: User | None) -> str:
    """A colleague's handle to show how a mention is written ("hank"): one of the subject's
    job's recruiting side or hiring manager whom the author could mention there, not the
    author; "" when there is none (a candidate's own page has no one job)."""
    job = subject.obj if subject.kind.name == "job" else getattr(subject.obj, "job", None)
    if job is None:
        return ""
    team = (job.hiring_manager, job.recruiter, job.coordinator)
    for person in team:
        if person is None or (by is not None and person.pk == by.pk):
            continue
        handle = person.email.split("@", 1)[0].lower()
        if mention_candidates([handle])[handle] == [person] and not _mention_problem(
            handle, [person], subject, by
        ):
            return handle
    return ""


def _mention_problem(
    handle: str, found: list[User], subject: CommentSubject, by: User | None
) -> str:
    if not found:
        # A handle is the address's part before the "@": "hank@example.com" typed after a
        # space is no mention at all.
        how = "mention a colleague as @ and the part of their email address before the @"
        example = _handle_example(subject, by)
        return f"Nobody here is @{handle}: {how}{f', e.g. @{example}' if example else ''}."
    if len(found) > 1:
        return (
            f"@{handle} could be {len(found)} people: "
            f"write their whole address, as @{found[0].email}."
        )
    person = found[0]
    if not person.is_active:
        return f"{person.full_name} (@{handle}) no longer uses Closeloop."
    if not comment_subject_visible(subject=subject, person=person):
        return (
            f"{person.full_name} (@{handle}) cannot see {subject.label}, "
            "so cannot be mentioned here."
        )
    if comment_subject_blind(subject=subject, person=person):
        return (
            f"{person.full_name} (@{handle}) reads comments on {subject.label} only once "
            "their scorecards are in, so cannot be mentioned here yet."
        )
    return ""


def comment_mentions_resolve(
    *, body: str, subject: CommentSubject, by: User | None = None
) -> list[User]:
    """The people the body mentions, each of whom may see the subject; otherwise a
    ValidationError naming every mention that cannot stand (an unknown handle with a
    colleague's as the example, not `by`'s own)."""
    handles = mention_handles(body)
    if len(handles) > MENTIONS_MAX:
        raise ValidationError({"body": f"Mention at most {MENTIONS_MAX} people in one comment."})
    people, problems = [], []
    for handle, found in mention_candidates(handles).items():
        problem = _mention_problem(handle, found, subject, by)
        if problem:
            problems.append(problem)
        else:
            people.append(found[0])
    if problems:
        raise ValidationError({"body": problems})
    return people


def _activity_about(subject: CommentSubject) -> dict[str, Any]:
    """Where the event goes in the log: the candidate's or application's timeline, or the job."""
    obj, name = subject.obj, subject.kind.name
    if name == "touchbase":
        return {"job": obj.job}
    return {name: obj}


def _record(kind: str, comment: Comment, subject: CommentSubject, by: User, verb: str) -> None:
    # A comment about a candidate is in the team's timeline; interviewers read it in the
    # comments panel, once the scorecards' blindness lets them. A deletion records who
    # deleted whose comment, never its text.
    about_candidate = subject.kind.name in ("candidate", "application")
    data: dict[str, Any] = {"comment": comment.pk, "subject": subject.kind.name}
    if comment.deleted_at is not None:
        data["author"] = comment.author_id
    activity_record(
        team_only=about_candidate,
        kind=f"closeloop.comment.{kind}",
        actor=by,
        summary=f"{by} {verb} on {subject.stored_label}",
        detail="" if comment.deleted_at is not None else comment.body,
        data=data,
        at=comment.deleted_at or comment.edited_at or comment.created_at,
        **_activity_about(subject),
    )


def _require_open(subject: CommentSubject, by: User) -> None:
    closed = comment_subject_closed(subject) or comment_subject_blind(subject=subject, person=by)
    if closed:
        raise ValidationError({"body": closed})


@transaction.atomic
def comment_add(*, subject: CommentSubject, by: User, body: str) -> Comment:
    """Post a comment on a subject the author may see; mentioned people are told."""
    if not comment_subject_visible(subject=subject, person=by):
        raise PermissionDenied("You cannot comment on something you cannot see.")
    _require_open(subject, by)
    body = comment_body_clean(body)
    people = comment_mentions_resolve(body=body, subject=subject, by=by)
    comment = Comment.objects.create(author=by, body=body, **subject.filter)
    comment.mentions.set(people)
    _record("added", comment, subject, by, "commented")
    mention_tell(comment=comment, people=people, by=by)
    return comment


@dataclass(frozen=True)
class CommentEdited:
    """An edited comment, and the people its edit tells: those it mentions and never told
    before (never its author)."""

    comment: Comment
    told: list[User]


@transaction.atomic
def comment_edit(
    *, comment: Comment, by: User, body: str, now: dt.datetime | None = None
) -> CommentEdited:
    """Change a comment's text: its author, within the edit window. It keeps its time and
    says "edited"; only people it mentions and never told are told (once per comment, even
    when an earlier edit took their mention out)."""
    now = now or timezone.now()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment_require_editable(comment=comment, user=by, now=now)
    subject = comment_subject(comment)
    if not comment_subject_visible(subject=subject, person=by):
        raise PermissionDenied("You cannot edit a comment on something you can no longer see.")
    body = comment_body_clean(body)
    people = comment_mentions_resolve(body=body, subject=subject, by=by)
    if body == comment.body:
        return CommentEdited(comment, [])
    # Whom the comment ever told, not whom its text names now: a mention taken out by an
    # earlier edit was told all the same.
    told = set(comment.told.values_list("pk", flat=True))
    comment.body, comment.edited_at = body, now
    comment.save(update_fields=["body", "edited_at"])
    comment.mentions.set(people)
    _record("edited", comment, subject, by, "edited a comment")
    newly = mention_recipients(people=[p for p in people if p.pk not in told], by=by)
    mention_tell(comment=comment, people=newly, by=by)
    return CommentEdited(comment, newly)


# The events that hold a comment's text (`_record`'s detail): a deletion empties them.
TEXT_EVENTS = ("closeloop.comment.added", "closeloop.comment.edited")


@transaction.atomic
def comment_delete(*, comment: Comment, by: User, now: dt.datetime | None = None) -> Comment:
    """Delete a comment: its author, at any time, or an admin, anyone's (moderation). Its
    text leaves the database, not only the page: the row keeps no body and no mentions, its
    events in the activity log lose their copy of it, and so do the mention messages
    (`mention_withdraw`: one still waiting is withdrawn or no longer words it, one that
    reached its recipient no longer quotes it). The row stays as the thread's tombstone, in
    its place ("Comment deleted by Rita Recruiter on Mon 07 Dec 10:15"), and a
    `closeloop.comment.deleted` event says who deleted whose comment, without the text."""
    now = now or timezone.now()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment_require_deletable(comment=comment, user=by)
    subject = comment_subject(comment)
    if not comment_subject_visible(subject=subject, person=by):
        raise PermissionDenied("You cannot delete a comment on something you can no longer see.")
    comment.body, comment.deleted_at, comment.deleted_by = "", now, by
    comment.save(update_fields=["body", "deleted_at", "deleted_by"])
    comment.mentions.clear()
    activities_detail_withdraw(kinds=TEXT_EVENTS, data={"comment": comment.pk})
    whose = "their" if comment.author_id == by.pk else f"{comment.author or 'someone'}'s"
    _record("deleted", comment, subject, by, f"deleted {whose} comment")
    mention_withdraw(comment=comment)
    return comment
