"""Search: the candidates and jobs a person may see, found by the words they type.

Candidates are matched on their name, email, current company and title and the words of
their résumé (`lib.documents`), every word typed as a prefix ("jon fisch" finds Jonah
Fischer), and by their tags (`search_tags`: every word typed starts a word of one tag's
name, "silver med" finds those tagged *Silver medal*); jobs on their title and team. Each
database answers with its own full-text index,
behind the one selector `search_run`:

- PostgreSQL: a stored `to_tsvector('simple', …)` of those columns (a generated column) with
  a GIN index, queried with a prefix `to_tsquery`; when nothing matches, a trigram index on
  the name (pg_trgm) offers the names that look like it ("Jonah Fisher": Jonah Fischer).
- SQLite: an FTS5 table over the same columns, kept in step with the candidates by triggers
  (a contentless table: it stores only the index).

Accents and the letters that carry a stroke are folded on both sides, so a recruiter typing
on an English keyboard finds everyone: "muller" finds Müller, "oberg" Øberg, "strasse"
Straße, and "Müller" finds Muller too. PostgreSQL folds with the `unaccent` extension;
SQLite's tokenizer drops accents itself (é, ü, ř) and FOLDED (`lib.folding`, the fold
the job list also sorts names by) spells out the letters it keeps (ø, ł, ß, æ…), applied by
the triggers and to the words typed.

Both are database objects Django's models cannot declare, so `search_structures_ensure`
creates them, idempotently, after every `migrate` (a `post_migrate` hook, which also runs
for test databases built without migrations). Permission filters are the pipeline's own:
a candidate is found only through an application the searcher may see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.db import connection as default_connection
from django.db import connections
from django.db.models import BooleanField, Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from closeloop.jobs.models import Job
from closeloop.jobs.selectors import job_visible_q
from closeloop.lib.folding import (
    FOLD_TABLE,
    FOLDED_ANY_CASE,
    PG_FOLD,
    Folded,
    by_name,
    fold_ensure,
    text_fold,
)
from closeloop.lib.pages import page_get
from closeloop.pipeline.models import Application, ApplicationStatus, Candidate, CandidateTag, Tag
from closeloop.pipeline.selectors import (
    application_visible_q,
    applications_panel_set,
    applications_with_move_wait,
    candidate_visible_many_q,
    candidate_visible_sets,
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
# Tags are the organisation's labels, a few hundred: a search reads at most TAGS_READ of
# those holding its first word, and finds the candidates of at most TAGS_MATCHED of them.
TAGS_READ = 200
TAGS_MATCHED = 20
# Candidates are counted up to this many ("1,000+"): past it nobody pages, they add a word,
# and counting every one of 10,000 matches would double the cost of a broad search.
MAX_COUNTED = 1000

# Every SQL text below is built from the fixed names above, never from input: what a person
# types reaches the database only as a query parameter.
_PG_COLUMNS = [f"COALESCE(\"{name}\", '')" for name in CANDIDATE_COLUMNS]
# PostgreSQL reads an address as one word; its parts too, as SQLite's FTS5 does ("cand").
_PG_COLUMNS.append("translate(COALESCE(\"email\", ''), '@.+_-', '     ')")
# A name with an apostrophe is also one word without it: "obrien" finds O'Brien.
_NAME_APOSTROPHES = ("'", "\N{RIGHT SINGLE QUOTATION MARK}")
_PG_COLUMNS.append(
    "translate(COALESCE(\"full_name\", ''), '{}', '')".format(
        "".join(mark.replace("'", "''") for mark in _NAME_APOSTROPHES)
    )
)
_PG_DOCUMENT = "to_tsvector('simple'::regconfig, {}({}))".format(
    PG_FOLD, " || ' ' || ".join(_PG_COLUMNS)
)
# The document is stored (a generated column), so a match reads it instead of computing it
# again for every row the index points at (a prefix match is always re-checked).
PG_DOCUMENT_COLUMN = "search_document"
_PG_MATCH = (
    f'"pipeline_candidate"."{PG_DOCUMENT_COLUMN}" @@ '
    f"to_tsquery('simple'::regconfig, {PG_FOLD}(%s))"
)
_PG_CLOSE = '"pipeline_candidate"."full_name" %% %s'
_SQLITE_MATCH = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(CANDIDATE_COLUMNS)}, content='', "
    "tokenize='unicode61 remove_diacritics 2')"
)


def search_words(query: str) -> list[str]:
    """The words of a query, lower-cased, letters and digits only ("O'Brien" is o, brien),
    the letters of FOLDED spelt as without a stroke ("Øberg" is oberg)."""
    folded = query[:MAX_QUERY].translate(FOLD_TABLE).lower()
    return re.findall(r"[^\W_]+", folded)[:MAX_WORDS]


# --- The indexes ---------------------------------------------------------------------------


def search_after_migrate(sender: object, using: str = "default", **kwargs: object) -> None:
    """The `post_migrate` receiver (connected in PipelineConfig.ready)."""
    search_structures_ensure(connections[using])


def search_structures_ensure(connection: BaseDatabaseWrapper) -> None:
    """Create the full-text structures of the connection's database if they are missing."""
    if connection.vendor == "sqlite":
        _sqlite_ensure(connection)
    elif connection.vendor == "postgresql":
        _postgresql_ensure(connection)


