"""My queue, the home page: what waits on me (oldest first), what waits on others, per role."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.jobs.models import StageKind
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import queue_for
from closeloop.pipeline.services import (
    application_move,
    application_submit,
    candidate_add,
    submission_ask_question,
)

QUEUE = reverse("pipeline:queue")
START = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)  # a Monday


def add(job, by, name: str) -> Application:
    email = name.lower().replace(" ", ".") + "@cand.example"
    return candidate_add(job=job, by=by, data={"full_name": name, "email": email}).application


def submit(application: Application, by) -> None:
    application_submit(application=application, by=by, pitch="Strong on Python and on-call.")


def section(html: str, heading_id: str) -> str:
    """The HTML of one queue section, so a test can say which list a name is in."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_the_queue_needs_a_login(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/"


def test_rita_sees_the_candidates_waiting_on_her_with_the_move_and_a_link(world, login):
    html = login(world.rita).get(QUEUE).content.decode()
    mine = section(html, "on-you")
    assert "Carla Candidate" in mine
    assert "Sam Sourced" in mine
    assert "Submit or move on" in mine
    assert "Backend Engineer · Sourced" in mine
    assert reverse("pipeline:application-detail", args=[world.sourced.pk]) in mine
    assert "Otto Other" not in html


def test_after_a_submission_it_is_hanks_move_and_rita_sees_him_owe_it(world, login, client):
    submit(world.sourced, world.rita)
    hank_html = login(world.hank).get(QUEUE).content.decode()
    # The review ask sits beside the candidate and says what is owed, in its own words.
    assert "Review Sam Sourced for Backend Engineer</a>" in section(hank_html, "on-you")
    assert "Sam Sourced" in section(hank_html, "on-you")
    assert "1</span>\n    <span>submission waiting for your decision" in hank_html
    rita_html = login(world.rita).get(QUEUE).content.decode()
    others = section(rita_html, "on-others")
    assert "Sam Sourced" in others
    assert "Hank Manager:</span> <a href=" in others
    assert "Review Sam Sourced for Backend Engineer</a>" in others
    assert "Sam Sourced" not in section(rita_html, "on-you")


def test_when_hank_asks_a_question_rita_must_answer_it(world, login):
    submit(world.sourced, world.rita)
    submission = world.sourced.submissions.get()
    submission_ask_question(submission=submission, by=world.hank, text="On-call at scale?")
    mine = section(login(world.rita).get(QUEUE).content.decode(), "on-you")
    assert "Answer Hank&#x27;s question" in mine


def test_olga_sees_nothing_of_a_job_she_is_not_on(world, login):
    submit(world.sourced, world.rita)
    html = login(world.olga).get(QUEUE).content.decode()
    for name in ("Carla Candidate", "Sam Sourced", "Backend Engineer"):
        assert name not in html
    assert "Otto Other" in section(html, "on-others")
    assert "Ada Admin:</span> Submit or move on" in html


def test_ivy_sees_her_upcoming_interview_but_not_other_candidates(world, login):
    html = login(world.ivy).get(QUEUE).content.decode()
    interviews = section(html, "interviews")
    assert "Carla Candidate" in interviews
    assert "Technical" in interviews
    # Each leads to the interview's briefing, where she prepares and scores.
    interview = world.interviewed.interviews.get()
    assert reverse("interviews:interview-detail", args=[interview.pk]) in interviews
    assert "Sam Sourced" not in html
    assert "You are all caught up" in section(html, "on-you")


def test_interviews_beyond_two_weeks_or_cancelled_are_not_listed(world, login):
    Interview.objects.update(status=InterviewStatus.CANCELLED)
    later = Interview.objects.create(
        application=world.interviewed,
        round_name="Final",
        starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=20),
        ends_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=20, hours=1),
    )
    later.interviewers.add(world.ivy)
    html = login(world.ivy).get(QUEUE).content.decode()
    assert "Carla Candidate" not in html
    assert "No interviews booked for you in the next two weeks." in html


def test_in_an_interview_stage_the_interviewer_owes_the_interview_then_the_feedback(world, login):
    interviewing = world.job.stages.get(kind=StageKind.INTERVIEWING)
    interview = Interview.objects.get()
    with time_machine.travel(interview.starts_at - dt.timedelta(hours=2), tick=False):
        application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
        html = login(world.ivy).get(QUEUE).content.decode()
        assert "Hold the Technical interview" in section(html, "on-you")
    with time_machine.travel(interview.ends_at + dt.timedelta(hours=1), tick=False):
        html = login(world.ivy).get(QUEUE).content.decode()
        assert "Give feedback on the Technical interview" in section(html, "on-you")


