"""Plain text: what names, titles and notes may hold.

Control characters (C0, DEL and C1) have no place in a name or a title: they are invisible,
they break emails, calendar files and CSV exports, and they are the trace of a client that
sent another encoding ("ÿþÃ(\\x80"). One-line fields refuse them all, tabs and line breaks
included; multi-line fields keep only tabs and line breaks.

What a currency is written as (`is_currency_code`: one of ISO 4217's codes, in any case,
said in one message wherever a form asks for one; the forms store it in upper case).

And how a list reads inside a sentence (`listed`: "A, B and C"), how an interview round's
name reads as a noun (`round_label`: "the Technical interview", "the Onsite round"), and how
someone's words are quoted in a line (`excerpt`: one line, cut at a word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator as NoNulls

from closeloop.lib.currencies import CURRENCY_CODES

SINGLE_LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MULTILINE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A round name that ends in one of these words already says what it is.
ROUND_NOUNS = frozenset({"interview", "interviews", "round"})
NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a line break"}
CURRENCY_CODE_MESSAGE = "Use an ISO 4217 currency code such as GBP, EUR or USD."


def _describe(character: str) -> str:
    return NAMES.get(character, f"U+{ord(character):04X}")


def _refuse(match: re.Match[str]) -> None:
    raise ValidationError(
        "This contains an invisible control character (%(character)s); remove it. Only "
        "plain text is kept here.",
        code="control_character",
        params={"character": _describe(match.group())},
    )


def validate_single_line_text(value: str) -> None:
    """Refuse control characters in a one-line field (a name, a title)."""
    match = SINGLE_LINE_CONTROLS.search(value or "")
    if match:
        _refuse(match)


def validate_multiline_text(value: str) -> None:
    """Refuse control characters other than tabs and line breaks in a multi-line field."""
    match = MULTILINE_CONTROLS.search(value or "")
    if match:
        _refuse(match)


class PlainTextMixin:
    """A form mixin: every text field refuses control characters, one-line inputs all of
    them, text areas all but tabs and line breaks. Passwords are left alone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput
            ):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            # Ours refuses NUL too, naming it: Django's own "Null characters are not
            # allowed." beside it ran on as a second message about the same character.
            kept = [v for v in field.validators if not isinstance(v, NoNulls)]
            field.validators = [
                *kept,
                validate_multiline_text if multiline else validate_single_line_text,
            ]


def is_currency_code(code: str) -> bool:
    """Whether `code` is a currency's ISO 4217 code (GBP, EUR; "gbp" too: the forms store it
    in upper case). Three letters are not enough: "XYZ" names no currency."""
    return code.upper() in CURRENCY_CODES


def listed(words: Iterable[str]) -> str:
    """Words joined as a person writes a list in a sentence: "A", "A and B", "A, B and C"
    ("" for none)."""
    items = list(words)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def round_label(name: str, noun: str) -> str:
    """An interview round's name as a noun in a sentence, the name said once: "Technical
    interview" and "Final round" as named, a bare name with `noun` after it ("Onsite
    interview" for an interview, "Onsite round" for a debrief). Whole words only: a round
    named "Background" is still a bare name."""
    name = name.strip()
    words = re.findall(r"[^\W\d_]+", name.lower())
    if words and words[-1] in ROUND_NOUNS:
        return name
    return f"{name} {noun}".strip()


def excerpt(text: str, limit: int = 140) -> str:
    """Someone's words quoted in a line: whitespace and line breaks run together, and a text
    longer than `limit` cut at the last word that fits (by characters when there is none
    near the end), with an ellipsis."""
    line = " ".join((text or "").split())
    if len(line) <= limit:
        return line
    # Room for the ellipsis: the result is never longer than `limit` (a column's width). At
    # a word, unless the last space is far back (a long link, text written without spaces).
    room = line[: limit - 1]
    space = room.rfind(" ")
    cut = room[:space] if space >= limit * 0.6 else room
    return cut.rstrip(" ,;:.") + "…"
