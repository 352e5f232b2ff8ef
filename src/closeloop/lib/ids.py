"""Ids typed by a browser (query strings, form fields): the one rule for reading them.

`str.isdigit` alone is not enough: it accepts digits `int` rejects ("²", "٣"), and a
20-digit number overflows SQLite's integers (a server error, not "no such thing").
"""

from __future__ import annotations

# The largest id either database stores (PostgreSQL bigint, SQLite INTEGER).
ID_MAX = 2**63 - 1


def id_parse(value: object) -> int | None:
    """A positive whole number an id column can hold, or None for anything else."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(ID_MAX)):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None
