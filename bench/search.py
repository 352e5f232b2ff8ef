"""Search benchmark: the search selector at 100,000 candidates, against the same query by hand.

    uv run python bench/search.py                       # SQLite file under bench/out/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_bench uv run python bench/search.py
    uv run python bench/search.py --candidates 10000 --repeat 10   # a quick look
    uv run python bench/search.py --keep; uv run python bench/search.py --reuse   # measure again

On a fresh database (dropped and re-created; a PostgreSQL one's name must contain "bench"),
migrated here (which builds the full-text indexes), the page benchmark's generator
(bench/pages_data.py) writes an organisation of 1,000 jobs and N candidates; a third of the
candidates then get a résumé text of ~120 words. For each persona (an admin, who sees every
candidate; the busy recruiter of 50 jobs; the busy hiring manager) and each query (a first
name, a full name, a company, a two-word title, a résumé word, a three-letter prefix, a word
nobody has), it times:

  selector  `search_run`, as the search page calls it: the first page of candidates with each
            one's visible applications and their waits, the count, and the jobs;
  by hand   for the admin, the same candidate match written as one SQL statement per
            database (the full-text match, the order, LIMIT 25) plus its COUNT (capped at
            1,001, as the selector counts): the floor the selector's candidate part (the same
            two statements, built by the ORM) is compared with.

Each is run `--repeat` times; the table reports the median and the 99th percentile (of the
repeats: with 30 repeats, the worst of them), the queries per search, and the ratio of the
selector's candidate part to the hand-written SQL. The EXPLAIN of the hand-written match is
printed, so the index in use is visible. Results: bench/out/search-<database>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import benchdb  # noqa: E402

RESUME_WORDS = [
    "kubernetes", "terraform", "postgresql", "kafka", "react", "typescript", "golang", "rust",
    "airflow", "spark", "figma", "pytorch", "django", "graphql", "observability", "payments",
]  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a --keep run left (same --candidates), without re-creating it",
    )
    return parser.parse_args(argv)


def resumes_fill(share: int = 3) -> int:
    """Every `share`-th candidate gets ~120 words of résumé, two of them from RESUME_WORDS."""
    from django.db import connection

    from closeloop.pipeline.models import Candidate

    filler = " ".join(["built", "shipped", "led", "maintained", "designed", "services"] * 20)
    ids = list(Candidate.objects.values_list("pk", flat=True).order_by("pk"))[::share]
    cases = []
    for index, word in enumerate(RESUME_WORDS):
        other = RESUME_WORDS[(index * 5 + 3) % len(RESUME_WORDS)]
        cases.append(f"WHEN {index} THEN '{word} {other} {filler}'")
    modulo = "MOD(id, %d)" % len(RESUME_WORDS)  # noqa: UP031 - SQL text
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            batch = ids[start : start + 5000]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"UPDATE pipeline_candidate SET resume_text = CASE {modulo} {' '.join(cases)} END "
                f"WHERE id IN ({marks})",
                batch,
            )
    return len(ids)


def queries() -> list[tuple[str, str]]:
    """What people type: words that exist in the generated data, and one that does not."""
    from closeloop.pipeline.models import Candidate

    somebody = Candidate.objects.order_by("pk").values_list("full_name", flat=True)[1234]
    return [
        ("first name", somebody.split()[0]),
        ("full name", somebody),
        ("company", "globex"),
        ("title, two words", "staff engineer"),
        ("résumé word", "kubernetes"),
        ("3-letter prefix", "fis"),
        ("no match", "zzqxv"),
    ]


def timed(call: Any, repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 2), "p99_ms": round(p99, 2)}


def by_hand(words: list[str]) -> tuple[str, list[Any], str, list[Any]]:
    """The admin's candidate match, written by hand: (page SQL, params, count SQL, params)."""
    from django.db import connection

    from closeloop.pipeline import search

    first = words[0] + "%"
    if connection.vendor == "postgresql":
        where = f"erased_at IS NULL AND {search.PG_DOCUMENT_COLUMN} @@ to_tsquery('simple', %s)"
        params = [" & ".join(f"{w}:*" for w in words)]
        order = "CASE WHEN full_name ILIKE %s THEN 0 ELSE 1 END, full_name, id"
    else:
        where = (
            f"erased_at IS NULL AND id IN (SELECT rowid FROM {search.FTS_TABLE} "
            f"WHERE {search.FTS_TABLE} MATCH %s)"
        )
        params = [" ".join(f'"{w}"*' for w in words)]
        order = "CASE WHEN full_name LIKE %s ESCAPE '\\' THEN 0 ELSE 1 END, full_name, id"
    page = (
        "SELECT id, full_name, email, current_company, current_title FROM pipeline_candidate "
        f"WHERE {where} ORDER BY {order} LIMIT 25"
    )
    # Counted as the selector counts: up to MAX_COUNTED + 1 ("1,000+").
    count = (
        "SELECT COUNT(*) FROM (SELECT 1 FROM pipeline_candidate "
        f"WHERE {where} LIMIT {search.MAX_COUNTED + 1}) AS capped"
    )
    return page, [*params, first], count, params


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from closeloop.pipeline.search import (
        MAX_COUNTED,
        search_candidates,
        search_run,
        search_words,
    )

    generated = json.loads((benchdb.OUT / "search-generated.json").read_text())
    people = get_user_model().objects
    users = {role: people.get(pk=pk) for role, pk in generated["personas"].items()}
    rows = []
    for label, query in queries():
        words = search_words(query)
        page_sql, page_params, count_sql, count_params = by_hand(words)

        def hand(page_sql=page_sql, page_params=page_params, count_sql=count_sql,
                 count_params=count_params):  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute(page_sql, page_params)
                listed = cursor.fetchall()
                cursor.execute(count_sql, count_params)
                return len(listed), cursor.fetchone()[0]

        hand_times, (hand_listed, hand_total) = timed(hand, args.repeat)

        def candidate_part(words=words):
            found = search_candidates(user=users["admin"], words=words)
            capped = found.order_by().values("pk")[: MAX_COUNTED + 1].count()
            return len(list(found.prefetch_related(None)[:25])), capped

        part_times, (part_listed, part_total) = timed(candidate_part, args.repeat)
        assert (part_listed, part_total) == (hand_listed, hand_total), (label, query)
        for role, user in users.items():
            with CaptureQueriesContext(connection) as captured:
                _evaluate(search_run(user=user, query=query))
            times, results = timed(
                lambda user=user, query=query: _evaluate(search_run(user=user, query=query)),
                args.repeat,
            )
            row = {"query": label, "typed": query, "persona": role, "found": results,
                   "queries": len(captured), **summary(times)}  # fmt: skip
            if role == "admin":
                ratio = statistics.median(part_times) / statistics.median(hand_times)
                row.update(hand=summary(hand_times), candidate_part=summary(part_times),
                           ratio=round(ratio, 2))  # fmt: skip
            rows.append(row)
    with connection.cursor() as cursor:
        page_sql, page_params, _count, _params = by_hand(search_words("staff engineer"))
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + page_sql, page_params)
        plan = "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
    return {"rows": rows, "explain": plan}


