"""The comment form: input shape only (the services decide what may be said and to whom)."""

from __future__ import annotations

from django import forms

from closeloop.comments.models import BODY_MAX
from closeloop.lib.text import PlainTextMixin


class CommentForm(PlainTextMixin, forms.Form):
    body = forms.CharField(
        label="Comment",
        # The length is checked by the service, so an overlong comment is kept on the page
        # with a message saying by how much, instead of being cut by the browser.
        widget=forms.Textarea(attrs={"rows": 3, "id": "comment-body"}),
        # A neutral example: a name from the demo would be nobody in a real organisation.
        help_text="Plain text. Mention a colleague with @ and the part of their email address "
        "before the @, as @name.",
        error_messages={"required": "Write something before posting the comment."},
        strip=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["data-max"] = str(BODY_MAX)
