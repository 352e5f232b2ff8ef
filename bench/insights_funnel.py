"""A job's funnel and the jobs side by side against the same figures with the SQL written by
hand.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_funnel_bench \\
        uv run python bench/insights_funnel.py --repeat 5

Runs on a database the page benchmark generated and kept (`bench/pages.py --keep`: 1,000
jobs, one of them with 2,000 applications). It times, for the admin:

  funnel    `insights.funnel.job_funnel` of the biggest job (stage by stage: reached, here
            now, left here, days in the stage; decisions on submissions and their days;
            passes by reason; offers; sources) against four hand-written statements that
            compute every figure in SQL (window functions for the stays, `percentile_cont`
            for the medians and 90th percentiles);
  compared  the jobs side by side over the last 90 days: the first page of open and on-hold
            jobs (`compare_jobs_filtered` + `jobs_compare`) against one hand-written statement
            with a correlated count per figure and job, and one for the hires.

The figures must agree (every count, and the days to the second); the target-date line is
worked out by the same function on both sides (`fill_status`), from the hires each side read.
The table gives the median and the worst of `--repeat` runs, the queries, and the ratio.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import twins  # noqa: E402

DAY = 86400.0

FUNNEL_STAGES_SQL = """
WITH apps AS (
    SELECT id, stage_id, status FROM pipeline_application WHERE job_id = %(job)s
), moves AS (
    SELECT m.application_id, m.to_stage_id, m.to_status, m.at,
           lead(m.at) OVER (PARTITION BY m.application_id ORDER BY m.at, m.id) AS left_at
    FROM pipeline_stagechange m JOIN apps ON apps.id = m.application_id
), furthest AS (
    SELECT apps.id, greatest(coalesce(here.position, -1), coalesce(max(went.position), -1)) AS pos
    FROM apps
    LEFT JOIN jobs_stage here ON here.id = apps.stage_id
    LEFT JOIN moves ON moves.application_id = apps.id
    LEFT JOIN jobs_stage went ON went.id = moves.to_stage_id AND went.job_id = %(job)s
    GROUP BY apps.id, here.position
), stays AS (
    SELECT to_stage_id AS stage_id, greatest(0, extract(epoch FROM left_at - at)) / 86400 AS days
    FROM moves WHERE to_stage_id IS NOT NULL AND to_status = 'active' AND left_at IS NOT NULL
)
SELECT s.id,
       (SELECT count(*) FROM furthest WHERE furthest.pos >= s.position),
       (SELECT count(*) FROM apps WHERE apps.stage_id = s.id AND apps.status = 'active'),
       (SELECT count(*) FROM apps
        WHERE apps.stage_id = s.id AND apps.status IN ('rejected', 'withdrawn')),
       (SELECT count(*) FROM stays WHERE stays.stage_id = s.id),
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM stays
        WHERE stays.stage_id = s.id),
       (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY days) FROM stays
        WHERE stays.stage_id = s.id)
FROM jobs_stage s WHERE s.job_id = %(job)s ORDER BY s.position
"""

FUNNEL_SUBMISSIONS_SQL = """
WITH subs AS (
    -- greatest() skips a NULL: an undecided submission would count 0 days without the CASE.
    SELECT s.application_id, s.decision,
           CASE WHEN s.decided_at IS NOT NULL
                THEN greatest(0, extract(epoch FROM s.decided_at - s.submitted_at)) / 86400
           END AS days
    FROM pipeline_submission s JOIN pipeline_application a ON a.id = s.application_id
    WHERE a.job_id = %(job)s
)
SELECT count(DISTINCT application_id),
       count(*) FILTER (WHERE decision = 'advanced'),
       count(*) FILTER (WHERE decision = 'passed'),
       count(days),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY days)
