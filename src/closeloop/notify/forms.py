"""The Inbox's filters."""

from __future__ import annotations

from django import forms

from closeloop.lib.forms import FilterNoticesMixin
from closeloop.lib.text import PlainTextMixin

# The Inbox's filters: what each says when its value is unusable, and what it falls back to
# (as the job list's and the People page's). One bad value drops that filter only, with a
# notice; never an error.
INBOX_FILTER_FALLBACKS = {
    "q": "is longer than 100 characters, more than a subject search holds; showing every subject",
    "q_text": "holds characters no subject has; showing every subject",
    "show": "is not a choice of Show; showing every message",
}


class InboxFilterForm(FilterNoticesMixin, PlainTextMixin, forms.Form):
    """Which messages the Inbox lists; a value it cannot read means no filter, never an error
    (`notices` says which was left out)."""

    show = forms.ChoiceField(
        label="Show",
        choices=[("", "All messages"), ("unread", "Unread only")],
        required=False,
    )
    q = forms.CharField(label="Subject", max_length=100, required=False)

    fallbacks = INBOX_FILTER_FALLBACKS
