"""A set of rows read once and named again by its ids, in one parameter, in later queries.

A page that reads one set many times (My queue: its lists, their counts, the asks beside
their rows, the job filter's choices) wrote the set's condition into each of those queries
as a subquery. The ORM built and compiled that condition (who may see a candidate, whose
move it is, cover, panels) every time, which cost more than running it, and PostgreSQL,
misjudging a subquery inside another, once looped over every application for each row.
Read once, the ids go into the later queries as one array parameter (PostgreSQL's
`= ANY(%s)`) or one JSON text (SQLite's `json_each`): the statement stays short however many
ids there are, no database's limit on parameters is reached, and each later query is an index
lookup by primary or foreign key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, Expression, F


class AmongIds(Expression):
    """True when the row's `field` (an id column) is one of `ids`: a condition for
    `filter`, `exclude`, `Q` or an aggregate's `filter`.

    NULL is among no ids and its negation is true (as `exclude(field__in=…)` reads), so
    `exclude(AmongIds("application", ids))` keeps the rows about no application."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, ids: Iterable[int]) -> None:
        super().__init__()
        self.column: Any = F(field)
        self.ids = sorted({int(pk) for pk in ids})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.column!r}, {len(self.ids)} ids)"

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 0", []
        # "IS NOT NULL AND": false, never unknown, for a NULL column, so NOT (…) is true.
        if connection.vendor == "postgresql":
            # One text literal, not a list: psycopg adapts a list id by id (1.5 ms for the
            # 2,000 ids of a busy person's set, eight sets a queue page), a string at once.
            ids = "{" + ",".join(map(str, self.ids)) + "}"
            return f"({column} IS NOT NULL AND {column} = ANY(%s::bigint[]))", [*params, ids]
        if connection.vendor == "sqlite":
            # The column is the compiler's quoted name; the ids are one parameter.
            among = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608
            return f"({column} IS NOT NULL AND {among})", [*params, json.dumps(self.ids)]
        marks = ", ".join(["%s"] * len(self.ids))
        return f"({column} IS NOT NULL AND {column} IN ({marks}))", [*params, *self.ids]