def _evaluate(results: Any) -> int:
    """Everything the page reads: the candidates, their applications, the count, the jobs."""
    for candidate in results.candidates.object_list:
        for application in candidate.shown_applications:
            application.job.title  # noqa: B018
    return results.candidates.paginator.count


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Search at {result['candidates']:,} candidates on {result['database']} "
        f"({result['repeat']} repeats; ms)",
        "",
        "Load average (1, 5, 15 min) before: {} after: {}".format(
            *(", ".join(f"{x:.2f}" for x in result["load_average"][k]) for k in ("before", "after"))
        ),
        "",
        "| query | persona | found | queries | median | p99 | by hand (median) | selector's "
        "candidate part (median) | ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        hand = row.get("hand", {}).get("median_ms", "")
        part = row.get("candidate_part", {}).get("median_ms", "")
        lines.append(
            f"| {row['query']} | {row['persona']} | {row['found']:,} | {row['queries']} | "
            f"{row['median_ms']} | {row['p99_ms']} | {hand} | {part} | {row.get('ratio', '')} |"
        )
    worst = max(row["p99_ms"] for row in result["rows"])
    lines += ["", f"Worst p99: {worst} ms.", "", "EXPLAIN (staff engineer, by hand):", "```",
              result["explain"], "```"]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    url = benchdb.database_url(os.environ.get("DATABASE_URL")).replace(
        "asks_sweep.sqlite3", "search.sqlite3"
    )
    benchdb.database_guard(url)
    # What the generator wrote, kept beside the database for a --reuse run.
    kept = benchdb.OUT / f"search-generated-{Path(urlsplit(url).path).name}.json"
    if not args.reuse:
        benchdb.database_recreate(url)
    benchdb.django_configure(url=url, email_url="smtp://127.0.0.1:25")  # nothing is sent
    import pages_data
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    started = time.perf_counter()
    # Migrating a kept database applies what the code added since (and the search structures).
    call_command("migrate", verbosity=0)
    if args.reuse:
        generated = json.loads(kept.read_text())
        resumes = generated.pop("with_resume_text")
    else:
        generated = pages_data.generate(
            candidates=args.candidates, big_job=2000, now=timezone.now(), seed=args.seed
        )
        resumes = resumes_fill()
        kept.write_text(json.dumps({**generated, "with_resume_text": resumes}, default=str))
    generate_s = round(time.perf_counter() - started, 1)
    (benchdb.OUT / "search-generated.json").write_text(json.dumps(generated, default=str))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    load_before = os.getloadavg()
    result = {
        "database": connection.vendor,
        "candidates": args.candidates,
        "with_resume_text": resumes,
        "repeat": args.repeat,
        "generate_s": generate_s,
        "machine": benchdb.machine(),
        "at": dt.datetime.now(dt.UTC).isoformat(),
        **measure(args),
    }
    # The machine is shared: its load says how much of the p99 is the code's.
    result["load_average"] = {"before": load_before, "after": os.getloadavg()}
    kind = connection.vendor
    (benchdb.OUT / f"search-{kind}.json").write_text(json.dumps(result, indent=2))
    report = table(result)
    (benchdb.OUT / f"search-{kind}.md").write_text(report + "\n")
    print(report)
    if not args.keep and not args.reuse:
        connection.close()
        benchdb.database_drop(url)


if __name__ == "__main__":
    main()