def test_the_oldest_wait_comes_first_with_relative_and_absolute_time(world, login):
    world.rita.time_zone = "Europe/Berlin"
    world.rita.save()
    with time_machine.travel(START, tick=False):
        add(world.job, world.rita, "Older Olivia")
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        add(world.job, world.rita, "Newer Nora")
    with time_machine.travel(START + dt.timedelta(days=4), tick=False):
        html = section(login(world.rita).get(QUEUE).content.decode(), "on-you")
    # The world's candidates were added "now", years before 2030: they have waited longest.
    assert html.index("Carla Candidate") < html.index("Older Olivia") < html.index("Newer Nora")
    # Olivia: 4 days, since Monday 09:00 UTC = 10:00 in Berlin.
    assert "4 days</strong>" in html
    assert "since <time datetime=" in html
    assert "Mon 04 Mar 10:00" in html


def test_a_long_wait_is_flagged_stale(world, login, settings):
    settings.STALE_AFTER_DAYS = 7
    with time_machine.travel(START, tick=False):
        add(world.job, world.rita, "Waiting Walter")
    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        html = section(login(world.rita).get(QUEUE).content.decode(), "on-you")
    start = html.rindex("<li", 0, html.index("Waiting Walter"))
    walter = html[start : html.index("</li>", start)]
    assert walter.startswith('<li class="queue-item bad">')
    assert "Stale" in walter


def test_the_summary_counts_what_waits_on_rita(world, login):
    html = login(world.rita).get(QUEUE).content.decode()
    assert "2 candidates wait on you" in html


def test_someone_with_nothing_to_do_gets_a_useful_empty_state(world, login):
    from closeloop.accounts.models import User

    newcomer = User.objects.create_user("nina@example.com", "x", full_name="Nina New")
    html = login(newcomer).get(QUEUE).content.decode()
    assert "You are all caught up" in html
    assert "When a recruiter adds you to a hiring team" in html
    assert 'id="on-others"' not in html


def test_a_recruiter_without_jobs_is_pointed_at_opening_one(world, login):
    from closeloop.accounts.models import User

    recruiter = User.objects.create_user("rob@example.com", "x", full_name="Rob", is_recruiter=True)
    html = login(recruiter).get(QUEUE).content.decode()
    assert reverse("jobs:job-create") in html


def test_closed_and_hired_applications_do_not_wait_on_anyone(world, login):
    Application.objects.filter(pk=world.sourced.pk).update(status="rejected")
    html = login(world.rita).get(QUEUE).content.decode()
    assert "Sam Sourced" not in html


def test_the_selector_caps_the_list_and_keeps_the_total(world):
    queue = queue_for(user=world.rita, limit=1)
    assert len(queue.i_owe) == 1
    assert queue.i_owe_total == 2


def test_the_queue_never_changes_state_and_refuses_post(world, login):
    client = login(world.rita)
    before = list(Application.objects.values_list("pk", "next_move_owner", "next_move_since"))
    assert client.post(QUEUE).status_code == 405
    client.get(QUEUE)
    after = list(Application.objects.values_list("pk", "next_move_owner", "next_move_since"))
    assert before == after


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["rita", "hank"])
def test_the_query_count_does_not_grow_with_the_rows(world, login, persona):
    """1 row and 25 rows on both lists cost the same number of queries."""
    client = login(getattr(world, persona))
    # One row on each list, each with a pending submission (one with an open question), so
    # every prefetch already runs for the small case.
    submit(world.sourced, world.rita)
    submit(world.interviewed, world.rita)
    submission = world.interviewed.submissions.get()
    submission_ask_question(submission=submission, by=world.hank, text="Why?")
    few = count_queries(client)
    for index in range(24):
        application = add(world.job, world.rita, f"Cand {index}")
        if index % 2:
            submit(application, world.rita)
            submission = application.submissions.get()
            if index % 4 == 1:
                submission_ask_question(submission=submission, by=world.hank, text="Why?")
        interview = Interview.objects.create(
            application=application,
            round_name="Screen",
            starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
            ends_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1, hours=1),
        )
        interview.interviewers.add(world.hank)
    many = count_queries(client)
    assert few == many


def test_the_lists_rows_read_their_submissions_and_interviews_once(world, login):
    """Waiting on rita and waiting on hank both list candidates with a pending submission:
    one query reads the submissions of every row shown, one their scheduled interviews and
    one the people they wait on (each list read its own: three queries of each)."""
    submit(world.sourced, world.rita)  # Sam now waits on hank; Carla still waits on rita
    other = add(world.job, world.rita, "Cand Waiting")
    submit(other, world.rita)
    client = login(world.rita)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(QUEUE).content.decode()
    assert "Carla Candidate" in section(html, "on-you")
    assert "Sam Sourced" in section(html, "on-others")

    def reading(table: str) -> int:
        return sum(f'FROM "{table}" WHERE' in query["sql"] for query in queries)

    assert reading("pipeline_submission") == 1
    assert reading("interviews_interview") == 1
    assert (
        sum('FROM "accounts_user" WHERE "accounts_user"."id" IN' in q["sql"] for q in queries) == 1
    )


