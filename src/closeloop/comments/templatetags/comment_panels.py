"""The comments panel on the pages of lower apps (pipeline, jobs and touch-bases own the
pages; comments fills the slot): `{% comments_panel application %}`, and
`comment|comment_body` for a comment's text with its mentions highlighted, and
`comment|comment_tombstone` for what stands in a deleted one's place."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from closeloop.comments.forms import CommentForm
from closeloop.comments.mentions import mention_html
from closeloop.comments.models import Comment
from closeloop.comments.selectors import (
    comment_panel,
    comment_subject_of,
    comment_tombstone,
    comments_mark_editable,
)

register = template.Library()


@register.inclusion_tag("comments/_panel.html", takes_context=True)
def comments_panel(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    """The subject's latest comments and the form to add one."""
    user = context["user"]
    panel = comment_panel(user=user, subject=comment_subject_of(obj))
    comments_mark_editable(comments=panel.comments, user=user)
    return {
        "panel": panel,
        "form": CommentForm(),
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def comment_body(comment: Comment) -> SafeString:
    """The comment's text, escaped, line breaks kept, mentions shown with the person's name."""
    return mention_html(comment.body, comment.mentions.all())


@register.filter(name="comment_tombstone")
def comment_tombstone_filter(comment: Comment) -> str:
    """ "Comment deleted by Rita Recruiter on Mon 07 Dec 10:15", in the viewer's zone."""
    return comment_tombstone(comment)
