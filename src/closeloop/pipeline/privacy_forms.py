"""Forms of the candidate privacy pages (pipeline.privacy_views)."""

from __future__ import annotations

from django import forms

from closeloop.lib.text import PlainTextMixin


class EraseForm(PlainTextMixin, forms.Form):
    """Erase a candidate: why, and that the admin understands it cannot be undone."""

    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the activity log, e.g. “Erasure request by email, 4 Dec”. "
        "Do not write the person's name: it is taken out anyway.",
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Tick the box to confirm the erasure."},
    )


class KeepForm(PlainTextMixin, forms.Form):
    """Keep a candidate past the retention period."""

    reason = forms.CharField(
        label="Why keep them",
        max_length=300,
        help_text="e.g. “Legal hold: claim of 2 Dec”.",
    )
