"""What comments hold about a candidate: plugged into pipeline.privacy (and the merge hook).

Comments on the candidate or on their applications are about them alone: erasing deletes
them (with their mentions). Any other comment that names them (on a job, a touch-base,
another candidate or their application) loses the mention and stays, and can no longer be
edited (its author could type the name back). A comment about another candidate of the same
full name names that person: it is left alone. An export holds both kinds (`_naming`: one
rule for what erasure scrubs and what an export shows). A deleted comment holds no text,
only its tombstone: an export leaves it out, and erasing deletes it with the rest when it
was about them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from closeloop.comments.models import Comment
from closeloop.pipeline.models import Application, Candidate
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource


def _about_q(erasure: CandidateErasure) -> Q:
    return Q(candidate_id=erasure.candidate_id) | Q(application_id__in=erasure.application_ids)


def _naming(erasure: CandidateErasure) -> QuerySet[Comment]:
    """The comments elsewhere that may name the person (searched as any text containing
    their strings; `Scrubber` then replaces whole words only): what erasing scrubs, and an
    export holds beside the comments about them."""
    return (
        Comment.objects.filter(erasure.scrubber.q("body"), deleted_at__isnull=True)
        .exclude(_about_q(erasure))
        .exclude(erasure.about_namesake_q())
    )


def comments_erase(erasure: CandidateErasure) -> None:
    """Delete the comments about the person; scrub them out of every other one that names
    them (`_naming`), which stays as it now reads."""
    Comment.objects.filter(_about_q(erasure)).delete()
    scrub, now = erasure.scrubber, timezone.now()
    changed = []
    for comment in _naming(erasure).only("pk", "body").iterator(500):
        body = scrub.text(comment.body)
        if body != comment.body:  # the search finds "Ann Lee" in "Joann Leek" too
            comment.body, comment.scrubbed_at = body, now
            changed.append(comment)
    Comment.objects.bulk_update(changed, ["body", "scrubbed_at"], batch_size=500)


def _where(comment: Comment, erasure: CandidateErasure) -> dict[str, Any]:
    """Where a comment was, for the person's export: what it was on, the job it concerns,
    and the application's id when the application is theirs. Another candidate's record or
    application is named only as such: who that is is not theirs to be told."""
    if comment.candidate_id is not None:
        mine = comment.candidate_id == erasure.candidate_id
        on = "their candidate record" if mine else "another candidate's record"
        return {"on": on, "job": None, "application": None}
    if comment.application is not None:
        if comment.application_id in erasure.application_ids:
            on, application = "their application", comment.application_id
        else:
            on, application = "another candidate's application", None
        return {"on": on, "job": comment.application.job.title, "application": application}
    if comment.job is not None:
        return {"on": "the job", "job": comment.job.title, "application": None}
    touchbase = comment.touchbase
    return {
        "on": "a touch-base meeting",
        "job": touchbase.job.title if touchbase is not None else None,
        "application": None,
    }


def comments_export(erasure: CandidateErasure) -> dict[str, Any]:
    """The comments about the person and those elsewhere that name them, oldest first, as
    plain data, each saying where it was (`_where`); other candidates named beside them are
    left out (`Scrubber.without_others`). Deleted comments are left out: nothing of them
    is held but who deleted them, and when."""
    about = Comment.objects.filter(_about_q(erasure), deleted_at__isnull=True)
    rows = (
        (about | _naming(erasure))
        .select_related("author", "application__job", "job", "touchbase__job")
        .order_by("created_at", "pk")
    )
    scrub = erasure.scrubber
    ids = erasure.application_ids
    own = [
        comment
        for comment in rows
        if comment.candidate_id == erasure.candidate_id
        or comment.application_id in ids
        or scrub.found_in(comment.body)
    ]
    return {
        "comments": [
            {
                "at": comment.created_at.isoformat(),
                "by": str(comment.author) if comment.author else None,
                **_where(comment, erasure),
                "body": scrub.without_others(comment.body),
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
            }
            for comment in own
        ]
    }


def comments_merge(sender: object, *, keep: Candidate, duplicate: Candidate, **_: Any) -> None:
    """A duplicate record folded into `keep` (pipeline.hooks.candidate_merging): the comments
    about the duplicate are about the person kept."""
    Comment.objects.filter(candidate=duplicate).update(candidate=keep)


def comments_fold(sender: object, *, stays: Application, goes: Application, **_: Any) -> None:
    """A duplicate entry on a job removed by a merge (pipeline.hooks.application_folding):
    the comments on it are on the entry that stays."""
    Comment.objects.filter(application=goes).update(application=stays)


PRIVACY_SOURCE = PrivacySource("comments", comments_erase, comments_export)
