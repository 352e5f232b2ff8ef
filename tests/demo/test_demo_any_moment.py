"""The demo's stories hold whenever it is seeded: sixteen moments spread over a week.

The README's demo section promises what each login finds (the table for rita, hank, ivy and
ada and the paragraphs above it). Its timestamps are relative to the moment of seeding, so
each promise is checked at weekday mornings and evenings in UTC, a Friday evening, a
weekend's mornings and evenings, public holidays (Christmas, the UK's substitute Boxing
Day, US Thanksgiving) and the clock changes (Europe's spring and autumn, the US autumn).
Stories are read through the selectors the pages use. Every moment also builds the same
organisation as the others (only the times move; test_seed_is_deterministic.py seeds one
moment twice).

The demo is seeded once per moment (a module-scoped fixture, rolled back afterwards); each
moment costs one seed, a few seconds, so the module is marked `slow`, and pytest-xdist hands
out each moment on its own (tests/conftest.py's work_unit), so the seedings spread over the
workers.

Which moments on which database: what varies from one moment to the next is the calendar
(working hours, weekends, holidays, clock changes), worked out in Python by the seed's clock
and followups.business_time, the same whichever database runs the suite. The database's part
is the SQL the selectors run, the same at every moment except where the database does time
arithmetic itself: a week truncated in a person's zone (insights' and calibration's weekly
figures), which moves at a clock change and at a zone's week boundary. So SQLite seeds all
sixteen moments, and any other database (PostgreSQL in CI) those where its own time
arithmetic differs, plus an ordinary weekday: BY_THE_DATABASE. Each PostgreSQL seeding costs
about 7 s, twice SQLite's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from demo_facts import hanks_waiting_days, organisation_facts
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.demo.seed import demo_seed
from closeloop.followups.business_time import people_not_working
from closeloop.followups.engine import asks_advance
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.notices import ask_recipients
from closeloop.followups.selectors import asks_owed_by
from closeloop.insights.forms import PeriodForm
from closeloop.insights.selectors import people_responsiveness
from closeloop.insights.waits import waits_now, waits_over_period
from closeloop.intake.models import IntakeVersion
from closeloop.intake.selectors import drift_flags, intake_overview
from closeloop.intake.services import intake_problems
from closeloop.interviews.models import (
    Debrief,
    DebriefStatus,
    Interview,
    InterviewStatus,
    Scorecard,
)
from closeloop.interviews.selectors import (
    debriefs_waiting,
    interviews_this_week,
    scorecards_blind,
)
from closeloop.jobs.models import Job, JobStatus, StageKind
from closeloop.jobs.selectors import job_list
from closeloop.notify.models import Message
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    Candidate,
    Question,
    StageChange,
    Submission,
    SubmissionDecision,
)
from closeloop.pipeline.overview import escalations_reaching, org_overview
from closeloop.pipeline.selectors import candidate_visible_q, interview_upcoming_for, queue_for
from closeloop.touchbases.models import (
    ActionItem,
    ActionItemStatus,
    Touchbase,
    TouchbaseSeries,
    TouchbaseStatus,
)
from closeloop.touchbases.selectors import touchbase_current
from closeloop.touchbases.weekly import weekly_updates_send

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"
DAY = dt.timedelta(days=1)
UTC = dt.UTC

# (label, moment in UTC). Spread over the week and over the calendars of London, Berlin and
# New York, where the demo's people work.
MOMENTS = [
    ("mon-0730", dt.datetime(2026, 11, 23, 7, 30, tzinfo=UTC)),  # before London's day
    ("mon-1900", dt.datetime(2026, 11, 23, 19, 0, tzinfo=UTC)),  # Europe's evening
    ("tue-0500", dt.datetime(2026, 11, 24, 5, 0, tzinfo=UTC)),  # night in New York
    ("wed-1200", dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)),
    ("thu-1745-thanksgiving", dt.datetime(2026, 11, 26, 17, 45, tzinfo=UTC)),  # US holiday
    ("thu-1730", dt.datetime(2026, 12, 3, 17, 30, tzinfo=UTC)),  # where CI failed
    ("thu-1900", dt.datetime(2026, 12, 3, 19, 0, tzinfo=UTC)),  # where CI failed
    ("fri-2030", dt.datetime(2026, 12, 4, 20, 30, tzinfo=UTC)),  # Friday evening
    ("sat-1100", dt.datetime(2026, 11, 28, 11, 0, tzinfo=UTC)),
    # Ninety days before is a Sunday evening: the oldest job's opening moves to the Friday.
    ("sat-1900", dt.datetime(2026, 12, 5, 19, 0, tzinfo=UTC)),
    ("sun-2330", dt.datetime(2026, 11, 29, 23, 30, tzinfo=UTC)),  # Monday 00:30 in Berlin
    ("thu-1530-christmas-eve", dt.datetime(2026, 12, 24, 15, 30, tzinfo=UTC)),
    ("fri-1000-christmas", dt.datetime(2026, 12, 25, 10, 0, tzinfo=UTC)),
    ("mon-0900-uk-bank-holiday", dt.datetime(2026, 12, 28, 9, 0, tzinfo=UTC)),
    ("thu-1200-new-years-eve", dt.datetime(2026, 12, 31, 12, 0, tzinfo=UTC)),
    ("sun-0200-eu-clocks-back", dt.datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    ("sun-0700-us-clocks-back", dt.datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
    ("sun-0130-eu-clocks-forward", dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
]
# The moments where the database's own time arithmetic can differ (the module's docstring).
BY_THE_DATABASE = {
    "wed-1200",  # an ordinary working day
    "sun-2330",  # the week has turned in Berlin, not in London or New York
    "sun-0200-eu-clocks-back",
    "sun-0700-us-clocks-back",
    "sun-0130-eu-clocks-forward",
}
if connection.vendor != "sqlite":
    MOMENTS = [(label, moment) for label, moment in MOMENTS if label in BY_THE_DATABASE]


@pytest.fixture(
    scope="module", params=[moment for _, moment in MOMENTS], ids=[label for label, _ in MOMENTS]
)
def seeded(request, django_db_setup, django_db_blocker):
    """The demo seeded at one moment, with the clock stopped there; rolled back afterwards."""
    with (
        time_machine.travel(request.param, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        counts = demo_seed()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def person(key: str) -> User:
    return User.objects.get(email=f"{key}@example.com")


def job(title: str) -> Job:
    return Job.objects.get(title=title)


# --- The organisation ----------------------------------------------------------------------


def test_twenty_two_people_in_london_berlin_and_new_york_with_calendars_and_managers(demo):
    users = list(User.objects.all())
    assert len(users) == 22 == demo["users"]
    assert {u.time_zone for u in users} == {"Europe/London", "Europe/Berlin", "America/New_York"}
    assert all(u.holiday_country and u.work_days and u.work_start < u.work_end for u in users)
    assert sum(1 for u in users if u.manager_id) == len(users) - 1  # all but ada


def test_ten_jobs_six_open_one_draft_one_on_hold_one_filled_one_closed(demo):
    assert Counter(Job.objects.values_list("status", flat=True)) == {
        JobStatus.OPEN: 6,
        JobStatus.DRAFT: 1,
        JobStatus.ON_HOLD: 1,
        JobStatus.FILLED: 1,
        JobStatus.CLOSED: 1,
    }


def test_the_demo_has_the_number_of_candidates_it_announces(demo):
    counted = Candidate.objects.count()
    assert demo["candidates"] == counted, "the seed's output says another number"
    demo_section = README.read_text().split("## The demo", 1)[1].split("\n## ", 1)[0]
    said = {int(n) for n in re.findall(r"(\d+)\s+candidates", demo_section)}
    assert said == {counted}, f"README says {said}, the demo has {counted}"


def test_ninety_days_of_history_with_two_hires_offers_debriefs_and_withdrawals(demo):
    now = timezone.now()
    first = Activity.objects.order_by("at").values_list("at", flat=True).first()
    # The oldest job opened 90 days ago; the seed folds each week into its working hours,
    # which moves a Sunday-night moment back to Friday 18:00 (2 days 6 hours earlier).
    assert now - 93 * DAY <= first <= now - 85 * DAY
    statuses = Counter(Application.objects.values_list("status", flat=True))
    assert statuses[ApplicationStatus.HIRED] == 2
    assert statuses[ApplicationStatus.WITHDRAWN] > 5 and statuses[ApplicationStatus.REJECTED] > 50
    active = Application.objects.filter(status=ApplicationStatus.ACTIVE)
    assert active.filter(stage__kind=StageKind.OFFER).exists()
    assert Submission.objects.filter(decision="passed", pass_reason__gt="").count() > 20
    assert Submission.objects.filter(decision="advanced").count() > 10


def test_nothing_is_dated_after_the_moment_of_seeding(demo):
    now = timezone.now()
    dated = {
        "activities": Activity.objects.filter(at__gt=now),
        "stage changes": StageChange.objects.filter(at__gt=now),
        "submissions": Submission.objects.filter(submitted_at__gt=now),
        "asks opened": Ask.objects.filter(opened_at__gt=now),
        "asks closed": Ask.objects.filter(closed_at__gt=now),
        "scorecards": Scorecard.objects.filter(submitted_at__gt=now),
        "debriefs opened": Debrief.objects.filter(opened_at__gt=now),
        "debriefs decided": Debrief.objects.filter(decided_at__gt=now),
        "meetings held": Touchbase.objects.filter(held_at__gt=now),
        "items done": ActionItem.objects.filter(done_at__gt=now),
        "messages": Message.objects.filter(created_at__gt=now),
        "past interviews still scheduled": Interview.objects.filter(
            status=InterviewStatus.SCHEDULED, starts_at__lt=now
        ),
        "future interviews already held": Interview.objects.filter(
            status=InterviewStatus.COMPLETED, ends_at__gt=now
        ),
    }
    assert {name: rows.count() for name, rows in dated.items() if rows.exists()} == {}


@pytest.fixture(scope="session")
def first_organisation(tmp_path_factory, worker_id) -> Path:
    """Where the first moment seeded in this run leaves the organisation it built. The
    moments are spread over pytest-xdist's workers, so the file is in the run's temporary
    folder that all workers share."""
    shared = tmp_path_factory.getbasetemp()
    return (shared.parent if worker_id != "master" else shared) / "demo-organisation.json"


def test_every_moment_builds_the_same_organisation_only_the_times_move(demo, first_organisation):
    built = json.loads(json.dumps(organisation_facts()))  # as stored: tuples become lists
    draft = first_organisation.with_name(f"{first_organisation.name}.{os.getpid()}")
    draft.write_text(json.dumps({"moment": timezone.now().isoformat(), "organisation": built}))
    try:
        # Linking fails when the file exists: the first moment to get here, on any worker,
        # is the one every other moment is compared with.
        os.link(draft, first_organisation)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    first = json.loads(first_organisation.read_text())
    assert built == first["organisation"], (
        f"another organisation than the one seeded at {first['moment']}"
    )


def test_hank_has_submissions_waiting_on_him_for_one_to_nine_days(demo):
    waits = hanks_waiting_days(timezone.now())
    assert len([w for w in waits if 1 <= w <= 9]) >= 4, waits


# --- The follow-up engine at work ----------------------------------------------------------


def test_every_submission_rejection_and_candidate_in_play_has_its_ask(demo):
    reviews = Ask.objects.filter(kind="review_submission")
    assert reviews.count() == Submission.objects.count()
    rejected = Application.objects.filter(status=ApplicationStatus.REJECTED)
    informs = Ask.objects.filter(kind="inform_candidate", application__in=rejected)
    assert informs.values("application").distinct().count() == rejected.count()
    # A candidate whose debrief is on hold has no outcome to hear: they are kept posted.
    held = Debrief.objects.filter(status=DebriefStatus.HELD).values("application")
    assert not Ask.objects.filter(
        kind="inform_candidate", status=AskStatus.OPEN, application__in=held
    ).exists()
    in_play = Application.objects.filter(status=ApplicationStatus.ACTIVE)
    news = Ask.objects.filter(kind="update_candidate", status=AskStatus.OPEN)
    assert set(news.values_list("application", flat=True)) == set(
        in_play.values_list("pk", flat=True)
    )


def _reached(ask: Ask, level: int, now: dt.datetime) -> bool:
    """Whether the ask's ladder has a rung of `level` due by now (the worker sends it)."""
    return any(
        step["level"] == level and dt.datetime.fromisoformat(step["at"]) <= now
        for step in ask.policy["steps"]
    )


