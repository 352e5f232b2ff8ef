"""Find and replace a person's identifying strings (a name, an address, a number) in stored text.

Used when a candidate is erased (pipeline.privacy): each app scrubs the rows it holds with one
`Scrubber`, built once from the person's details. Text is matched without regard to case and
in the forms it is stored in: as typed, HTML-escaped (a message's HTML body) and JSON-escaped
(a JSON column on SQLite keeps "é" as "\\u00e9"). No domain knowledge here.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast

# Shorter strings ("Al", "12") would match inside unrelated words: they are not searched.
NEEDLE_MIN_LENGTH = 3


def _variants(needle: str) -> set[str]:
    escaped_json = json.dumps(needle)[1:-1]
    return {needle, html.escape(needle), html.escape(needle, quote=False), escaped_json}


@dataclass(frozen=True)
class Scrubber:
    """Replaces every occurrence of `needles` (in each stored form) with `replacement`."""

    needles: tuple[str, ...]
    replacement: str
    _forms: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        forms = {
            variant
            for needle in self.needles
            if len(needle.strip()) >= NEEDLE_MIN_LENGTH
            for variant in _variants(needle.strip())
        }
        # Longest first: an address that contains the name is replaced whole.
        ordered = sorted(forms, key=lambda text: (-len(text), text))
        pattern = re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) if ordered else None
        object.__setattr__(self, "_forms", tuple(ordered))
        object.__setattr__(self, "_pattern", pattern)

    @classmethod
    def of(cls, needles: Iterable[str | None], replacement: str) -> Scrubber:
        return cls(
            tuple(needle.strip() for needle in needles if needle and needle.strip()), replacement
        )

    @property
    def forms(self) -> list[str]:
        """Every string searched for, in each stored form, longest first."""
        return list(self._forms)

    def text(self, value: str) -> str:
        if not value or self._pattern is None:
            return value
        return self._pattern.sub(self.replacement, value)

    def found_in(self, value: str) -> bool:
        return bool(value) and self._pattern is not None and bool(self._pattern.search(value))

    def lines_naming(self, value: str) -> list[str]:
        """The lines of a text that name a needle: what an export holds of a text about
        several people (a note, an email listing many candidates)."""
        return [line.strip() for line in (value or "").splitlines() if self.found_in(line)]

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


def json_as_text(name: str) -> Cast:
    """A JSON column as text, to search it with `Scrubber.q` (annotate it under a new name)."""
    return Cast(name, output_field=TextField())
