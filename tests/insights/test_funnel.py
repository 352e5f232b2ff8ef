"""Funnel and speed: one job's whole search stage by stage, and jobs side by side.

The job's history is written straight to the tables (moves, closes, submissions), so every
figure below can be worked out by hand from the rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.followups.business_time import calendar_for, working_time_between
from closeloop.insights.funnel import (
    NOT_CITED,
    Speed,
    compare_jobs_filtered,
    fill_status,
    funnel_job_get,
    job_funnel,
    jobs_compare,
)
from closeloop.insights.selectors import Period
from closeloop.insights.waits import waits_summed
from closeloop.intake.models import PassCitation
from closeloop.jobs.models import Job, JobStatus, Stage, StageKind
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    Candidate,
    StageChange,
    Submission,
    SubmissionDecision,
)
from closeloop.pipeline.services import application_withdraw

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # the shared world's moment
START = NOW - dt.timedelta(days=60)
KINDS = [
    ("Sourced", StageKind.SOURCED), ("Submitted", StageKind.SUBMITTED),
    ("Interviewing", StageKind.INTERVIEWING), ("Offer", StageKind.OFFER),
    ("Hired", StageKind.HIRED),
]  # fmt: skip


def _day(n: float) -> dt.datetime:
    return START + dt.timedelta(days=n)


def _application(job, stages, name, source, moves, *, closed=None):
    """An application that went through `moves` [(stage kind, day)], then maybe `closed`
    (status, day) in its last stage."""
    candidate = Candidate.objects.create(full_name=name, source=source)
    last_kind, last_day = moves[-1]
    hired = last_kind == StageKind.HIRED
    status = closed[0] if closed else (ApplicationStatus.HIRED if hired else "active")
    application = Application.objects.create(
        candidate=candidate, job=job, stage=stages[last_kind], status=status,
        entered_stage_at=_day(last_day), created_at=_day(moves[0][1]),
    )  # fmt: skip
    previous = None
    for kind, day in moves:
        to_status = ApplicationStatus.HIRED if kind == StageKind.HIRED else "active"
        StageChange.objects.create(
            application=application, from_stage=previous, to_stage=stages[kind],
            to_status=to_status, at=_day(day),
        )  # fmt: skip
        previous = stages[kind]
    if closed:
        StageChange.objects.create(
            application=application, from_stage=previous, to_stage=previous,
            from_status="active", to_status=closed[0], at=_day(closed[1]),
        )  # fmt: skip
    return application


@pytest.fixture
def search(world):
    """A job of hank's with five candidates:

    - Ann (referral): sourced d0, submitted d2, interviewing d5, offer d10, hired d12.
    - Ben (sourced): sourced d1, submitted d3, passed and rejected d7 (a must-have).
    - Cat (referral): sourced d1, submitted d2 (advanced d3), interviewing d4, offer d9,
      withdrew d11.
    - Dan (inbound): sourced d20, still there.
    - Eve (inbound): sourced d0, submitted d30, passed d31 citing nothing of the agreement.
    """
    job = Job.objects.create(
        title="Platform SRE", team="Platform", status=JobStatus.OPEN, recruiter=world.rita,
        hiring_manager=world.hank, target_fill_date=dt.date(2026, 10, 1),
    )  # fmt: skip
    stages = {
        kind: Stage.objects.create(job=job, name=name, kind=kind, position=i)
        for i, (name, kind) in enumerate(KINDS)
    }
    s, sub, iv, off, hired = (kind for _, kind in KINDS)
    ann = _application(job, stages, "Ann", "referral", [(s, 0), (sub, 2), (iv, 5), (off, 10),
                                                         (hired, 12)])  # fmt: skip
    ben = _application(job, stages, "Ben", "sourced", [(s, 1), (sub, 3)],
                       closed=(ApplicationStatus.REJECTED, 7))  # fmt: skip
    cat = _application(job, stages, "Cat", "referral", [(s, 1), (sub, 2), (iv, 4), (off, 9)],
                 closed=(ApplicationStatus.WITHDRAWN, 11))  # fmt: skip
    _application(job, stages, "Dan", "inbound", [(s, 20)])
    eve = _application(job, stages, "Eve", "inbound", [(s, 0), (sub, 30)],
                       closed=(ApplicationStatus.REJECTED, 31))  # fmt: skip
    Submission.objects.create(application=ann, pitch="p", submitted_at=_day(2),
                              decision=SubmissionDecision.ADVANCED, decided_at=_day(3))  # fmt: skip
    Submission.objects.create(application=cat, pitch="p", submitted_at=_day(2),
                              decision=SubmissionDecision.ADVANCED, decided_at=_day(3))  # fmt: skip
    passed = Submission.objects.create(
        application=ben, pitch="p", submitted_at=_day(3), decision=SubmissionDecision.PASSED,
        decided_at=_day(7), pass_reason="skills",
    )  # fmt: skip
    PassCitation.objects.create(submission=passed, kind="must_have", criterion="Python")
    Submission.objects.create(application=eve, pitch="p", submitted_at=_day(30),
                              decision=SubmissionDecision.PASSED, decided_at=_day(31),
                              pass_reason="skills")  # fmt: skip
    return job


def test_each_stage_counts_who_reached_it_who_is_there_and_who_left(search):
    funnel = job_funnel(job=search, now=NOW)
    rows = {row.stage.name: row for row in funnel.stages}
    assert [(name, rows[name].reached) for name, _ in KINDS] == [
        ("Sourced", 5), ("Submitted", 4), ("Interviewing", 2), ("Offer", 2), ("Hired", 1),
    ]  # fmt: skip
    assert rows["Sourced"].here_now == 1  # Dan
    assert rows["Submitted"].left_here == 2  # Ben and Eve
    assert rows["Offer"].left_here == 1  # Cat withdrew with an offer
    assert rows["Submitted"].conversion == pytest.approx(2 / 4)
    assert rows["Hired"].conversion is None  # no stage after it


@pytest.mark.parametrize(
    ("kind", "reason", "cited"),
    [("must_have", "skills", "A must-have of the agreement"),
     ("other", "team_fit", "Outside the agreement"),
     (None, "skills", "Within the agreement (no criterion named)"),
     (None, "compensation", "Within the agreement (no criterion named)"),
     (None, "communication", "Outside the agreement")],
)  # fmt: skip
def test_a_pass_stands_to_the_agreement_as_the_drift_watch_files_it(kind, reason, cited):
    """A pass for a must-have skill that named none is within the agreement; one for a
    reason the agreement does not hold is outside it, named or not (never both at once)."""
    from closeloop.insights.funnel import _reasons
    from closeloop.intake.selectors import pass_is_off_list

    rows = [{"decision": "passed", "pass_reason": reason, "intake_citation__kind": kind}]
    assert [(row.cited, row.count) for row in _reasons(rows)] == [(cited, 1)]
    submission = Submission(pass_reason=reason)
    citation = PassCitation(kind=kind, criterion="Python") if kind else None
    job = Job(must_haves="Python")
    assert pass_is_off_list(submission, citation, job) is (cited == "Outside the agreement")


def test_time_in_stage_counts_only_stays_that_ended(search):
    rows = {row.stage.name: row for row in job_funnel(job=search, now=NOW).stages}
    # Sourced: Ann 2, Ben 2, Cat 1, Eve 30 days; Dan's stay goes on and is left out.
    assert rows["Sourced"].stay == Speed(4, 2.0, pytest.approx(21.6))
    # Submitted: Ann 3 (to interviews), Ben 4 (to his rejection), Cat 2, Eve 1.
    assert rows["Submitted"].stay.count == 4
    assert rows["Submitted"].stay.median_days == pytest.approx(2.5)
    assert rows["Hired"].stay.count == 0 and rows["Hired"].stay.median_days is None


def test_passes_offers_sources_and_decisions(search):
    funnel = job_funnel(job=search, now=NOW)
    assert (funnel.submitted, funnel.advanced, funnel.passed) == (4, 2, 2)
    assert {(row.cited, row.count) for row in funnel.reasons} == {
        ("A must-have of the agreement", 1), (NOT_CITED, 1),
    }  # fmt: skip
    assert (funnel.offers, funnel.accepted, funnel.declined) == (2, 1, 1)
    assert funnel.acceptance == pytest.approx(0.5)
    # Decisions took 1 (Ann), 4 (Ben), 1 (Cat) and 1 (Eve) days.
    assert funnel.decisions == Speed(4, 1.0, pytest.approx(3.1))
    by_source = {row.source: row for row in funnel.sources}
    assert (by_source["Referral"].applications, by_source["Referral"].hired) == (2, 1)
    assert by_source["Applied"].submitted == 1
    # Filled on day 12 (6 Oct 2026), five days after the target of 1 Oct.
    assert funnel.fill.behind and funnel.fill.filled_on == dt.date(2026, 10, 6)
    assert "5 days after the target" in funnel.fill.words


def test_a_candidate_who_withdrew_while_submitted_is_neither_a_pass_nor_a_decision(search, world):
    s, sub = (kind for _, kind in KINDS[:2])
    stages = {stage.kind: stage for stage in search.stages.all()}
    fay = _application(search, stages, "Fay", "inbound", [(s, 0), (sub, 40)])
    Submission.objects.create(application=fay, pitch="p", submitted_at=_day(40))
    before = job_funnel(job=search, now=NOW)

    application_withdraw(application=fay, by=world.rita, reason="other_offer")

    submission = fay.submissions.get()
    assert (submission.decision, submission.decided_by, submission.decided_at) == (
        SubmissionDecision.CLOSED, None, None,
    )  # fmt: skip
    funnel = job_funnel(job=search, now=NOW)
    assert (funnel.submitted, funnel.advanced, funnel.passed) == (5, 2, 2)
    assert funnel.reasons == before.reasons  # no "No reason given" pass
    assert funnel.decisions == before.decisions
    row = jobs_compare(jobs=[search], period=Period(_day(0), NOW))[0]
    assert (row.passed, row.decisions.count) == (2, 4)


def test_the_target_date_in_words(search):
    open_job = Job(title="x", status=JobStatus.OPEN, headcount=1,
                   target_fill_date=dt.date(2026, 11, 20))  # fmt: skip
    assert fill_status(job=open_job, hires=[], now=NOW).words == (
        "3 days past the target fill date 20 Nov 2026, not filled yet."
    )
    open_job.target_fill_date = dt.date(2026, 11, 24)
    status = fill_status(job=open_job, hires=[], now=NOW)
    assert (status.behind, status.words) == (False, "1 day left to the target 24 Nov 2026.")
    open_job.headcount = 2  # one hire of two is not filled
    assert not fill_status(job=open_job, hires=[NOW], now=NOW).filled_on
    open_job.target_fill_date = None
    assert fill_status(job=open_job, hires=[], now=NOW).words == "No target fill date agreed."


def test_jobs_side_by_side_count_what_happened_in_the_period(search, world):
    period = Period(_day(0), _day(10))
    rows = {row.job.pk: row for row in jobs_compare(jobs=[search, world.job], period=period)}
    row = rows[search.pk]
    # Added in the period: Ann, Ben, Cat, Eve (Dan came on day 20); submitted: Ann, Ben, Cat;
    # to interviews: Ann and Cat; offers: Cat on day 9 (Ann's was on day 10, outside).
    assert (row.applications, row.submitted, row.interviewing, row.offers, row.hired) == (
        4, 3, 2, 1, 0,
    )  # fmt: skip
    assert (row.passed, row.decisions.count) == (1, 3)  # Ben (d7); Ann and Cat advanced (d3)
    assert row.fill is not None and row.fill.behind
    assert rows[world.job.pk].applications == 0


def test_comparing_costs_the_same_queries_for_more_jobs(search, world, django_assert_num_queries):
    period = Period(_day(0), _day(40))
    with django_assert_num_queries(5):
        jobs_compare(jobs=[search], period=period)
    with django_assert_num_queries(5):
        jobs_compare(jobs=[search, world.job, world.other_job], period=period)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's query plan (EXPLAIN QUERY PLAN)"
)
def test_a_funnel_reads_its_history_submissions_and_sources_from_indexes_alone(search):
    """The job's stage changes, submissions and candidates' sources come from an index that
    holds every column read, found by the job's applications: a job's funnel costs what the
    job holds, not what the organisation does (PostgreSQL read every stage change, submission
    and candidate of the organisation to join the job's; 3-6x slower at 100,000 candidates).
    A column added to a funnel's query without adding it to its index fails here."""
    with CaptureQueriesContext(connection) as queries:
        job_funnel(job=search, now=NOW)
    covering = {
        '"pipeline_stagechange"': "COVERING INDEX stage_change_history_idx",
        '"pipeline_submission"': "COVERING INDEX submission_by_application_idx",
        # SQLite finds a candidate by its rowid, which is the table itself; PostgreSQL reads
        # the source from candidate_source_idx.
        '"pipeline_candidate"': "pipeline_candidate USING INTEGER PRIMARY KEY",
    }
    for query in queries:
        sql = query["sql"]
        for table, index in covering.items():
            if f"FROM {table}" in sql or f"JOIN {table}" in sql:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                    plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
                assert index in plan, (sql, plan)
                covering.pop(table)
                break
    assert not covering, f"the funnel no longer reads {sorted(covering)}"


def test_who_reads_a_funnel(search, world):
    assert funnel_job_get(viewer=world.hank, pk=search.pk) == search
    assert funnel_job_get(viewer=world.ada, pk=search.pk) == search
    for outsider in (world.ivy, world.olga):
        with pytest.raises(Exception) as raised:
            funnel_job_get(viewer=outsider, pk=search.pk)
        assert raised.type.__name__ == "Http404"
    assert set(compare_jobs_filtered(viewer=world.hank, status="all")) == {search, world.job}
    assert world.other_job in set(compare_jobs_filtered(viewer=world.ada, status="all"))


def test_the_pages_answer_their_readers_and_404_the_rest(search, world, login, client):
    # A stage named with dollar signs is text on the chart, not mathematics to parse.
    Stage.objects.filter(job=search, kind=StageKind.OFFER).update(name="Offer $$")
    url = reverse("insights:job-funnel", args=[search.pk])
    login(world.ivy)
    assert client.get(url).status_code == 404
    assert client.get(reverse("insights:job-funnel", args=[999999])).status_code == 404
    login(world.hank)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Funnel and speed: Platform SRE" in html and "5 days after the target" in html
    assert 'src="data:image/svg+xml;base64,' in html
    compare = client.get(reverse("insights:jobs"), {"status": "all", "start": "nonsense"})
    assert compare.status_code == 200
    text = compare.content.decode()
    assert "Platform SRE" in text and "Data Analyst" not in text  # olga's job
    assert "It was left out." in text  # the bad date is named, the page still answers


def test_an_empty_comparison_says_why_rather_than_blaming_filters_never_set(world, login):
    """Ivy interviews on no hiring team: no filter was set, so the page says she is on no
    job's team and what the page is for (it said 'No job matches these filters.')."""
    html = login(world.ivy).get(reverse("insights:jobs")).content.decode()
    assert "No job matches these filters." not in html
    assert "You are not on the hiring team of any job" in html
    assert "puts side by side the jobs you recruit, hire or coordinate for" in html

    # On a team whose jobs are all filled: the default shows open and on hold only.
    Job.objects.filter(pk=world.job.pk).update(status=JobStatus.FILLED)
    client = login(world.hank)
    html = client.get(reverse("insights:jobs")).content.decode()
    assert "None of your jobs is open or on hold" in html
    html = client.get(reverse("insights:jobs"), {"status": "open"}).content.decode()
    assert "No job matches these filters." in html


def test_csv_downloads_keep_formulas_out(search, world, login, client):
    Job.objects.filter(pk=search.pk).update(title="=HYPERLINK(1)")
    login(world.ada)
    response = client.get(reverse("insights:jobs"), {"status": "all", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    titles = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(1)" in titles and "=HYPERLINK(1)" not in titles
    stages = client.get(reverse("insights:job-funnel", args=[search.pk]),
                        {"format": "csv", "table": "bogus"})  # fmt: skip
    lines = list(csv.reader(io.StringIO(b"".join(stages.streaming_content).decode())))
    assert lines[0][:2] == ["Stage", "Reached"] and lines[1][:2] == ["Sourced", "5"]


def test_waits_now_are_summed_by_person_stage_and_job(search, world):
    Application.objects.filter(job=search, candidate__full_name="Dan").update(
        next_move_owner=world.rita, next_move_since=_day(20)
    )
    sums = waits_summed(viewer=world.hank, job=search, now=NOW)
    assert [(row.label, row.candidates) for row in sums.by_person] == [("Rita Recruiter", 1)]
    # Day 20 to day 60 in rita's working time (the day-by-day walk the engine's due times use).
    calendar = calendar_for(world.rita)
    worked = working_time_between(calendar, _day(20), NOW) / calendar.day_length
    assert 27 < worked < 30  # some 40 calendar days: about 28 working ones
    assert sums.by_person[0].days == pytest.approx(worked)
    assert sums.by_person[0].longest_days == pytest.approx(worked)
    assert [row.label for row in sums.by_stage] == ["Sourced"] and sums.by_job == []
    everywhere = waits_summed(viewer=world.ada)  # now: the world was built at this moment
    jobs = {row.key: row for row in everywhere.by_job}
    assert jobs[search.pk].candidates == 1
    rita = next(row for row in everywhere.by_person if row.key == world.rita.pk)
    assert rita.candidates > 1 and rita.days > worked  # her candidates on Backend Engineer too
    with pytest.raises(Http404):
        waits_summed(viewer=world.hank)  # across the organisation: admins only


def test_the_wait_sums_download_as_csv_in_the_readers_permissions(search, world, login, client):
    Application.objects.filter(job=search, candidate__full_name="Dan").update(
        next_move_owner=world.rita, next_move_since=_day(20)
    )
    login(world.hank)
    url = reverse("insights:job-funnel", args=[search.pk])
    response = client.get(url, {"format": "csv", "table": "person"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Waiting on" and [row[:2] for row in rows[1:]] == [["Rita Recruiter", "1"]]
    assert (
        client.get(reverse("insights:waits"), {"format": "csv", "table": "job"}).status_code == 404
    )
    login(world.ada)
    response = client.get(reverse("insights:waits"), {"format": "csv", "table": "job"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Job" and "Platform SRE" in [row[0] for row in rows[1:]]


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_funnel_and_jobs_side_by_side_round_their_csv_as_their_pages(world, login, client):
    """Eight candidates sourced, one of them submitted after 1.25 days and decided 1.25 days
    later: 12.5% went on, 1.25 days in the stage and to decide. A half is rounded up on the
    pages and in their CSVs alike: "13%" and 12.5, "1.3" and 1.3 (Python's round() made
    the CSVs 1.2, and the page's percentage 12%)."""
    job = Job.objects.create(title="Half Days", team="Platform", status=JobStatus.OPEN,
                             recruiter=world.rita, hiring_manager=world.hank)  # fmt: skip
    stages = {
        kind: Stage.objects.create(job=job, name=name, kind=kind, position=i)
        for i, (name, kind) in enumerate(KINDS)
    }
    sourced, submitted = StageKind.SOURCED, StageKind.SUBMITTED
    ann = _application(job, stages, "Ann", "referral", [(sourced, 0), (submitted, 1.25)])
    for n in range(7):
        _application(job, stages, f"Sourced {n}", "inbound", [(sourced, 0)])
    Submission.objects.create(
        application=ann, pitch="p", submitted_at=_day(1.25),
        decision=SubmissionDecision.ADVANCED, decided_at=_day(2.5),
    )  # fmt: skip
    login(world.ada)
    url = reverse("insights:job-funnel", args=[job.pk])

    html = client.get(url).content.decode()
    assert '<td class="num" data-label="Went on">13%</td>' in html
    assert '<td class="num" data-label="Days in stage">1.3 <span class="muted">(90%: 1.3)' in html
    assert "median 1.3, 90% within 1.3" in html
    stages_csv = _csv_rows(client.get(url, {"format": "csv", "table": "stages"}))
    assert stages_csv[1] == ["Sourced", "8", "7", "0", "12.5", "1", "1.3", "1.3"]

    compared = client.get(reverse("insights:jobs")).content.decode()
    assert '<td class="num" data-label="Days to decide">1.3 <span class="muted">(90%: 1.3)' in (
        compared
    )
    rows = _csv_rows(client.get(reverse("insights:jobs"), {"format": "csv"}))
    (row,) = [row for row in rows if row[0] == "Half Days"]
    assert row[11:14] == ["1", "1.3", "1.3"]
