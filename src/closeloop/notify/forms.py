"""The Inbox's filters."""

from __future__ import annotations

from django import forms

from closeloop.lib.text import PlainTextMixin


class InboxFilterForm(PlainTextMixin, forms.Form):
    """Which messages the Inbox lists; a value it cannot read means no filter, never an error."""

    show = forms.ChoiceField(
        label="Show",
        choices=[("", "All messages"), ("unread", "Unread only")],
        required=False,
    )
    q = forms.CharField(label="Subject", max_length=100, required=False)

    def value(self, name: str) -> str:
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")