def test_hanks_oldest_reviews_escalate_to_sofia_then_ada(demo):
    now, sofia, ada = timezone.now(), person("sofia"), person("ada")
    reviews = list(
        Ask.objects.filter(kind="review_submission", owner=person("hank"), status=AskStatus.OPEN)
    )
    to_sofia = [a for a in reviews if _reached(a, 1, now)]
    to_ada = [a for a in reviews if _reached(a, 2, now)]
    assert to_sofia and to_ada, "no escalation of hank's is due"
    assert all(sofia in [p for p, _ in ask_recipients(a, 1)] for a in to_sofia)
    assert all(ada in [p for p, _ in ask_recipients(a, 2)] for a in to_ada)
    # The worker's first loop has rungs to reach, so the Outbox fills at any hour.
    assert Ask.objects.filter(status=AskStatus.OPEN, next_nudge_at__lte=now).count() > 10


def test_tomasz_is_away_and_sofia_holds_the_reviews_submitted_since_he_left(demo):
    tomasz, sofia = person("tomasz"), person("sofia")
    assert tomasz.is_out_of_office() and tomasz.delegate == sofia
    # Away from the start of a day to the start of another in his own zone, so every page
    # says "until Fri 11 Dec", not "until Sat 12 Dec 01:00".
    for moment in (tomasz.out_of_office_from, tomasz.out_of_office_until):
        assert moment.astimezone(tomasz.zone).time() == dt.time(0)
    delegated = Ask.objects.filter(original_owner=tomasz, status=AskStatus.OPEN)
    assert delegated.filter(kind="review_submission").exists()
    assert set(delegated.values_list("owner", flat=True)) == {sofia.pk}
    # The candidates he left wait on her: in her queue, not his.
    sofia_waits = {item.application.pk for item in queue_for(user=sofia).i_owe_items}
    tomasz_waits = {item.application.pk for item in queue_for(user=tomasz).i_owe_items}
    covered = set(delegated.exclude(application=None).values_list("application", flat=True))
    covered &= set(Application.objects.filter(next_move_owner=tomasz).values_list("pk", flat=True))
    assert covered and covered <= sofia_waits and not covered & tomasz_waits


