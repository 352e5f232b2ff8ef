"""Search: the candidates and jobs a person may see, found by the words they type.

Candidates are matched on their name, email, current company and title and the words of
their résumé (`lib.documents`), every word typed as a prefix ("jon fisch" finds Jonah
Fischer); jobs on their title and team. Each database answers with its own full-text index,
behind the one selector `search_run`:

- PostgreSQL: a GIN index over `to_tsvector('simple', …)` of those columns, queried with a
  prefix `to_tsquery`, and a trigram index on the name (pg_trgm) so a misspelt name still
  finds its person ("Jonah Fisher" finds Jonah Fischer).
- SQLite: an FTS5 table over the same columns, kept in step with the candidates by triggers
  (an external-content table: it stores only the index).

Both are database objects Django's models cannot declare, so `search_structures_ensure`
creates them, idempotently, after every `migrate` (a `post_migrate` hook, which also runs
for test databases built without migrations). Permission filters are the pipeline's own:
a candidate is found only through an application the searcher may see.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.db import connection as default_connection
from django.db.models import BooleanField, Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from closeloop.jobs.models import Job
from closeloop.jobs.selectors import job_visible_q
from closeloop.lib.pages import page_get
from closeloop.pipeline.models import ApplicationStatus, Candidate
from closeloop.pipeline.selectors import (
    application_base,
    application_visible_q,
    applications_with_waited_since,
    candidate_visible_q,
)

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from closeloop.accounts.models import User

# What is searched, in this order, on both databases.
CANDIDATE_COLUMNS = ("full_name", "email", "current_company", "current_title", "resume_text")
FTS_TABLE = "pipeline_candidate_fts"
# Words beyond these are ignored: a pasted paragraph is not a query.
MAX_WORDS = 8
MAX_QUERY = 200
JOBS_SHOWN = 10
CANDIDATES_PER_PAGE = 25

# Every SQL text below is built from the fixed names above, never from input: what a person
# types reaches the database only as a query parameter.
_PG_COLUMNS = [f'COALESCE("pipeline_candidate"."{name}", \'\')' for name in CANDIDATE_COLUMNS]
_PG_DOCUMENT = "to_tsvector('simple'::regconfig, {})".format(" || ' ' || ".join(_PG_COLUMNS))
_PG_MATCH = (
    f"({_PG_DOCUMENT}) @@ to_tsquery('simple'::regconfig, %s) "
    'OR "pipeline_candidate"."full_name" %% %s'
)
_SQLITE_MATCH = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
_SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"  # noqa: S608


def search_words(query: str) -> list[str]:
    """The words of a query, lower-cased, letters and digits only ("O'Brien" is o, brien)."""
    return re.findall(r"[^\W_]+", query[:MAX_QUERY].lower())[:MAX_WORDS]


# --- The indexes ---------------------------------------------------------------------------


def search_structures_ensure(connection: BaseDatabaseWrapper) -> None:
    """Create the full-text structures of the connection's database if they are missing."""
    if connection.vendor == "sqlite":
        _sqlite_ensure(connection)
    elif connection.vendor == "postgresql":
        _postgresql_ensure(connection)


def _postgresql_ensure(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS pipeline_candidate_search "
            f"ON pipeline_candidate USING gin (({_PG_DOCUMENT}))"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS pipeline_candidate_name_trgm "
            "ON pipeline_candidate USING gin (full_name gin_trgm_ops)"
        )


def _sqlite_values(row: str) -> str:
    return ", ".join(f"COALESCE({row}.{name}, '')" for name in CANDIDATE_COLUMNS)


def _sqlite_triggers() -> dict[str, str]:
    """The triggers that keep the index following every write to the candidates, however it
    is made (one row, bulk, or Django remaking the table for a migration)."""
    columns = ", ".join(CANDIDATE_COLUMNS)
    new_values, old_values = _sqlite_values("new"), _sqlite_values("old")
    insert_new = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new_values});"  # noqa: S608
    delete_old = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old_values});"  # noqa: S608, E501
    return {
        f"{FTS_TABLE}_insert": f"AFTER INSERT ON pipeline_candidate BEGIN {insert_new} END",
        f"{FTS_TABLE}_delete": f"AFTER DELETE ON pipeline_candidate BEGIN {delete_old} END",
        f"{FTS_TABLE}_update": (
            f"AFTER UPDATE ON pipeline_candidate BEGIN {delete_old} {insert_new} END"
        ),
    }


