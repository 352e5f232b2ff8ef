"""CSV downloads that a spreadsheet opens as text, never as a formula.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets (a person's name "=HYPERLINK(...)" would run); such a
cell gets a leading apostrophe, which they show as text. Numbers are written as numbers.

Times are written for machines, not for one reader: ISO 8601 to the second, in UTC with its
offset ("2026-11-26T10:23:00+00:00"), which every spreadsheet and script parses, and which
sorts as text in the order of time (a file has no single reader, so no reader's zone);
dates as "2026-11-26".
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def iso_cell(value: dt.date | None) -> str:
    """A time as a CSV cell: ISO 8601 in UTC with its offset, to the second; a date as
    ISO 8601; "" for none."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat() if value is not None else ""


def cell_safe(value: object) -> object:
    """`value` as a CSV cell: numbers as they are, times and dates in ISO 8601 (`iso_cell`),
    text starting like a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return iso_cell(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([cell_safe(name) for name in header])
    for row in rows:
        yield writer.writerow([cell_safe(value) for value in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """A CSV download streamed row by row, every cell made safe."""
    response = StreamingHttpResponse(_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
