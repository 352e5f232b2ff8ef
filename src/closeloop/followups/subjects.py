"""The one codec for an ask's subject: what the ask is about, as a noun and its keys.

`Ask.subject` is stored as "noun:key[:key...]": "submission:12", "scorecard:5:7" (interview,
interviewer), "intake:3:hiring_manager" (version, side). The string is the ask's identity
(at most one open ask per kind and subject), so every app builds it with `subject_key` and
reads it back with `subject_parse`; nothing else splits or joins on ":"
(tests/followups/test_subjects.py checks). Stored subjects keep their exact bytes: the
codec only names the format the apps wrote by hand before.

Pure Python, no Django: models, services and selectors of any app above may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = ":"


@dataclass(frozen=True)
class Subject:
    """A parsed subject: `Subject("scorecard", ("5", "7"))` is "scorecard:5:7".

    Keys stay strings, as stored (a side such as "hiring_manager" is a key too); `pk` reads
    the usual first key, a row's primary key.
    """

    noun: str
    keys: tuple[str, ...]

    def __post_init__(self) -> None:
        _check_part(self.noun, "noun", self.noun)
        if not self.keys:
            raise ValueError(f"The subject {self.noun!r} has no key: a subject names one thing.")
        for key in self.keys:
            _check_part(key, "key", self.noun)

    def __str__(self) -> str:
        return SEPARATOR.join((self.noun, *self.keys))

    @property
    def pk(self) -> int | None:
        """The first key as a primary key, or None when it is not a plain number."""
        first = self.keys[0]
        # isascii: `str.isdigit` also accepts digits `int` rejects ("²").
        return int(first) if first.isascii() and first.isdigit() else None


def _check_part(value: object, role: str, noun: object) -> None:
    if not isinstance(value, str):
        raise ValueError(f"A subject {role} is text, not {value!r} (subject {noun!r}).")
    if not value:
        raise ValueError(f"A subject {role} is empty (subject {noun!r}).")
    if SEPARATOR in value:
        raise ValueError(
            f"A subject {role} may not contain {SEPARATOR!r}: {value!r} (subject {noun!r})."
        )


def _key_text(key: int | str, noun: str) -> str:
    # A bool is an int to Python but never a key; None (an unsaved row's pk) would be
    # stored as "None" and match nothing ever after.
    if isinstance(key, bool) or not isinstance(key, int | str):
        raise ValueError(f"A subject key is a number or text, not {key!r} (subject {noun!r}).")
    return str(key)


def subject_key(noun: str, *keys: int | str) -> str:
    """The stored subject for a noun and its keys: `subject_key("scorecard", 5, 7)` is
    "scorecard:5:7". Refuses (ValueError) an empty noun or key, one containing ":", no key
    at all, or a key that is neither a number nor text (an unsaved row's pk is None)."""
    return str(Subject(noun, tuple(_key_text(key, noun) for key in keys)))


def subject_parse(value: str) -> Subject:
    """The subject a stored string names; refuses (ValueError) one that `subject_key` could
    not have built: no ":", or an empty noun or key."""
    if not isinstance(value, str):
        raise ValueError(f"A subject is text, not {value!r}.")
    noun, separator, rest = value.partition(SEPARATOR)
    if not separator:
        raise ValueError(f"Not a subject: {value!r} has no {SEPARATOR!r} between noun and key.")
    try:
        return Subject(noun, tuple(rest.split(SEPARATOR)))
    except ValueError as error:
        raise ValueError(f"Not a subject: {value!r}. {error}") from None
