"""Find and replace a person's identifying strings (a name, an address, a number) in stored text.

Used when a candidate is erased (pipeline.privacy): each app scrubs the rows it holds with one
`Scrubber`, built once from the person's details. Text is matched without regard to case and
in the forms it is stored in: as typed, HTML-escaped (a message's HTML body) and JSON-escaped
(a JSON column on SQLite keeps "é" as "\\u00e9"). No domain knowledge here.

An export of a person's data also holds texts about several people (a note, a line listing
candidates): `Names` finds the other people's names in them, word by word, so the export
shows them as `Names.replacement`.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast

# Shorter strings ("Al", "12") would match inside unrelated words: they are not searched.
NEEDLE_MIN_LENGTH = 3
# What stands where a person's address, number or link was (`Scrubber.details`).
DETAIL_REMOVED = "[removed]"


# A figure in brackets right after a name is that person's ("Hannah Ito (82,000)", "(EUR 79k)",
# "(80–85,000)"): it goes with the name. Brackets holding words ("(2 interviews)") stay.
FIGURE_AFTER = (
    r"\s?\(\s*(?:[A-Z]{3}\s?|[$€£¥]\s?)?\d[\d.,'\u00a0\u202f\u2009 \u2013-]*"
    r"(?:[KM]|\s?[A-Z]{3})?\s*\)"
)
_FIGURE_AFTER = re.compile(FIGURE_AFTER, re.IGNORECASE)
# Names are compared word by word, whatever joins the words ("O'Brien", "O’Brien", "Jean-Luc").
_WORD = re.compile(r"\w+")
# What may stand between two words of one name: spaces, an initial's dot, an apostrophe or a
# hyphen. Anything else ("Hannah, Ito") ends the name.
_NAME_GAP = re.compile(r"\s+|\.\s*|['’-]")


def _name_key(text: str) -> str:
    return " ".join(word.casefold() for word in _WORD.findall(text))


@functools.cache
def _only_removed(removed: str) -> re.Pattern[str]:
    """A bracket holding nothing but `removed` ("([removed], [removed])"), with a space before."""
    one = re.escape(removed)
    return re.compile(rf"\s?\(\s*{one}(?:\s*(?:[,;/|·]|\band\b|\bor\b)?\s*{one})*\s*\)")


def _stripped(needles: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(needle.strip() for needle in needles if needle and needle.strip())


def _forms_of(needles: Iterable[str]) -> set[str]:
    """Each needle long enough to search for, in each stored form."""
    return {
        variant
        for needle in needles
        if len(needle.strip()) >= NEEDLE_MIN_LENGTH
        for variant in _variants(needle.strip())
    }


def _variants(needle: str) -> set[str]:
    escaped_json = json.dumps(needle)[1:-1]
    return {needle, html.escape(needle), html.escape(needle, quote=False), escaped_json}


@dataclass(frozen=True)
class Scrubber:
    """Replaces every occurrence of `needles` (in each stored form) with `replacement`, and a
    figure in brackets right after one (`FIGURE_AFTER`). `details` (an address, a number
    written beside the name) are replaced with `detail_replacement` instead, so a text reads
    "Erased candidate #7" rather than the label thrice; a bracket left holding only those
    goes ("Name ([removed], [removed])" reads "Name")."""

    needles: tuple[str, ...]
    replacement: str
    others: Names | None = None
    details: tuple[str, ...] = ()
    detail_replacement: str = DETAIL_REMOVED
    _forms: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _detail_forms: frozenset[str] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names, details = _forms_of(self.needles), _forms_of(self.details)
        # Longest first: an address that contains the name is replaced whole. A figure right
        # after the name is the person's (their expected pay on a drift line): it goes too.
        ordered = sorted(names | details, key=lambda text: (-len(text), text))
        alternatives = "|".join(map(re.escape, ordered))
        # Whole words only: erasing "Ann Lee" leaves "Joann Leek" alone.
        pattern = (
            re.compile(rf"(?<!\w)({alternatives})(?!\w)(?:{FIGURE_AFTER})?", re.IGNORECASE)
            if ordered
            else None
        )
        # A string that is both (a phone number typed as a name) reads as the name.
        detail_only = {form.casefold() for form in details} - {form.casefold() for form in names}
        object.__setattr__(self, "_forms", tuple(ordered))
        object.__setattr__(self, "_detail_forms", frozenset(detail_only))
        object.__setattr__(self, "_pattern", pattern)

    @classmethod
    def of(
        cls, needles: Iterable[str | None], replacement: str, *, details: Iterable[str | None] = ()
    ) -> Scrubber:
        return cls(_stripped(needles), replacement, details=_stripped(details))

    @property
    def forms(self) -> list[str]:
        """Every string searched for, in each stored form, longest first."""
        return list(self._forms)

    def text(self, value: str) -> str:
        if not value or self._pattern is None:
            return value
        scrubbed = self._pattern.sub(self._replacement_for, value)
        if not self._detail_forms:
            return scrubbed
        return _only_removed(self.detail_replacement).sub("", scrubbed)

    def _replacement_for(self, match: re.Match[str]) -> str:
        found = match.group(1).casefold()
        return self.detail_replacement if found in self._detail_forms else self.replacement

    def found_in(self, value: str) -> bool:
        return bool(value) and self._pattern is not None and bool(self._pattern.search(value))

    def with_others(self, others: Names) -> Scrubber:
        """This scrubber, also knowing other people's names (`lines_naming`, `without_others`)."""
        return replace(self, others=others)

    def lines_naming(self, value: str) -> list[str]:
        """The lines of a text that name a needle, with nobody else's name in them: what an
        export holds of a text about several people (a note, an email listing many
        candidates, "Agreed range …: Bianca Zhang (79,000), Hannah Ito (82,000)")."""
        return [
            self.without_others(line.strip())
            for line in (value or "").splitlines()
            if self.found_in(line)
        ]

    def without_others(self, value: str) -> str:
        """The text with every name of `others` replaced (a figure in brackets after one goes
        with it), the needles' own mentions left as they are: what an export shows of a text
        it holds because the text names the person."""
        if not value or self.others is None:
            return value
        if self._pattern is None:
            return self.others.text(value)
        parts, last = [], 0
        for match in self._pattern.finditer(value):
            parts += [self.others.text(value[last : match.start()]), match.group()]
            last = match.end()
        return "".join([*parts, self.others.text(value[last:])])

    def json(self, value: Any) -> Any:
        """A JSON value with every string (keys too) scrubbed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.text(str(key)): self.json(item) for key, item in value.items()}
        return value

    def q(self, *fields: str) -> Q:
        """Rows where any of the text `fields` mentions a needle (use `annotate_json` for a JSON
        column first). Matches nothing when there is nothing to search for."""
        query = Q(pk__in=[])
        for name in fields:
            for form in self.forms:
                query |= Q(**{f"{name}__icontains": form})
        return query


@dataclass(frozen=True)
class Names:
    """Other people's full names, found in a text and replaced with `replacement`, with a
    figure in brackets right after one. Compared word by word without regard to case or to
    what joins the words; names of one word are left out (they would match common words).
    A set, not one pattern: an export looks for every other candidate of the organisation,
    and a pattern of thousands of names would be tried at each character."""

    keys: frozenset[str]
    replacement: str
    longest: int  # words in the longest name

    @classmethod
    def of(cls, names: Iterable[str], replacement: str, *, besides: Iterable[str] = ()) -> Names:
        """`names` but those in `besides` (the person's own name, which another may share)."""
        skip = {_name_key(name) for name in besides}
        keys = {key for name in names if " " in (key := _name_key(name)) and key not in skip}
        return cls(frozenset(keys), replacement, max((k.count(" ") + 1 for k in keys), default=0))

    def text(self, value: str) -> str:
        words = list(_WORD.finditer(value)) if self.keys else []
        parts, last, index = [], 0, 0
        while index < len(words):
            size = self._name_at(value, words, index)
            if not size:
                index += 1
                continue
            start, end = words[index].start(), words[index + size - 1].end()
            figure = _FIGURE_AFTER.match(value, end)
            end = figure.end() if figure else end
            parts += [value[last:start], self.replacement]
            last = end
            while index < len(words) and words[index].start() < end:
                index += 1
        return "".join([*parts, value[last:]])

    def _name_at(self, value: str, words: list[re.Match[str]], index: int) -> int:
        """How many words from `index` spell a name (the longest that does), else 0."""
        for size in range(min(self.longest, len(words) - index), 1, -1):
            run = words[index : index + size]
            joined = all(
                _NAME_GAP.fullmatch(value[one.end() : two.start()]) for one, two in pairwise(run)
            )
            if joined and " ".join(word.group().casefold() for word in run) in self.keys:
                return size
        return 0


def json_as_text(name: str) -> Cast:
    """A JSON column as text, to search it with `Scrubber.q` (annotate it under a new name)."""
    return Cast(name, output_field=TextField())