def _sqlite_ensure(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE %s", [f"{FTS_TABLE}%"])
        present = {name for kind, name in cursor.fetchall() if kind in ("table", "trigger")}
        missing = [name for name in (FTS_TABLE, *_sqlite_triggers()) if name not in present]
        if not missing:
            return
        if FTS_TABLE not in present:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(CANDIDATE_COLUMNS)}, "
                "content='pipeline_candidate', content_rowid='id')"
            )
        # Django remakes a SQLite table to alter it, which drops its triggers: put them back.
        for name, body in _sqlite_triggers().items():
            if name not in present:
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        # Rows written while the index or a trigger was missing: index everything again.
        cursor.execute(_SQLITE_REBUILD)


# --- The matches -----------------------------------------------------------------------------


def _candidate_match(words: list[str], vendor: str) -> Q:
    """Candidates holding every word as a prefix of one of theirs (or, on PostgreSQL, whose
    name is close to what was typed)."""
    if vendor == "sqlite":
        expression = " ".join(f'"{word}"*' for word in words)
        return Q(pk__in=RawSQL(_SQLITE_MATCH, [expression]))  # noqa: S611 - a fixed text
    if vendor == "postgresql":
        prefixes = " & ".join(f"{word}:*" for word in words)
        match = RawSQL(  # noqa: S611 - a fixed text; the words are parameters
            _PG_MATCH, [prefixes, " ".join(words)], output_field=BooleanField()
        )
        return Q(match)
    every = Q()
    for word in words:  # any other database: slower, the same answers
        every &= Q(
            *(Q(**{f"{name}__icontains": word}) for name in CANDIDATE_COLUMNS), _connector=Q.OR
        )
    return every


def search_candidates(
    *, user: User, words: list[str], now: dt.datetime | None = None
) -> QuerySet[Candidate]:
    """The candidates the user may see that match every word, names that start with the
    first word first, then by name; each with the applications the user sees of theirs
    (`shown_applications`: active first, with how long each has waited on whom)."""
    if not words:
        return Candidate.objects.none()
    now = now or timezone.now()
    applications = applications_with_waited_since(
        application_base().filter(application_visible_q(user)), now
    ).order_by(
        Case(When(status=ApplicationStatus.ACTIVE, then=Value(0)), default=Value(1)),
        "-created_at",
        "pk",
    )
    name_first = Case(
        When(full_name__istartswith=words[0], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Candidate.objects.filter(candidate_visible_q(user), erased_at__isnull=True)
        .filter(_candidate_match(words, default_connection.vendor))
        .defer("resume_text")
        .annotate(name_first=name_first)
        .order_by("name_first", "full_name", "pk")
        .prefetch_related(
            Prefetch("applications", queryset=applications, to_attr="shown_applications")
        )
    )


def search_jobs(*, user: User, words: list[str]) -> QuerySet[Job]:
    """The jobs the user may see whose title or team holds every word (open ones first)."""
    if not words:
        return Job.objects.none()
    every = Q()
    for word in words:
        every &= Q(title__icontains=word) | Q(team__icontains=word)
    return (
        Job.objects.filter(job_visible_q(user))
        .filter(every)
        .select_related("recruiter", "hiring_manager")
        .order_by(Case(When(status="open", then=Value(0)), default=Value(1)), "title", "pk")
    )


@dataclass
class SearchResults:
    query: str
    words: list[str]
    candidates: Page
    jobs: list[Job]
    jobs_total: int

    @property
    def empty(self) -> bool:
        return not self.jobs_total and not self.candidates.paginator.count


def search_run(*, user: User, query: str, page: Any = 1) -> SearchResults:
    """One search: a page of candidates and the first jobs, with both totals."""
    words = search_words(query)
    jobs = search_jobs(user=user, words=words)
    candidates = page_get(
        search_candidates(user=user, words=words), page, per_page=CANDIDATES_PER_PAGE
    )
    shown_jobs = list(jobs[:JOBS_SHOWN])
    total = len(shown_jobs) if len(shown_jobs) < JOBS_SHOWN else jobs.count()
    return SearchResults(query, words, candidates, shown_jobs, total)