def test_the_weekly_updates_of_hiring_managers_and_recruiters_go_out_on_the_first_loop(demo):
    weekly_updates_send()
    sent = set(
        Message.objects.filter(template="weekly-update").values_list("recipient__email", flat=True)
    )
    team = User.objects.filter(is_hiring_manager=True) | User.objects.filter(is_recruiter=True)
    assert set(team.values_list("email", flat=True)) <= sent


# --- Intakes, interviews, debriefs, touch-bases ---------------------------------------------


def test_every_job_has_an_intake_and_the_three_intake_stories_hold(demo):
    jobs = list(Job.objects.all())
    assert all(IntakeVersion.objects.filter(job=j).exists() for j in jobs)
    security = intake_overview(job=job("Staff Security Engineer"))
    assert security.in_force is None
    assert [p.email for p in security.awaiting] == ["sofia@example.com"]
    backend = intake_overview(job=job("Senior Backend Engineer"))
    assert (backend.in_force.number, backend.pending.number) == (1, 2)
    assert [p.email for p in backend.awaiting] == ["hank@example.com"]
    assert backend.pending.compensation_max > backend.in_force.compensation_max
    assert "Kafka" in backend.pending.must_haves and "Kafka" not in backend.in_force.must_haves
    assert "Kafka" not in backend.pending.nice_to_haves  # promoted: one list per criterion
    assert [v for v in IntakeVersion.objects.all() if intake_problems(version=v)] == []
    rules = {flag.rule for flag in drift_flags(job=job("Site Reliability Engineer"))}
    assert rules >= {"off_list_passes", "passes_in_a_row"}


