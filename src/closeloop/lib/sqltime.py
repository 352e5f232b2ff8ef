"""SQL functions on moments that work the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db.models import FloatField, Func


class Epoch(Func):
    """A moment as POSIX seconds, a float: for code that reads thousands of moments only to
    do arithmetic on them, without building a datetime for each row (NULL stays NULL)."""

    output_field = FloatField()
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Stored as UTC text; julianday reads it to the millisecond.
        template = "((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        return self.as_sql(compiler, connection, template=template, **extra)