def _postgresql_ensure(connection: BaseDatabaseWrapper) -> None:
    """The stored document and its GIN index, and a trigram index on names.

    A migration that alters one of CANDIDATE_COLUMNS must drop `search_document` first
    (PostgreSQL refuses to alter a column a generated column reads); this puts it back.
    """
    # The column's comment names the document it was made from: a changed document (a column
    # added to the search) replaces it.
    version = hashlib.sha256(_PG_DOCUMENT.encode()).hexdigest()[:16]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT col_description(attrelid, attnum) FROM pg_attribute "
            "WHERE attrelid = 'pipeline_candidate'::regclass AND attname = %s "
            "AND NOT attisdropped",
            [PG_DOCUMENT_COLUMN],
        )
        made = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'pipeline_candidate' "
            "AND indexname IN ('pipeline_candidate_search', 'pipeline_candidate_name_trgm')"
        )
        if made is not None and made[0] == version and cursor.fetchone()[0] == 2:
            return  # all there (every test database flush comes here): no DDL, no lock
        # (The document's version holds only while the fold function exists: it reads it.)
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        fold_ensure(connection)
        if made is not None and made[0] != version:
            cursor.execute(f"ALTER TABLE pipeline_candidate DROP COLUMN {PG_DOCUMENT_COLUMN}")
        cursor.execute(
            f"ALTER TABLE pipeline_candidate ADD COLUMN IF NOT EXISTS {PG_DOCUMENT_COLUMN} "
            f"tsvector GENERATED ALWAYS AS ({_PG_DOCUMENT}) STORED"
        )
        cursor.execute(
            f"COMMENT ON COLUMN pipeline_candidate.{PG_DOCUMENT_COLUMN} IS %s", [version]
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS pipeline_candidate_search "
            f"ON pipeline_candidate USING gin ({PG_DOCUMENT_COLUMN})"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS pipeline_candidate_name_trgm "
            "ON pipeline_candidate USING gin (full_name gin_trgm_ops)"
        )


def _sqlite_fold(expression: str) -> str:
    """SQL spelling FOLDED's letters (either case) of `expression` as the words typed are."""
    for letter, spelt in FOLDED_ANY_CASE.items():
        expression = f"replace({expression}, '{letter}', '{spelt}')"
    return expression