def test_interviews_have_scorecards_and_one_round_misses_an_overdue_one(demo):
    now = timezone.now()
    assert Scorecard.objects.filter(status="submitted").count() > 20
    overdue = Ask.objects.filter(kind="submit_scorecard", status=AskStatus.OPEN, due_at__lt=now)
    assert overdue.count() == 1
    ask, ivy = overdue.get(), person("ivy")
    # Ivy's, on one of Hank's candidates: she reads the others' card only after hers.
    assert ask.owner == ivy and ask.application.job.hiring_manager == person("hank")
    others = Scorecard.objects.filter(interview__application=ask.application, status="submitted")
    assert others.exclude(interviewer=ivy).exists()
    assert scorecards_blind(user=ivy, application=ask.application)


def test_every_interview_is_held_in_working_hours_of_its_time_zone(demo):
    """At every moment of seeding (an interview booked at 17:00 was once held at 19:00)."""
    for interview in Interview.objects.all():
        local = interview.starts_at.astimezone(ZoneInfo(interview.time_zone))
        assert local.weekday() < 5 and 8 <= local.hour <= 17, (interview, local)


def test_every_interview_ahead_falls_in_the_working_time_of_everyone_on_its_panel(demo):
    """Their own hours, working days and public holidays (Ivy's Christmas Day, Ethan
    Brooks's morning in New York, Mei's Fridays off), as the booking page checks them; the
    interviews held too, but for one story whose panel has no working time in common
    between its booking and the moment of seeding."""
    off = {
        interview: people_not_working(
            interview.interviewers.all(), interview.starts_at, interview.ends_at
        )
        for interview in Interview.objects.prefetch_related("interviewers")
    }
    off = {interview: who for interview, who in off.items() if who}
    assert not [i for i in off if i.status == InterviewStatus.SCHEDULED], off
    assert len(off) <= 1, off


