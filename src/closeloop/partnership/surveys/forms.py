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


class _AnswerText(forms.CharField):
    """A free-text answer: its length checked here, with every other problem of the form at
    once (the service checks it again for callers without a form). Line breaks count as one
    character, as the browser's `maxlength` counts them, not the two a form sends."""

    def to_python(self, value: object) -> str:
        return (super().to_python(value) or "").replace("\r\n", "\n")


def _text(label: str, limit: int, help_text: str = "") -> forms.CharField:
    return _AnswerText(
        label=label,
        required=False,
        max_length=limit,  # also the textarea's maxlength
        help_text=help_text or f"Plain text, up to {limit} characters.",
        error_messages={
            "max_length": "Keep it to %(limit_value)d characters (this is %(show_value)d); "
            "shorten it a little."
        },
        widget=forms.Textarea(attrs={"rows": 3}),
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