def _sqlite_values(row: str) -> str:
    values = [_sqlite_fold(f"COALESCE({row}.{name}, '')") for name in CANDIDATE_COLUMNS]
    # The name once more without its apostrophes, as PostgreSQL's document has it.
    bare = values[0]
    for mark in _NAME_APOSTROPHES:
        bare = "replace({}, '{}', '')".format(bare, mark.replace("'", "''"))
    values[0] = f"{values[0]} || ' ' || {bare}"
    return ", ".join(values)


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
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name LIKE %s", [f"{FTS_TABLE}%"]
        )
        made = {name: sql for kind, name, sql in cursor.fetchall() if kind in ("table", "trigger")}
        wanted = {FTS_TABLE: _SQLITE_CREATE} | {
            name: f"CREATE TRIGGER {name} {body}" for name, body in _sqlite_triggers().items()
        }
        # (FTS5's own shadow tables are there too, under the same prefix: not compared.)
        if all(made.get(name) == statement for name, statement in wanted.items()):
            return  # all there, as this version makes them (every test database flush)
        # Missing, or made for another search (other columns, no folding): make it all again.
        for name in _sqlite_triggers():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        cursor.execute(_SQLITE_CREATE)
        for statement in wanted.values():
            if statement != _SQLITE_CREATE:
                cursor.execute(statement)
        columns = ", ".join(CANDIDATE_COLUMNS)
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, {columns}) "  # noqa: S608 - fixed names
            f"SELECT id, {_sqlite_values('pipeline_candidate')} FROM pipeline_candidate"
        )


# --- The matches -----------------------------------------------------------------------------


def _candidate_match(words: list[str], vendor: str) -> Q:
    """Candidates holding every word as a prefix of one of theirs (SQLite: see
    `_sqlite_visible_matches`)."""
    if vendor == "postgresql":
        prefixes = " & ".join(f"{word}:*" for word in words)
        # A fixed text; the words are a parameter.
        return Q(RawSQL(_PG_MATCH, [prefixes], output_field=BooleanField()))  # noqa: S611
    every = Q()
    for word in words:  # any other database: slower, the same answers
        within = [Q(**{f"{name}__icontains": word}) for name in CANDIDATE_COLUMNS]
        every &= Q(*within, _connector=Q.OR)
    return every


def search_tags(words: list[str]) -> list[int]:
    """The tags a query names: every word typed starts one of the tag's words, folded as
    the rest of search is ("reloc" finds *Relocating*, "silver med" *Silver medal*,
    "ubersee" *Übersee*). One bounded read of the tag table (TAGS_READ rows holding the
    first word), checked word by word here; at most TAGS_MATCHED tags, the one named
    exactly what was typed first, then by name."""
    if not words:
        return []
    typed = [text_fold(word) or "" for word in words]
    rows = (
        Tag.objects.annotate(folded=Folded("name"))
        .filter(folded__contains=typed[0])
        .order_by("name", "pk")
        .values_list("pk", "name")[:TAGS_READ]
    )
    matched = []
    for pk, name in rows:
        own = search_words(text_fold(name) or "")
        if all(any(word.startswith(part) for word in own) for part in typed):
            matched.append((own != typed, pk))  # the tag named exactly so first
    return [pk for _, pk in sorted(matched, key=lambda row: row[0])][:TAGS_MATCHED]


def _tagged(tag_ids: list[int]) -> Q:
    """Candidates carrying one of the tags (the (candidate, tag) links, read by tag)."""
    carrying = CandidateTag.objects.filter(tag_id__in=tag_ids).values("candidate_id")
    return Q(pk__in=carrying)


def _sqlite_visible_matches(words: list[str], user: User) -> RawSQL:
    """SQLite: the ids of the FTS matches the user may see, checked inside the FTS query, so
    only those are then read from the candidates (a broad search matches ten times more
    candidates than a busy person sees, and each one read is a lookup in a wide table).
    The visibility sets are compiled into the statement; `+rowid` keeps SQLite from using
    them to look rows up in the FTS table, which it cannot do and match at the same time."""
    expression = " ".join(f'"{word}"*' for word in words)
    sets = candidate_visible_sets(user)
    if sets is None:
        return RawSQL(_SQLITE_MATCH, [expression])  # noqa: S611 - a fixed text
    checks, params = [], [expression]
    for ids in sets:
        sql, set_params = ids.query.sql_with_params()
        checks.append(f"+rowid IN ({sql})")
        params.extend(set_params)
    # The texts are the fixed match and SQL Django compiled; every value is a parameter.
    return RawSQL(f"{_SQLITE_MATCH} AND ({' OR '.join(checks)})", params)  # noqa: S611


