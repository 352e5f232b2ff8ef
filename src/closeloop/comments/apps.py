from __future__ import annotations

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "closeloop.comments"
    label = "comments"
    verbose_name = "Comments and mentions"

    def ready(self) -> None:
        from closeloop.comments import privacy
        from closeloop.pipeline.privacy import privacy_register

        # What erasing or exporting a candidate covers here: comments about them, and every
        # mention of their name in any other comment.
        privacy_register(privacy.PRIVACY_SOURCE)
