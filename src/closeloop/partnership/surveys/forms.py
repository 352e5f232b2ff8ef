"""Forms of surveys and check-ins: input shape only (the services decide what is allowed)."""

from __future__ import annotations

from django import forms

from closeloop.lib.text import PlainTextMixin
from closeloop.partnership.surveys.models import (
    ANSWER_TEXT_MAX,
    CHECKIN_NOTE_MAX,
    Again,
    HireRating,
)

AGAIN_LABEL = "Would you work together again?"


def _text(label: str, limit: int, help_text: str = "") -> forms.CharField:
    # The service checks the length, so an overlong answer comes back with a message saying
    # so instead of being cut by the browser.
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        help_text=help_text or f"Plain text, up to {limit} characters.",
        widget=forms.Textarea(attrs={"rows": 3, "data-max": str(limit)}),
    )


class SurveyTextForm(PlainTextMixin, forms.Form):
    """The two free-text questions (the one-click confirmation page offers these)."""

    what_worked = _text("What worked?", ANSWER_TEXT_MAX)
    what_to_change = _text("What would you change next time?", ANSWER_TEXT_MAX)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SurveyAnswerForm(SurveyTextForm):
    """The whole survey, on its page."""

    again = forms.ChoiceField(
        label=AGAIN_LABEL,
        choices=Again.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes, maybe or no."},
    )
    field_order = ["again", "what_worked", "what_to_change"]


class CheckinForm(PlainTextMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="How is the hire doing?",
        choices=HireRating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the hire is doing."},
    )
    hire_again = forms.ChoiceField(
        label="Would you hire them again?",
        choices=Again.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes, maybe or no."},
    )
    note = _text("In a sentence", CHECKIN_NOTE_MAX)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