def _candidate_close(words: list[str]) -> Q:
    """PostgreSQL only: names that look like what was typed (trigram similarity), for a
    search nothing matched exactly ("Jonah Fisher" for Jonah Fischer)."""
    typed = " ".join(words)
    return Q(RawSQL(_PG_CLOSE, [typed], output_field=BooleanField()))  # noqa: S611


def search_can_suggest() -> bool:
    """Whether a search that matched nothing can offer names that look like it."""
    return default_connection.vendor == "postgresql"


def search_candidates(
    *, user: User, words: list[str], now: dt.datetime | None = None, close: bool = False
) -> QuerySet[Candidate]:
    """The candidates the user may see that match every word, names that start with the
    first word first, then by name; each with the applications the user sees of theirs
    (`shown_applications`: active first, with how long each has waited on whom). With
    `close` (PostgreSQL), the names that look like the words instead, closest first."""
    found = _candidates_found(user=user, words=words, close=close)
    return found.prefetch_related(_shown_applications(user=user, now=now))


def _candidates_found(*, user: User, words: list[str], close: bool = False) -> QuerySet[Candidate]:
    """The matches the user may see, in the results' order (no applications)."""
    if not words:
        return Candidate.objects.none()
    kept = Candidate.objects.filter(erased_at__isnull=True)
    vendor = default_connection.vendor
    found: QuerySet[Candidate]
    if close:
        closeness = RawSQL('similarity("pipeline_candidate"."full_name", %s)', [" ".join(words)])
        found = kept.filter(candidate_visible_many_q(user), _candidate_close(words))
        found = found.annotate(closeness=closeness).order_by(
            "-closeness", *by_name("full_name"), "pk"
        )
    else:
        # A tag's name finds the candidates carrying it, as the user may see them.
        tags = search_tags(words)
        if vendor == "sqlite":
            matched = Q(pk__in=_sqlite_visible_matches(words, user))
            if tags:
                matched |= _tagged(tags) & candidate_visible_many_q(user)
            found = kept.filter(matched)
        else:
            # A broad search matches thousands: each is checked against the sets of the
            # candidates the user may see, read once, not by an EXISTS on its applications.
            matched = _candidate_match(words, vendor)
            if tags:
                matched |= _tagged(tags)
            found = kept.filter(candidate_visible_many_q(user), matched)
        name_first = Case(
            When(full_name__istartswith=words[0], then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        found = found.annotate(name_first=name_first).order_by(
            "name_first", *by_name("full_name"), "pk"
        )
    return found.defer("resume_text")


def _shown_applications(*, user: User, now: dt.datetime | None) -> Prefetch:
    """Each candidate's applications the user sees, active first, with their waits: with
    what the results show of each (its job's title, its stage, whose move), not the
    application pages' joins (the candidate again, with the résumé's words, and the job's
    people)."""
    shown = Application.objects.select_related("job", "stage", "next_move_owner")
    applications = applications_with_move_wait(
        shown.filter(application_visible_q(user)), now or timezone.now()
    ).order_by(
        Case(When(status=ApplicationStatus.ACTIVE, then=Value(0)), default=Value(1)),
        "-created_at",
        "pk",
    )
    return Prefetch("applications", queryset=applications, to_attr="shown_applications")


def search_jobs(*, user: User, words: list[str]) -> QuerySet[Job]:
    """The jobs the user may see whose title or team has a word starting with each word
    typed (open ones first). A thousand jobs: a scan of their titles costs less than an index."""
    if not words:
        return Job.objects.none()
    every = Q()
    for word in words:  # the start of a word of the title or team, as for candidates
        every &= (
            Q(title__istartswith=word)
            | Q(title__icontains=f" {word}")
            | Q(team__istartswith=word)
            | Q(team__icontains=f" {word}")
        )
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
    more_candidates: bool = False  # more than MAX_COUNTED match: the count says "1,000+"
    close: bool = False  # nothing matched; these are names that look like the words

    @property
    def empty(self) -> bool:
        return not self.jobs_total and not self.candidates.paginator.count


def _ranked_ids(found: QuerySet[Candidate]) -> list[int]:
    """The ids of the first MAX_COUNTED + 1 matches in the results' order: one pass over the
    matches gives both the count ("1,000+") and every page, where a COUNT and a page query
    would each check every match against what the searcher may see."""
    return list(found.values_list("pk", flat=True)[: MAX_COUNTED + 1])


def _in_order(*, user: User, ids: list[int]) -> list[Candidate]:
    """The candidates of one page (with what the results show of them), in `ids`' order.

    `ids` come from `_ranked_ids`, already filtered to what the user may see: they are
    fetched by primary key, not matched again (the match, for 25 rows, cost as much as the
    ranking). Their applications are still filtered to those the user sees."""
    if not ids:
        return []
    page = Candidate.objects.filter(pk__in=ids).defer("resume_text")
    rows = {c.pk: c for c in page.prefetch_related(_shown_applications(user=user, now=None))}
    applications: list[Application] = [a for c in rows.values() for a in c.shown_applications]  # type: ignore[attr-defined]  # the prefetch's
    for application in applications:
        # Awaiting an interview that has begun: under way, every scorecard in; its end is ahead.
        application.interview_under_way = (  # type: ignore[attr-defined]  # for the template
            application.awaits_interview and application.interview_started  # type: ignore[attr-defined]  # applications_with_move_wait
        )
    applications_panel_set(applications)
    return [rows[pk] for pk in ids if pk in rows]


SUGGESTED_CANDIDATES = 6
SUGGESTED_JOBS = 3


@dataclass
class Suggestions:
    """What the header's box offers while a person types: the first few of each, no counts."""

    words: list[str]
    candidates: list[Candidate]
    jobs: list[Job]


def search_clean(query: str) -> str:
    """The query as searched: printable characters only (a NUL byte PostgreSQL refuses is
    dropped rather than refused), an over-long one cut."""
    return "".join(ch for ch in query[:MAX_QUERY] if ch.isprintable()).strip()


def search_suggest(*, user: User, query: str) -> Suggestions:
    """The first candidates and jobs matching what is typed so far (two letters at least),
    in the search page's order: a few rows, fetched without counting or loading the
    applications the results page shows."""
    cleaned = search_clean(query)
    words = search_words(cleaned) if len(cleaned) >= 2 else []
    if not words:
        return Suggestions([], [], [])
    found = _candidates_found(user=user, words=words)
    return Suggestions(
        words,
        list(
            found.only("pk", "full_name", "current_title", "current_company")[:SUGGESTED_CANDIDATES]
        ),
        list(
            search_jobs(user=user, words=words)
            .select_related(None)
            .only("pk", "title", "team", "status")[:SUGGESTED_JOBS]
        ),
    )


def search_run(*, user: User, query: str, page: Any = 1) -> SearchResults:
    """One search: a page of candidates and the first jobs, with both totals.

    The query is text a person typed: control characters (a NUL byte PostgreSQL refuses)
    are dropped rather than refused, and an over-long one is cut.
    """
    query = search_clean(query)
    words = search_words(query)
    jobs = search_jobs(user=user, words=words)
    ranked = _ranked_ids(_candidates_found(user=user, words=words)) if words else []
    close = not ranked and bool(words) and search_can_suggest()
    if close:  # nothing matched: the names that look like it (a typo in a name)
        ranked = _ranked_ids(_candidates_found(user=user, words=words, close=True))
    counted = len(ranked)
    candidates = page_get(ranked[:MAX_COUNTED], page, per_page=CANDIDATES_PER_PAGE)
    candidates.object_list = _in_order(user=user, ids=list(candidates.object_list))
    shown_jobs = list(jobs[:JOBS_SHOWN])
    total = len(shown_jobs) if len(shown_jobs) < JOBS_SHOWN else jobs.count()
    return SearchResults(
        query, words, candidates, shown_jobs, total, counted > MAX_COUNTED, close=close
    )