def test_every_scorecard_is_sent_in_its_interviewers_working_hours_or_straight_after(demo):
    """Not at 3 a.m. or on a Sunday: the timeline and the response times read them."""
    cards = Scorecard.objects.filter(submitted_at__isnull=False).select_related(
        "interviewer", "interview"
    )
    for card in cards:
        local = card.submitted_at.astimezone(card.interviewer.zone)
        working = local.weekday() < 5 and 8 <= local.hour < 18
        after = card.submitted_at - card.interview.ends_at
        assert working or after <= dt.timedelta(minutes=30), (card, local)
        assert dt.timedelta(0) < after


def _at_work(moment, person) -> bool:
    local = moment.astimezone(person.zone)
    return local.weekday() < 5 and 9 <= local.hour < 18


def test_people_write_agreements_comments_and_pairings_at_work(demo):
    """Whenever the demo is seeded (a Sunday night included), what people wrote "yesterday"
    they wrote in their own working hours."""
    from closeloop.comments.models import Comment
    from closeloop.intake.models import IntakeSignature
    from closeloop.partnership.mentorship.models import Mentorship

    late = [
        (str(version), version.proposed_at)
        for version in IntakeVersion.objects.exclude(proposed_at=None).select_related("proposed_by")
        if not _at_work(version.proposed_at, version.proposed_by)
    ]
    late += [
        (str(signature), signature.signed_at)
        for signature in IntakeSignature.objects.select_related("signed_by")
        if not _at_work(signature.signed_at, signature.signed_by)
    ]
    late += [
        (str(comment), comment.created_at)
        for comment in Comment.objects.select_related("author")
        if not _at_work(comment.created_at, comment.author)
    ]
    for pairing in Mentorship.objects.select_related("mentee").exclude(answered_at=None):
        if not _at_work(pairing.answered_at, pairing.mentee):
            late.append((str(pairing), pairing.answered_at))
    assert not late


def test_every_pairing_was_answered_after_it_was_proposed(demo):
    """Hank's acceptance "a day after" Ada's proposal was moved back to his last working
    moment, on a weekend before the proposal's: "Active since Fri 30 Oct 17:59" beside
    "Proposed Fri 30 Oct 18:59". A step taken later moves forward to a working moment."""
    from closeloop.partnership.mentorship.models import Mentorship

    backwards = [
        (str(pairing), pairing.proposed_at, pairing.answered_at)
        for pairing in Mentorship.objects.exclude(answered_at=None)
        if pairing.answered_at <= pairing.proposed_at
    ]
    assert not backwards


def test_debriefs_are_decided_or_waiting_and_one_waits_for_hank(demo):
    decided = Debrief.objects.filter(status=DebriefStatus.DECIDED)
    assert decided.count() > 10 and all(d.rationale for d in decided)
    waiting = Ask.objects.filter(
        kind="decide_after_debrief", owner=person("hank"), status=AskStatus.OPEN
    )
    assert waiting.exists()
    # One he put on hold: his ask to decide again keeps it chased, due on a day ahead.
    (held,) = Debrief.objects.filter(status=DebriefStatus.HELD)
    again = Ask.objects.get(kind="decide_held_debrief", subject=held.subject)
    assert (again.owner, again.status) == (person("hank"), AskStatus.OPEN)
    assert again.due_at > timezone.now()