FROM subs
"""

FUNNEL_REASONS_SQL = """
SELECT s.pass_reason, c.kind, count(*)
FROM pipeline_submission s
JOIN pipeline_application a ON a.id = s.application_id
LEFT JOIN intake_passcitation c ON c.submission_id = s.id
WHERE a.job_id = %(job)s AND s.decision = 'passed'
GROUP BY s.pass_reason, c.kind
"""

FUNNEL_SOURCES_SQL = """
WITH apps AS (
    SELECT a.id, a.status, c.source FROM pipeline_application a
    JOIN pipeline_candidate c ON c.id = a.candidate_id WHERE a.job_id = %(job)s
), offered AS (
    SELECT DISTINCT m.application_id FROM pipeline_stagechange m
    JOIN jobs_stage st ON st.id = m.to_stage_id
    WHERE st.job_id = %(job)s AND st.kind = 'offer'
), submitted AS (
    SELECT DISTINCT s.application_id FROM pipeline_submission s
    JOIN apps ON apps.id = s.application_id
), hired_at AS (
    SELECT m.application_id, min(m.at) AS at FROM pipeline_stagechange m
    JOIN apps ON apps.id = m.application_id
    WHERE m.to_status = 'hired' AND apps.status = 'hired' GROUP BY m.application_id
)
SELECT apps.source, count(*), count(submitted.application_id),
       count(*) FILTER (WHERE offered.application_id IS NOT NULL OR apps.status = 'hired'),
       count(*) FILTER (WHERE apps.status = 'hired'),
       count(*) FILTER (WHERE offered.application_id IS NOT NULL
                        AND apps.status IN ('rejected', 'withdrawn')),
       array_agg(hired_at.at) FILTER (WHERE hired_at.at IS NOT NULL)
FROM apps
LEFT JOIN offered ON offered.application_id = apps.id
LEFT JOIN submitted ON submitted.application_id = apps.id
LEFT JOIN hired_at ON hired_at.application_id = apps.id
GROUP BY apps.source
"""

COMPARED_SQL = """
WITH page AS (
    SELECT id FROM jobs_job WHERE status IN ('open', 'on_hold') ORDER BY title, id LIMIT 50
), moved AS (
    SELECT a.job_id, st.kind, count(DISTINCT m.application_id) AS n
    FROM pipeline_stagechange m
    JOIN pipeline_application a ON a.id = m.application_id
    JOIN jobs_stage st ON st.id = m.to_stage_id
    WHERE a.job_id IN (SELECT id FROM page) AND m.at >= %(start)s AND m.at < %(end)s
      AND st.kind IN ('interviewing', 'offer', 'hired')
    GROUP BY a.job_id, st.kind
), decided AS (
    SELECT a.job_id, s.decision,
           greatest(0, extract(epoch FROM s.decided_at - s.submitted_at)) / 86400 AS days
    FROM pipeline_submission s JOIN pipeline_application a ON a.id = s.application_id
    WHERE a.job_id IN (SELECT id FROM page)
      AND s.decided_at >= %(start)s AND s.decided_at < %(end)s
)
SELECT page.id,
       (SELECT count(*) FROM pipeline_application a WHERE a.job_id = page.id
          AND a.created_at >= %(start)s AND a.created_at < %(end)s),
       (SELECT count(DISTINCT s.application_id) FROM pipeline_submission s
          JOIN pipeline_application a ON a.id = s.application_id
          WHERE a.job_id = page.id AND s.submitted_at >= %(start)s AND s.submitted_at < %(end)s),
       coalesce((SELECT n FROM moved WHERE moved.job_id = page.id AND kind = 'interviewing'), 0),
       coalesce((SELECT n FROM moved WHERE moved.job_id = page.id AND kind = 'offer'), 0),
       coalesce((SELECT n FROM moved WHERE moved.job_id = page.id AND kind = 'hired'), 0),
       (SELECT count(*) FROM decided d WHERE d.job_id = page.id AND d.decision = 'passed'),
       (SELECT count(*) FROM decided d WHERE d.job_id = page.id),
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM decided d
          WHERE d.job_id = page.id),
       (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY days) FROM decided d
          WHERE d.job_id = page.id),
       (SELECT array_agg(first ORDER BY first) FROM (
          SELECT min(m.at) AS first FROM pipeline_stagechange m
          JOIN pipeline_application a ON a.id = m.application_id
          WHERE a.job_id = page.id AND m.to_status = 'hired' AND a.status = 'hired'
          GROUP BY m.application_id) hires)
