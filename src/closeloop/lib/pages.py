"""Pages of a long list: the one rule for which page a request gets.

Every list that can grow with the organisation is shown a page at a time (the template
`_pager.html` links the others). A page number that is not a page of the list (missing,
not a whole number, below 1, past the last page: an old bookmark, a hand-edited address)
answers the first page, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from django.db.models import QuerySet

PER_PAGE = 50

T = TypeVar("T")


@dataclass
class Shown(Generic[T]):
    """The rows of a longer list that a page or a panel shows, and how many the list has in
    all (the rest are on a page of their own, or counted)."""

    rows: list[T]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.rows)


def first_shown(rows: QuerySet[Any], limit: int) -> Shown[Any]:
    """The first `limit` of `rows`, with their total: counted (one query more) only when
    there are more rows than shown."""
    first = list(rows[: limit + 1])
    if len(first) <= limit:
        return Shown(first, len(first))
    return Shown(first[:limit], rows.count())


def page_number(value: object) -> int:
    """The page number asked for, as a positive whole number (1 when it is anything else)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


class _Counted(Paginator):
    """A paginator told its count (the page already counted the list, say for its tabs)."""

    def __init__(self, items: Any, per_page: int, count: int) -> None:
        super().__init__(items, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def page_get(
    items: QuerySet[Any] | Sequence[Any],
    value: object,
    *,
    per_page: int = PER_PAGE,
    count: int | None = None,
) -> Page:
    """The page `value` (as read from the query string) of `items`, or the first page when
    `value` names no page of it. A queryset is counted once and sliced: one COUNT and one
    LIMIT/OFFSET query, whatever the list's length; a `count` the caller already knows
    saves the COUNT."""
    paginator = Paginator(items, per_page) if count is None else _Counted(items, per_page, count)
    number = page_number(value)
    return paginator.page(number if number <= paginator.num_pages else 1)


def page_query(params: Mapping[str, object]) -> str:
    """The query string the pager's links keep besides `page` ("status=open"), from the
    filters in force; empty values are left out."""
    return urlencode({key: value for key, value in params.items() if value not in ("", None)})