def test_the_lists_join_only_the_stage_and_read_names_for_the_rows_shown(world, login):
    """A list's query sorts the candidates who wait with their stage joined, nothing more;
    the candidates' names and the jobs (with their two people) are read once, for the rows
    shown. Joined, PostgreSQL sorted every waiting candidate with five tables attached and,
    at 100,000 candidates, looped over every job once per row."""
    submit(world.sourced, world.rita)
    client = login(world.rita)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(QUEUE).content.decode()
    assert "Carla Candidate" in section(html, "on-you")
    assert "Sam Sourced" in section(html, "on-others")
    assert world.job.title in section(html, "on-others")
    # Each set ranked by its clocks (waiting on you, now and for your interviews; on others),
    # then the rows shown of the three lists read in one query.
    ranked = [q["sql"] for q in queries if q["sql"].startswith("SELECT awaits_interview")]
    rows = [q["sql"] for q in queries if q["sql"].startswith('SELECT "pipeline_application"."id"')]
    rows = [sql for sql in rows if '"pipeline_application"."next_move_since"' in sql]
    assert len(ranked) == 2 and len(rows) == 1
    for sql in ranked + rows:
        assert 'JOIN "jobs_stage"' in sql
        assert 'JOIN "pipeline_candidate"' not in sql and 'JOIN "jobs_job"' not in sql
    names = [q["sql"] for q in queries if q["sql"].startswith('SELECT "pipeline_candidate"')]
    jobs = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "jobs_job"."id", "jobs_job"."title", "jobs_job"."status"')
    ]
    assert len(names) == 1 and '"pipeline_candidate"."resume_text"' not in names[0]
    assert len(jobs) == 1 and 'JOIN "accounts_user"' in jobs[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_the_follow_ups_you_owe_are_read_in_due_order_from_their_index(world, login):
    """ "Follow-ups you owe" reads the person's open asks in due order from an index and stops
    when the list is full: not all of a busy person's open asks sorted (3,371 for the
    benchmark's busy recruiter at 100,000 candidates)."""
    client = login(world.rita)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    owed = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "followups_ask"."id"')
        and f'"followups_ask"."owner_id" = {world.rita.pk}' in q["sql"]
        and 'ORDER BY "followups_ask"."due_at" ASC' in q["sql"]
    ]
    assert owed, "the queue no longer lists the asks rita owes"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {owed[0]}")
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    assert "ask_open_by_owner_due_idx" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_a_round_named_interview_is_not_called_an_interview_interview(world, login):
    interviewing = world.job.stages.get(kind=StageKind.INTERVIEWING)
    interview = Interview.objects.get()
    interview.round_name = "Technical interview"
    interview.save()
    with time_machine.travel(interview.starts_at - dt.timedelta(hours=2), tick=False):
        application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
        html = section(login(world.ivy).get(QUEUE).content.decode(), "on-you")
    assert "Hold the Technical interview" in html
    assert "interview interview" not in html


def test_the_queue_words_a_round_as_the_interview_page_does(world, login):
    """The next move names the round as `Interview.round_label` does: "Final round" as named."""
    interviewing = world.job.stages.get(kind=StageKind.INTERVIEWING)
    interview = Interview.objects.get()
    interview.round_name = "Final round"
    interview.save()
    with time_machine.travel(interview.starts_at - dt.timedelta(hours=2), tick=False):
        application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
        html = section(login(world.ivy).get(QUEUE).content.decode(), "on-you")
    assert f"Hold the {interview.round_label}" in html
    assert "round interview" not in html


def test_an_escalation_contact_who_runs_no_search_has_no_waiting_on_others(world, login):
    """Being a job's escalation contact puts Olga on its team but she runs no search: the
    "Waiting on others" section (the moves of the searches you run) is not hers."""
    type(world.job).objects.filter(pk=world.job.pk).update(escalation_contact=world.olga)
    type(world.other_job).objects.filter(pk=world.other_job.pk).update(
        hiring_manager=world.hank, escalation_contact=world.olga
    )
    html = login(world.olga).get(QUEUE).content.decode()
    assert 'id="on-others"' not in html
    assert 'id="on-others"' in login(world.rita).get(QUEUE).content.decode()