FROM page
"""


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 5)


def _speed(speed: Any) -> tuple:
    return (speed.count, _days(speed.median_days), _days(speed.p90_days))


def funnel_figures(funnel: Any) -> dict[str, Any]:
    """What the funnel page shows, as plain values both sides can be compared on."""
    return {
        "stages": [
            (row.stage.pk, row.reached, row.here_now, row.left_here, _speed(row.stay))
            for row in funnel.stages
        ],
        "submissions": (funnel.submitted, funnel.advanced, funnel.passed, _speed(funnel.decisions)),
        "reasons": sorted((row.reason, row.cited, row.count) for row in funnel.reasons),
        "offers": (funnel.offers, funnel.accepted, funnel.declined),
        "sources": sorted(
            (row.source, row.applications, row.submitted, row.offers, row.hired)
            for row in funnel.sources
        ),
        "fill": funnel.fill.words,
    }


def funnel_by_hand(job: Any, now: dt.datetime) -> dict[str, Any]:
    from closeloop.insights.funnel import CITED, NOT_CITED, fill_status
    from closeloop.pipeline.models import RejectionReason, Source

    params = {"job": job.pk}
    stages = [
        (pk, reached, here, left, (n, _days(median), _days(p90)))
        for pk, reached, here, left, n, median, p90 in twins.sql_rows(FUNNEL_STAGES_SQL, params)
    ]
    submitted, advanced, passed, n, median, p90 = twins.sql_rows(FUNNEL_SUBMISSIONS_SQL, params)[0]
    reasons = dict(RejectionReason.choices)
    cited = sorted(
        (str(reasons.get(reason, reason or "No reason given")), CITED.get(kind or "", NOT_CITED),
         count)
        for reason, kind, count in twins.sql_rows(FUNNEL_REASONS_SQL, params)
    )  # fmt: skip
    sources, offers, hired, declined, hires = [], 0, 0, 0, []
    labels = dict(Source.choices)
    for source, apps, subs, offered, hires_here, declined_here, days in twins.sql_rows(
        FUNNEL_SOURCES_SQL, params
    ):
        sources.append((str(labels.get(source, source)), apps, subs, offered, hires_here))
        offers, hired, declined = offers + offered, hired + hires_here, declined + declined_here
        hires += days or []
    return {
        "stages": stages,
        "submissions": (submitted, advanced, passed, (n, _days(median), _days(p90))),
        "reasons": cited,
        "offers": (offers, hired, declined),
        "sources": sorted(sources),
        "fill": fill_status(job=job, hires=sorted(hires), now=now).words,
    }


def compared_figures(rows: list[Any]) -> list[tuple]:
    return [
        (row.job.pk, row.applications, row.submitted, row.interviewing, row.offers, row.hired,
         row.passed, _speed(row.decisions), row.fill.words)
        for row in rows
    ]  # fmt: skip


def compared_by_hand(params: dict[str, Any], now: dt.datetime) -> list[tuple]:
    from closeloop.insights.funnel import fill_status
    from closeloop.jobs.models import Job

    rows = twins.sql_rows(COMPARED_SQL, params)
    jobs = Job.objects.in_bulk([row[0] for row in rows])
    return [
        (pk, apps, subs, interviewing, offers, hired, passed, (n, _days(median), _days(p90)),
         fill_status(job=jobs[pk], hires=hires or [], now=now).words)
        for pk, apps, subs, interviewing, offers, hired, passed, n, median, p90, hires in rows
    ]  # fmt: skip


def main() -> int:
    started = twins.start(__doc__.split("\n")[0])
    from django.db.models import Count

    from closeloop.insights.funnel import compare_jobs_filtered, job_funnel, jobs_compare
    from closeloop.jobs.models import Job

    admin, now, period = started.admin, started.now, started.period
    big = Job.objects.annotate(n=Count("applications")).order_by("-n").first()
    params = {"start": period.start, "end": period.end}

    def compared() -> list[Any]:
        page = list(compare_jobs_filtered(viewer=admin)[:50])
        return jobs_compare(jobs=page, period=period, now=now)

    twins.twins_print(
        [
            (
                f"funnel of the {big.n:,}-application job",
                lambda: funnel_figures(job_funnel(job=big, now=now)),
                lambda: funnel_by_hand(big, now),
                lambda figures: figures,
            ),
            (
                "jobs side by side, 90 days, first page of 50",
                lambda: compared_figures(compared()),
                lambda: compared_by_hand(params, now),
                lambda figures: figures,
            ),
        ],
        started.args.repeat,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
