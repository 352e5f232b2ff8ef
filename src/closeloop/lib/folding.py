"""Names as people compare them: case and accents aside, so "Åsa Ek" sorts with the a's,
"Émile Zola" with the e's and "alice" before "Bob", on both databases.

One fold, the one search uses (`pipeline.search`): on PostgreSQL the `unaccent` dictionary,
through the immutable `closeloop_unaccent` wrapper (`fold_ensure`, after every migrate), then
`lower()`; on SQLite a Python function registered on every connection (`closeloop_fold`:
the letters FOLDED lists spelt out, decomposed, combining marks dropped, case-folded). Both
spell ø, ł, ß, æ… the same way ("Øberg" is "oberg", "Straße" "strasse").

`Folded(expression)` is the SQL of it, for an ORDER BY: the database sorts, a page reads
only its rows; `by_name(field)` is that ORDER BY with the name as written breaking ties.
`name_key(name)` is the same order for a list sorted in Python.

`case_key(name)` is a narrower comparison, for names a person types and expects to find again
whatever their capitals (a tag, a saved view): case-folded but keeping accents ("Straße" is
"STRASSE", "Übersee" is "übersee", but "Ubersee" another name). SQL's LOWER() cannot say it
(SQLite lowers ASCII letters only, PostgreSQL as its locale says), so the key is worked out
in Python and stored beside the name, and a unique constraint reads it.

It lives in lib because lists of people are sorted from accounts up and lists of
candidates in pipeline; accounts, the lowest app that sorts names, registers the SQLite
function and makes PostgreSQL's wrapper after every migrate (`AccountsConfig.ready`).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import Func, OrderBy, TextField

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


def case_key(name: str) -> str:
    """`name` as it is compared whatever its case: spaces collapsed, Unicode-normalised
    (NFKC) and case-folded, accents kept. Callers cut it to their column's length."""
    spaced = " ".join(unicodedata.normalize("NFKC", str(name)).split())
    return unicodedata.normalize("NFKC", spaced.casefold())


def name_key(name: str | None) -> tuple[str, str]:
    """Sort key for a name in Python, in the order `by_name` gives in SQL."""
    return (text_fold(name) or "", name or "")


def sqlite_fold_register(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """The `connection_created` receiver (connected in AccountsConfig.ready): SQLite gets the
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


def by_name(field: str, *, descending: bool = False) -> tuple[OrderBy, str]:
    """ORDER BY `field` as people read names, the name as written breaking ties: add the
    keys that make the order total (email, pk) after it."""
    folded = Folded(field)
    return (folded.desc() if descending else folded.asc(), f"-{field}" if descending else field)


def fold_ensure(connection: BaseDatabaseWrapper) -> None:
    """PostgreSQL's fold: the `unaccent` extension and the immutable wrapper `Folded` and
    search's stored document call (made only when missing: a function a stored column reads
    cannot be dropped, and every test database flush comes here)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL", [f"{PG_FOLD}(text)"])
        if cursor.fetchone()[0]:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
        schema = cursor.fetchone()[0]  # a name PostgreSQL quoted, where the extension lives
        cursor.execute(
            f"CREATE FUNCTION {PG_FOLD}(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
            f"STRICT AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$"
        )


def fold_after_migrate(sender: object, using: str = "default", **kwargs: object) -> None:
    """The `post_migrate` receiver (connected in AccountsConfig.ready)."""
    fold_ensure(connections[using])