def test_each_open_job_has_a_touch_base_series_with_past_meetings_and_action_items(demo):
    for open_job in Job.objects.filter(status=JobStatus.OPEN):
        series = TouchbaseSeries.objects.get(job=open_job)
        held = Touchbase.objects.filter(series=series, status=TouchbaseStatus.HELD)
        assert held.exists() and all(m.notes and m.agenda.get("sections") for m in held)
        assert ActionItem.objects.filter(job=open_job).exists(), open_job
        current = touchbase_current(series=series)
        assert current is not None and current.scheduled_at < timezone.now() + 8 * DAY


# --- rita, recruiter -------------------------------------------------------------------------


def test_rita_finds_stale_sourced_candidates_an_offer_and_hanks_question_in_her_queue(demo):
    queue = queue_for(user=person("rita"))
    stale = [
        item
        for item in queue.i_owe
        if item.application.stage.kind == StageKind.SOURCED
        and item.days >= settings.STALE_AFTER_DAYS
    ]
    assert len(stale) >= 2
    assert any(item.application.stage.kind == StageKind.OFFER for item in queue.i_owe)
    assert any(item.move == "Answer Hank's question" for item in queue.i_owe)


def test_hanks_open_question_is_ritas_ask_and_puts_his_review_on_hold(demo):
    open_questions = Question.objects.filter(
        answered_at__isnull=True,
        submission__decision=SubmissionDecision.PENDING,
        submission__application__status=ApplicationStatus.ACTIVE,
    ).select_related("submission__application__job__recruiter")
    assert open_questions.filter(asked_by=person("hank")).exists()
    for question in open_questions:
        recruiter = question.submission.application.job.recruiter
        answer = Ask.objects.get(
            kind="answer_question", subject=f"question:{question.pk}", status=AskStatus.OPEN
        )
        assert answer.owner == recruiter or answer.original_owner == recruiter
        review = Ask.objects.get(
            kind="review_submission",
            subject=f"submission:{question.submission_id}",
            status=AskStatus.OPEN,
        )
        assert review.is_held and review.next_nudge_at is None
        assert review.held_for == answer.owner
    # No other review is held, and a held one is never listed as escalated to Ada.
    held = Ask.objects.filter(kind="review_submission", held_at__isnull=False)
    assert held.count() == open_questions.values("submission").distinct().count()
    rows, _ = escalations_reaching(user=person("ada"), now=timezone.now())
    assert not any(row.ask.is_held for row in rows)


def test_rita_owes_news_after_debriefs_and_the_record_of_a_touch_base(demo):
    owed = asks_owed_by(user=person("rita"))
    decided = set(
        Debrief.objects.filter(status=DebriefStatus.DECIDED).values_list("application", flat=True)
    )
    assert any(a.kind == "inform_candidate" and a.application_id in decided for a in owed)
    holds = [(a.job.title, a.due_at < timezone.now()) for a in owed if a.kind == "hold_touchbase"]
    assert holds == [("Site Reliability Engineer", True)]  # overdue: it reminds her
    # Every other meeting that ended is on record, whatever the hour of seeding.
    anyone_s = Ask.objects.filter(kind="hold_touchbase", status=AskStatus.OPEN)
    assert [(a.owner.email, a.job.title) for a in anyone_s] == [
        ("rita@example.com", "Site Reliability Engineer")
    ]


def test_ritas_backend_job_has_the_amended_intake_drift_interviews_a_debrief_and_a_touch_base(
    demo,
):
    rita, backend = person("rita"), job("Senior Backend Engineer")
    assert intake_overview(job=backend).pending is not None
    assert drift_flags(job=backend)
    assert interviews_this_week(user=rita, job=backend).rows
    waiting = debriefs_waiting(user=rita, job=backend).rows
    assert waiting and all(d.application.job.hiring_manager == person("hank") for d in waiting)
    series = TouchbaseSeries.objects.get(job=backend)
    assert touchbase_current(series=series).scheduled_at < timezone.now() + 7 * DAY


# --- hank, hiring manager --------------------------------------------------------------------


