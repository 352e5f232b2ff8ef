"""The waits page's figures against the same figures with the SQL written by hand.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_insights_pages_bench \\
        uv run python bench/insights_waits.py --repeat 5

Runs on a database the page benchmark generated and kept (`bench/pages.py --closed-asks
1000000 --events 5000000 --keep`). It times, for the admin:

  now       `insights.waits.waits_now` (the ten longest and the sums: one pass over the
            queue's clock) against one hand-written statement giving every waiting
            candidate's owner, stage, job and waited-since (the clock written out: the first
            open ask the owner owes on the candidate, the interview still ahead), then the
            same summing in business days;
  period    `insights.waits.waits_over_period` over the last 90 days against three
            hand-written statements (the answered asks grouped, the open ones, the ones
            across the period's start), then the same summing.

The figures must agree (each person's count and days); the table gives the median and the
worst of `--repeat` runs, the queries, and the ratio. Business days need each owner's
calendar, which SQL does not know, so both sides sum in Python with the same code
(`WorkingRuler`): the comparison is of what reads the rows.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import twins  # noqa: E402

NOW_SQL = """
WITH waiting AS (
    SELECT a.id, a.next_move_owner_id AS owner, s.name AS stage, a.job_id,
           COALESCE(a.next_move_since, a.entered_stage_at) AS moved, s.move_owner
    FROM pipeline_application a JOIN jobs_stage s ON s.id = a.stage_id
    WHERE a.status = 'active' AND a.next_move_owner_id IS NOT NULL
)
SELECT w.owner, w.stage, w.job_id,
       EXTRACT(EPOCH FROM LEAST(w.moved, COALESCE(
           (SELECT min(k.opened_at) FROM followups_ask k
            WHERE k.application_id = w.id AND k.status = 'open'
              AND (k.owner_id = w.owner OR k.original_owner_id = w.owner)
              AND (k.kind <> ALL(%(quiet)s) OR k.due_at <= %(now)s)),
           w.moved)))::double precision
FROM waiting w
WHERE NOT (
    w.move_owner = 'interviewers'
    AND NOT EXISTS (SELECT 1 FROM interviews_interview i
                    WHERE i.application_id = w.id AND i.status = 'scheduled'
                      AND i.starts_at <= %(now)s)
    AND COALESCE((SELECT min(i.starts_at) FROM interviews_interview i
                  JOIN interviews_interview_interviewers p ON p.interview_id = i.id
                  WHERE i.application_id = w.id AND i.status = 'scheduled'
                    AND p.user_id = w.owner), %(now)s) > %(now)s
)
"""

PERIOD_INSIDE_SQL = """
SELECT owner_id, stage_id, job_id, count(*), sum(response_seconds), max(response_seconds)
FROM followups_ask
WHERE application_id IS NOT NULL AND status = 'done' AND opened_at >= %(start)s
  AND closed_at >= %(start)s AND closed_at < %(end)s
GROUP BY owner_id, stage_id, job_id
"""

PERIOD_OPEN_SQL = """
SELECT owner_id, stage_id, job_id, EXTRACT(EPOCH FROM opened_at)::double precision, NULL
FROM followups_ask
WHERE application_id IS NOT NULL AND status = 'open' AND opened_at < %(end)s
  AND (kind <> ALL(%(quiet)s) OR due_at <= %(now)s)
"""

PERIOD_ACROSS_SQL = """
SELECT owner_id, stage_id, job_id, EXTRACT(EPOCH FROM opened_at)::double precision,
       EXTRACT(EPOCH FROM closed_at)::double precision
FROM followups_ask
WHERE application_id IS NOT NULL AND status IN ('done', 'cancelled')
  AND closed_at > %(start)s AND opened_at < %(end)s
  AND NOT (status = 'done' AND opened_at >= %(start)s AND closed_at < %(end)s)
"""


def _figures(sums: Any) -> dict[Any, tuple[int, float]]:
    return {row.key: (row.candidates, round(row.days, 3)) for row in sums.by_person}


def main() -> int:
    started = twins.start(__doc__.split("\n")[0])
    from closeloop.followups.policies import quiet_kinds
    from closeloop.insights import waits

    admin, now, period = started.admin, started.now, started.period
    params = {"now": now, "start": period.start, "end": now, "quiet": list(quiet_kinds())}

    def now_by_hand() -> Any:
        rows = twins.sql_rows(NOW_SQL, params)
        oldest = waits._moment(min((row[3] for row in rows), default=now.timestamp()))
        rulers = waits._Rulers({row[0] for row in rows}, oldest, now)
        tally, stamp = waits._Sums(), now.timestamp()
        for owner, stage, job, since in rows:
            days = rulers.days(owner, since, stamp)
            tally.add((owner, stage, job), 1, days, days)
        return tally.result({}, {})

    def period_by_hand() -> Any:
        inside = twins.sql_rows(PERIOD_INSIDE_SQL, params)
        edges = twins.sql_rows(PERIOD_OPEN_SQL, params) + twins.sql_rows(PERIOD_ACROSS_SQL, params)
        owners = {row[0] for row in inside} | {row[0] for row in edges}
        rulers = waits._Rulers(owners, period.start, now)
        stages = waits._stage_names({row[1] for row in inside} | {row[1] for row in edges})
        tally = waits._Sums()
        for owner, stage, job, n, seconds, longest in inside:
            name = stages.get(stage, waits.NO_STAGE)
            tally.add((owner, name, job), n, rulers.in_days(owner, seconds),
                      rulers.in_days(owner, longest))  # fmt: skip
        first, last = period.start.timestamp(), now.timestamp()
        for owner, stage, job, opened, closed in edges:
            stop = last if closed is None or closed > last else closed
            days = rulers.days(owner, max(opened, first), stop)
            tally.add((owner, stages.get(stage, waits.NO_STAGE), job), 1, days, days)
        return tally.result({}, {})

    twins.twins_print(
        [
            (
                "now: ten longest and sums",
                lambda: waits.waits_now(viewer=admin, now=now).sums,
                now_by_hand,
                _figures,
            ),
            (
                "over the last 90 days",
                lambda: waits.waits_over_period(viewer=admin, period=period, now=now),
                period_by_hand,
                _figures,
            ),
        ],
        started.args.repeat,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
