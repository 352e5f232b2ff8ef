"""weekly_update_build: what one person's weekly update says, checked against the data."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.selectors import asks_owed_by
from closeloop.followups.services import ask_close, ask_open
from closeloop.jobs.models import JobStatus
from closeloop.pipeline.models import Application, Candidate
from closeloop.pipeline.services import submission_decide
from closeloop.touchbases.weekly import weekly_update_asks, weekly_update_build

NEXT_MONDAY = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


def test_waiting_on_you_is_exactly_the_persons_queue_and_comes_first(world, submitted, clock):
    ask_open(kind="action_item", subject="action:x", title="Send the exercise", owner=world.hank)
    clock.move_to(NEXT_MONDAY)
    update = weekly_update_build(person=world.hank)
    assert update.waits[0].is_you
    assert [row.ask.pk for row in update.waiting_on_you] == [
        a.pk for a in asks_owed_by(user=world.hank)
    ]
    # The others on hank's job follow (rita owes news to both candidates).
    assert {group.person for group in update.waits[1:]} == {world.rita}


def test_the_recruiters_mirror_starts_with_what_waits_on_her(world, submitted, clock):
    clock.move_to(NEXT_MONDAY)
    update = weekly_update_build(person=world.rita)
    assert update.waits[0].is_you and update.waits[0].person == world.rita
    assert update.waits[1].person == world.hank
    assert [row.candidate for row in update.waits[1].rows] == ["Carla Candidate"]
    persons = {(row.person, row.label) for row in update.record}
    assert (world.hank, "Review a submitted candidate") in persons  # the HM's record, too


def test_what_moved_at_risk_and_interviews(world, submitted, clock):
    update = weekly_update_build(person=world.hank)
    assert update.moves_total == 3  # Carla and Sam added, Carla submitted
    assert {row.what for row in update.moves} >= {"Sourced → Submitted"}
    assert [row.interview.round_name for row in update.interviews] == ["Technical"]
    assert update.at_risk == []
    clock.move_to(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC))  # 9 days later
    late = weekly_update_build(person=world.hank)
    assert {row.application.candidate.full_name for row in late.at_risk} == {
        "Carla Candidate",
        "Sam Sourced",
    }
    assert late.moves_total == 0  # nothing moved in the last seven days


def test_the_service_level_record_counts_on_time_late_and_overdue(world, clock, submitted):
    # On time: decided within the 2 business days agreed.
    clock.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC))
    submission_decide(submission=submitted, by=world.hank, decision="advanced")
    # Late: a debrief decision closed after its due time (3 business days: Friday 17:00).
    late = ask_open(
        kind="decide_after_debrief", subject="test:1", title="Decide", owner=world.hank,
        job=world.job, opened_at=dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    ask_close(kind="decide_after_debrief", subject="test:1", by=world.hank)
    # Overdue and still open.
    ask_open(
        kind="decide_after_debrief", subject="test:2", title="Decide", owner=world.hank,
        job=world.job, opened_at=dt.datetime(2026, 11, 19, 9, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    clock.move_to(NEXT_MONDAY)
    record = {row.label: row for row in weekly_update_build(person=world.hank).record}
    review = record["Review a submitted candidate"]
    assert (review.on_time, review.late, review.overdue_open) == (1, 0, 0)
    assert review.agreed == "2 business days"
    debrief = record["Decide after the debrief"]
    assert (debrief.on_time, debrief.late, debrief.overdue_open) == (0, 1, 1)
    assert Ask.objects.get(pk=late.pk).status == AskStatus.DONE


def test_a_person_with_no_jobs_and_nothing_owed_has_nothing_to_say(world):
    assert weekly_update_build(person=world.ivy).is_empty


def test_closed_jobs_are_left_out(world, submitted, clock):
    world.job.status = JobStatus.CLOSED
    world.job.save()
    update = weekly_update_build(person=world.rita)
    assert update.jobs == [] and update.moves == []


def test_one_click_links_only_in_the_real_send(world, submitted):
    preview = weekly_update_build(person=world.hank)
    assert preview.waiting_on_you[0].links == []
    sent = weekly_update_build(person=world.hank, issue_links=True)
    assert [link.action for link in sent.waiting_on_you[0].links] == [
        "advance", "pass", "question", "snooze",
    ]  # fmt: skip
    assert set(weekly_update_asks(sent)) >= {sent.waiting_on_you[0].ask}


def _record_queries(world, hms: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from closeloop.accounts.models import User
    from closeloop.jobs.services import job_create
    from closeloop.pipeline.services import application_submit, candidate_add
    from closeloop.touchbases.weekly import _record, weekly_update_jobs

    for index in range(hms):
        hm = User.objects.create_user(
            f"hm{index}@example.com", "correct-horse-battery", full_name=f"HM {index}",
            is_hiring_manager=True,
        )  # fmt: skip
        job = job_create(
            by=world.rita,
            data={"title": f"Job {index}", "status": JobStatus.OPEN, "recruiter": world.rita,
                  "hiring_manager": hm, "must_haves": "Python"},
        )  # fmt: skip
        data = {"full_name": f"Cand{index} Person", "email": f"c{index}@x.example"}
        application = candidate_add(job=job, by=world.rita, data=data).application
        application_submit(application=application, by=world.rita, pitch="p", must_haves_met=[])
    now = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)  # the reviews are overdue
    jobs = weekly_update_jobs(person=world.rita)
    with CaptureQueriesContext(connection) as queries:
        rows = _record(world.rita, jobs, now - dt.timedelta(days=7), now)
    assert sum(row.overdue_open for row in rows if not row.is_you) == hms
    return len(queries)


def test_the_record_is_one_query_however_many_hms_a_recruiter_works_with(world, clock):
    assert _record_queries(world, 1) == 1


def test_the_record_of_ten_hms_is_still_one_query(world, clock):
    assert _record_queries(world, 10) == 1


def test_a_held_ask_is_not_counted_overdue_in_the_record(world, clock):
    for n in (1, 2):
        ask_open(
            kind="decide_after_debrief", subject=f"test:{n}", title="Decide", owner=world.hank,
            job=world.job, opened_at=dt.datetime(2026, 11, 19, 9, 0, tzinfo=dt.UTC),
        )  # fmt: skip
    Ask.objects.filter(subject="test:2").update(held_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    clock.move_to(NEXT_MONDAY)
    record = {row.label: row for row in weekly_update_build(person=world.hank).record}
    assert record["Decide after the debrief"].overdue_open == 1


def test_news_owed_on_more_candidates_costs_no_more_queries(world, submitted, clock):
    """Each news ask's clock runs in its job's recruiter's calendar: read for every row at
    once (each row read its application's job and recruiter before: two queries a row)."""
    clock.move_to(NEXT_MONDAY)

    def build() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            update = weekly_update_build(person=world.rita)
        news = [row.waited for row in update.waiting_on_you if row.ask.kind == "update_candidate"]
        return len(queries), news

    few, news = build()
    stage = world.job.stages.order_by("position").first()
    for n in range(5):
        candidate = Candidate.objects.create(full_name=f"News {n}", email=f"news{n}@x.example")
        application = Application.objects.create(
            candidate=candidate, job=world.job, stage=stage, created_at=NEXT_MONDAY - WEEK
        )
        Ask.objects.create(
            kind="update_candidate", subject=f"application:{application.pk}", title="News",
            owner=world.rita, job=world.job, application=application,
            opened_at=NEXT_MONDAY - WEEK, due_at=NEXT_MONDAY - WEEK,
        )  # fmt: skip
    many, more_news = build()
    assert len(more_news) == len(news) + 5
    assert sum("(5 business days)" in w for w in more_news) >= 5  # Monday to Monday
    assert many == few
