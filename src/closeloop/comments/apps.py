from __future__ import annotations

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "closeloop.comments"
    label = "comments"
    verbose_name = "Comments and mentions"

    def ready(self) -> None:
        from closeloop.comments import privacy
        from closeloop.pipeline.hooks import application_folding, candidate_merging
        from closeloop.pipeline.privacy import privacy_register

        # What erasing or exporting a candidate covers here: comments about them, and every
        # mention of their name in any other comment.
        privacy_register(privacy.PRIVACY_SOURCE)
        # A duplicate folded into another record brings its comments along.
        candidate_merging.connect(privacy.comments_merge, dispatch_uid="comments")
        # And the comments on its duplicate entry on a job both records were on.
        application_folding.connect(privacy.comments_fold, dispatch_uid="comments")
