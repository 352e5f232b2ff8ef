"""What comments hold about a candidate: plugged into pipeline.privacy (and the merge hook).

Comments on the candidate or on their applications are about them alone: erasing deletes
them (with their mentions). Any other comment that names them (on a job, a touch-base,
another candidate) loses the mention and stays.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from closeloop.comments.models import Comment
from closeloop.pipeline.models import Application, Candidate
from closeloop.pipeline.privacy import CandidateErasure, PrivacySource


def _about_q(erasure: CandidateErasure) -> Q:
    return Q(candidate_id=erasure.candidate_id) | Q(application_id__in=erasure.application_ids)


def comments_erase(erasure: CandidateErasure) -> None:
    """Delete the comments about the person; scrub their name out of every other one."""
    Comment.objects.filter(_about_q(erasure)).delete()
    scrub = erasure.scrubber
    changed = []
    # A comment about another candidate names that person (who may share the full name).
    someone_else = Q(candidate__isnull=False) | Q(application__isnull=False)
    rows = Comment.objects.filter(scrub.q("body")).exclude(someone_else)
    for comment in rows.only("pk", "body").iterator(500):
        comment.body = scrub.text(comment.body)
        changed.append(comment)
    Comment.objects.bulk_update(changed, ["body"], batch_size=500)


def comments_export(erasure: CandidateErasure) -> dict[str, Any]:
    """The comments about the person, oldest first, as plain data."""
    rows = Comment.objects.filter(_about_q(erasure)).select_related("author")
    return {
        "comments": [
            {
                "at": comment.created_at.isoformat(),
                "by": str(comment.author) if comment.author else None,
                "application": comment.application_id,
                "body": comment.body,
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
            }
            for comment in rows.order_by("created_at", "pk")
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
