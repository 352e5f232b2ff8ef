"""The pieces of tests/test_fuzz_every_route.py: every URL pattern of the project, the forms a
rendered page holds, and the hostile values sent into each of them.

Imported by name (pytest puts tests/ on the path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

# Values that broke or could break a parser: digits `int` rejects, ids either database cannot
# store, signs, exponents, NUL bytes (PostgreSQL refuses them in text), injection, markup,
# paths, JSON-ish words, a very long string, blanks, dates at the edge of the calendar and
# numbers Decimal reads but a column cannot hold.
HOSTILE = [
    "²", "٣", "-1", "0", "99999999999999999999", "9223372036854775808", "1e3", "%00",
    "\x00", "' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "", " ",
    "../../etc/passwd", "null", "[]", "{}", "NaN", "1e999", "9999-12-31", "0001-01-01",
    "2026-02-30", "23:60",
]  # fmt: skip

# One value of each kind a parser trips on (the rest of HOSTILE varies the same themes): a
# digit `int` rejects, an id no column holds (on SQLite, then on PostgreSQL), a NUL byte,
# a sign, a very long string, a date at the calendar's end, a number Decimal reads as NaN.
CORE = [
    "²", "99999999999999999999", "9223372036854775808", "\x00", "-1", "x" * 5000,
    "9999-12-31", "NaN",
]  # fmt: skip

# What each query parameter gets on its own, whichever the database: a digit `int` rejects,
# the ids no column holds, a NUL byte and a very long string (the values whose fate is the
# database's). The rest of the table reaches every name a page reads at once, and each
# name one more value of it in turn.
EACH_NAME = ["²", "99999999999999999999", "9223372036854775808", "\x00", "x" * 5000]


# Read by Python's own parsers (`int`, `Decimal`, dates) before any query, the same whichever
# database is underneath: sent on SQLite only, which runs every value.
PYTHON_ONLY = frozenset({"²"})


def _for_this_database(values: list[str]) -> list[str]:
    if connection.vendor == "sqlite":
        return values
    return [value for value in values if value not in PYTHON_ONLY]


def core_values() -> list[str]:
    """CORE, without the values only Python parses on any database but SQLite."""
    return _for_this_database(CORE)


def each_name_values() -> list[str]:
    """EACH_NAME, without the values only Python parses on any database but SQLite."""
    return _for_this_database(EACH_NAME)


def field_values() -> list[str]:
    """The values every form field gets (the rest of the table one at a time, in turn): the
    first four of CORE, without the values only Python parses on any database but SQLite."""
    return _for_this_database(CORE[:4])


def hostile_values() -> list[str]:
    """The values each query parameter and form field is fed, one at a time: all of HOSTILE
    on SQLite, CORE on any other database (without "²", a digit only Python's `int` reads).

    Most of HOSTILE varies what a parser trips on (digits, signs, exponents, markup, paths,
    calendar dates), and parsing happens in Python before any query, the same whichever
    database runs the suite: the SQLite run covers them. What does depend on the database
    (an id past PostgreSQL's bigint, a NUL byte PostgreSQL refuses in text, a string longer
    than a column) is all in CORE, so the PostgreSQL run sends those, one of each kind.
    """
    return HOSTILE if connection.vendor == "sqlite" else core_values()


# The query parameters any view of the project reads (request.GET in the views and the
# pipeline's template tags) and the usual suspects besides: sent to every route.
QUERY_NAMES = [
    "page", "before", "to", "round", "version", "against", "status", "stage", "view", "sort",
    "person", "q", "next", "back",
]  # fmt: skip

# Ids in a path: the int converter takes any run of ASCII digits.
HOSTILE_PATH_IDS = ["0", "99999999999999999999", "9223372036854775808", "9223372036854775807"]
# Slugs in a path (a queue's name, an intake step): unknown, odd, long.
HOSTILE_SLUGS = ["x", "-", "_", "0", "a" * 2000]
# Tokens in a path (one-click links, calendar feeds, password resets): never a real one.
HOSTILE_TOKENS = ["x", "²", "' OR 1=1 --", "%00", "A" * 2000, "null"]


@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "pipeline:application-detail"
    pattern: str  # "applications/<int:pk>/"
    converters: dict[str, str]  # {"pk": "int"}


def routes() -> list[Route]:
    """Every URL pattern of the project, through includes."""
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str, converters: dict) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
                more = {**converters, **getattr(entry.pattern, "converters", {})}
                walk(entry, prefix + str(entry.pattern), inner.strip(":"), more)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}".strip(":") if entry.name else ""
                kinds = {**converters, **getattr(entry.pattern, "converters", {})}
                kinds = {key: type(value).__name__ for key, value in kinds.items()}
                found.append(Route(name, prefix + str(entry.pattern), kinds))

    walk(get_resolver(), "", "", {})
    return found


@dataclass
class Form:
    action: str | None
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # as the browser would send
    names: list[str] = field(default_factory=list)  # every named control, sent or not
    multiple: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    """The forms of a page and what a browser would send from each, unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str | None) -> None:
        form = self._form
        if form is None or not name:
            return
        if name not in form.names:
            form.names.append(name)
        if value is not None:
            form.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: (value or "") for key, value in attrs}
        if tag == "form":
            self._form = Form(a.get("action") or None, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            kind = a.get("type", "text").lower()
            name = a.get("name", "")
            if kind in ("checkbox", "radio"):
                self._add(name, a.get("value", "on") if "checked" in a else None)
                if kind == "checkbox":
                    self._form.multiple.add(name)
            elif kind in ("submit", "button", "image", "reset"):
                self._add(name, None)
            else:
                self._add(name, a.get("value", ""))
        elif tag == "button" and self._form is not None and a.get("name"):
            self._add(a["name"], None)
        elif tag == "select" and self._form is not None:
            self._select = (a.get("name", ""), "multiple" in a)
            self._add(self._select[0], None)
            if self._select[1]:
                self._form.multiple.add(self._select[0])
        elif tag == "option" and self._select is not None and "selected" in a:
            self._add(self._select[0], a.get("value", ""))
        elif tag == "textarea" and self._form is not None:
            self._textarea = a.get("name", "")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms
