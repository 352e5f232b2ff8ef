"""The Inbox's filters."""

from __future__ import annotations

from django import forms

from closeloop.lib.text import PlainTextMixin

# The Inbox's filters: what each says when its value is unusable, and what it falls back to
# (as the job list's and the People page's). One bad value drops that filter only, with a
# notice; never an error.
INBOX_FILTER_FALLBACKS = {
    "q": "is longer than 100 characters, more than a subject search holds; showing every subject",
    "q_text": "holds characters no subject has; showing every subject",
    "show": "is not a choice of Show; showing every message",
}
NOTICE_TYPED_MOST = 40  # characters of the unusable value a notice repeats


class InboxFilterForm(PlainTextMixin, forms.Form):
    """Which messages the Inbox lists; a value it cannot read means no filter, never an error
    (`notices` says which was left out)."""

    show = forms.ChoiceField(
        label="Show",
        choices=[("", "All messages"), ("unread", "Unread only")],
        required=False,
    )
    q = forms.CharField(label="Subject", max_length=100, required=False)

    def value(self, name: str) -> str:
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")

    def notices(self) -> list[str]:
        """A sentence for each value that could not be used (the list shows without it)."""
        self.is_valid()
        said = []
        for name in self.fields:
            if name in self.errors:
                typed = " ".join(str(self.data.get(name, "")).split())
                if len(typed) > NOTICE_TYPED_MOST:
                    typed = typed[:NOTICE_TYPED_MOST].rstrip() + "…"
                why = name
                if name == "q" and not self.has_error("q", "max_length"):
                    why = "q_text"  # control characters (PlainTextMixin)
                said.append(f"“{typed}” {INBOX_FILTER_FALLBACKS[why]}.")
        return said
