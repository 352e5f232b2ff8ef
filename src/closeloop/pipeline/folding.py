"""Names as people compare them: case and accents aside, so "Åsa Ek" sorts with the a's,
"Émile Zola" with the e's and "alice" before "Bob", on both databases.

One fold, the one search uses (`pipeline.search`): on PostgreSQL the `unaccent` dictionary,
through the immutable `closeloop_unaccent` wrapper search makes after every migrate, then
`lower()`; on SQLite a Python function registered on every connection (`closeloop_fold`:
the letters FOLDED lists spelt out, decomposed, combining marks dropped, case-folded). Both
spell ø, ł, ß, æ… the same way ("Øberg" is "oberg", "Straße" "strasse").

`Folded(expression)` is the SQL of it, for an ORDER BY: the database sorts, a page reads
only its rows.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django.db.models import Func, TextField

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

# Letters that carry no accent to drop (a stroke, a ligature), each with what a keyboard
# without it types. Lower case; capitals are added. (SQLite's full-text tokenizer keeps them
# when it drops accents; PostgreSQL's `unaccent` spells them so.)
FOLDED = {"ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
          "þ": "th", "ı": "i", "ħ": "h"}  # fmt: skip
FOLDED_ANY_CASE = {
    **FOLDED,
    **{a.upper(): b for a, b in FOLDED.items() if len(a.upper()) == 1 and not a.upper().isascii()},
}
FOLD_TABLE = str.maketrans({"ẞ": "ss", **FOLDED_ANY_CASE})

# `unaccent` is not immutable (its dictionary could change), which a generated column needs:
# search makes this wrapper, naming the dictionary, as PostgreSQL's documentation suggests.
PG_FOLD = "closeloop_unaccent"
SQLITE_FOLD = "closeloop_fold"


def text_fold(text: str | None) -> str | None:
    """`text` as it compares: FOLDED's letters spelt out, accents dropped, case-folded."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLD_TABLE))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def sqlite_fold_register(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """The `connection_created` receiver (connected in PipelineConfig.ready): SQLite gets the
    fold as a function of its own."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD, 1, text_fold, deterministic=True)


class Folded(Func):
    """`expression` folded for comparing (`text_fold`'s rule), in SQL."""

    function = "LOWER"  # another database: case only
    output_field = TextField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        template = f"LOWER({PG_FOLD}(%(expressions)s))"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, function=SQLITE_FOLD, **extra)