def test_hank_owes_reviews_for_days_a_signature_a_debrief_decision_and_an_overdue_action_item(
    demo,
):
    hank, now = person("hank"), timezone.now()
    waiting = [
        item
        for item in queue_for(user=hank).i_owe
        if item.move == "Decide on submission" and item.days >= 1
    ]
    assert len(waiting) >= 3
    kinds = Counter(a.kind for a in asks_owed_by(user=hank))
    assert kinds["review_submission"] >= 4
    assert kinds["sign_intake"] == 1 and kinds["decide_after_debrief"] >= 1
    items = ActionItem.objects.filter(owner=hank, status=ActionItemStatus.OPEN)
    assert [(i.job.title, i.due_at < now) for i in items if i.due_at < now] == [
        ("Senior Backend Engineer", True)
    ]
    assert "action_item" in kinds


def test_hank_sees_his_own_jobs_and_the_design_job_he_interviews_for(demo):
    seen = set(job_list(user=person("hank")).values_list("title", flat=True))
    assert seen == {
        "Senior Backend Engineer",
        "Site Reliability Engineer",
        "Engineering Manager, Payments",
        "Product Designer",
    }


# --- ivy, interviewer; ada, admin ------------------------------------------------------------


def test_ivy_has_interviews_on_hanks_candidates_in_the_coming_days(demo):
    ivy, hank = person("ivy"), person("hank")
    upcoming = interview_upcoming_for(user=ivy)
    assert [i for i in upcoming if i.application.job.hiring_manager == hank]
    seen = Candidate.objects.filter(candidate_visible_q(ivy)).distinct()
    interviewed = Candidate.objects.filter(applications__interviews__interviewers=ivy).distinct()
    assert set(seen) == set(interviewed)


def test_ada_sees_every_job(demo):
    assert job_list(user=person("ada")).count() == Job.objects.count() == 10


def worker_first_loops() -> None:
    """The worker reaches one rung per ask a loop: its first few loops, as in the demo."""
    for _ in range(10):
        if not asks_advance(limit=10_000).handled:
            break


def test_ada_sees_who_owes_overdue_asks_the_escalations_that_reached_her_and_jobs_at_risk(
    demo, client
):
    worker_first_loops()
    ada = person("ada")
    overview = org_overview(user=ada, top=50)
    people = [row.person.email for row in overview.overdue_people]
    assert "hank@example.com" in people
    assert overview.overdue_asks_total == sum(row.count for row in overview.overdue_people)
    assert any(
        row.ask.owner.email == "hank@example.com" and row.as_admin for row in overview.escalations
    )
    assert overview.jobs_at_risk
    assert all(risk.reasons for risk in overview.jobs_at_risk)
    # Her home page shows it; rita's does not.
    client.force_login(ada)
    html = client.get(reverse("pipeline:queue")).content.decode()
    assert 'id="org-overview"' in html
    assert "Overdue asks by person" in html
    assert "Escalated to the admins" in html
    client.force_login(person("rita"))
    assert 'id="org-overview"' not in client.get(reverse("pipeline:queue")).content.decode()


def test_ada_finds_hank_the_top_bottleneck_and_slower_than_his_agreement(demo):
    """The README's insights story: candidates wait on hank more than on anyone, now and
    over the last 90 days, and his median review takes longer than the 2 business days
    agreed for it (as the pages read it: their default period, in ada's days)."""
    ada, hank = person("ada"), person("hank")
    today = timezone.localdate(timezone.now(), ada.zone)
    period = PeriodForm({}, today=today).period(ada.zone)

    now = waits_now(viewer=ada).sums.by_person
    over_period = waits_over_period(viewer=ada, period=period).by_person
    reviews = people_responsiveness(
        viewer=ada, period=period, kind="review_submission", sort="-median"
    )

    assert now[0].label == "Hank Hill", [(row.label, round(row.days, 1)) for row in now[:3]]
    assert over_period[0].label == "Hank Hill", [(r.label, round(r.days)) for r in over_period[:3]]
    slowest = reviews[0]
    assert (slowest.person, slowest.figures.agreed) == (hank, "2 business days")
    two_business_days = 2 * 8 * 3600  # hank works 9:00 to 17:00
    assert slowest.figures.median_seconds > two_business_days
    assert slowest.figures.within_share < 0.5


def test_every_login_the_readme_names_exists(demo):
    demo_section = README.read_text().split("## The demo", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z]+)@", demo_section))
    assert len(named) == 22
    existing = {email.split("@")[0] for email in User.objects.values_list("email", flat=True)}
    assert named <= existing
