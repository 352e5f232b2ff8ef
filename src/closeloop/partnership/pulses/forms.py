"""The pulse's forms: three scores (1–5) and an optional plain-text comment."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from closeloop.lib.text import PlainTextMixin
from closeloop.partnership.pulses.models import COMMENT_MAX, QUESTIONS, SCORE_MAX, SCORE_MIN

SCORES = [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
SCORE_WORDS = {1: "1 – poor", 2: "2", 3: "3 – fine", 4: "4", 5: "5 – excellent"}
NAMES = ("score_1", "score_2", "score_3")


def _score_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=SCORES, coerce=int, widget=forms.RadioSelect)


class PulseAnswerForm(PlainTextMixin, forms.Form):
    """The in-app answer (and the one-click confirmation): labels are the side's questions."""

    score_1 = _score_field("First question")
    score_2 = _score_field("Second question")
    score_3 = _score_field("Third question")
    comment = forms.CharField(
        label="Comment (optional, seen by both sides once the round is revealed)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, side: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if side is not None:
            for name, label in zip(NAMES, QUESTIONS[side], strict=True):
                self.fields[name].label = label

    def scores(self) -> list[int]:
        return [self.cleaned_data[name] for name in NAMES]


class PulseLinkForm(PulseAnswerForm):
    """The confirmation page of a score link: all three scores start at the clicked one."""

    score: ClassVar[int] = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", dict.fromkeys(NAMES, self.score))
        super().__init__(*args, **kwargs)


def pulse_link_form(score: int) -> type[PulseLinkForm]:
    """The confirmation form of the link for `score` (the engine builds it with no arguments)."""
    return type(f"PulseLinkForm{score}", (PulseLinkForm,), {"score": score})
