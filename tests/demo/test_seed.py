"""The demo organisation: the documented people, jobs and candidates, kept consistent, and
the interviews and touch-bases the features seed on top of them.

The organisation is seeded once for this module (a few seconds; once for all three parts,
which each seeded it before) inside a transaction that is rolled back at the end; each test
runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.demo.data import OFFICE_ZONES
from closeloop.demo.seed import DEMO_LOGINS, DEMO_PASSWORD, demo_is_seeded, demo_seed
from closeloop.followups.models import Ask, AskStatus
from closeloop.insights.funnel import job_funnel
from closeloop.insights.selectors import Period, responsiveness
from closeloop.intake.models import IntakeVersion
from closeloop.interviews.models import (
    Debrief,
    DebriefStatus,
    Interview,
    InterviewStatus,
    Scorecard,
    ScorecardStatus,
)
from closeloop.interviews.services import scorecard_subject
from closeloop.jobs.models import Job, JobStatus, StageKind
from closeloop.lib.documents import document_text
from closeloop.lib.files import PDF, validate_resume
from closeloop.notify.models import Message
from closeloop.pipeline.models import (
    JOB_CLOSED_REASON,
    Application,
    ApplicationStatus,
    Candidate,
    Question,
    RejectionReason,
    StageChange,
    Submission,
    SubmissionDecision,
    WithdrawalReason,
)
from closeloop.pipeline.selectors import queue_for
from closeloop.pipeline.services import next_move_owner_for
from closeloop.touchbases.models import ActionItem, ActionItemStatus, Touchbase, TouchbaseSeries
from closeloop.touchbases.selectors import touchbase_current
from closeloop.touchbases.weekly import weekly_updates_send

DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module; roll it all back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        counts = demo_seed()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def person(key: str) -> User:
    return User.objects.get(email=f"{key}@example.com")


def test_the_demo_knows_it_is_seeded(demo):
    assert demo_is_seeded()


def test_the_demo_has_one_admin_three_recruiters_six_hiring_managers_and_twelve_interviewers(
    demo,
):
    users = User.objects.all()
    assert users.filter(is_admin=True).count() == 1
    assert users.filter(is_recruiter=True).count() == 3
    assert users.filter(is_hiring_manager=True).count() == 6
    interviewers_only = users.filter(
        is_interviewer=True, is_hiring_manager=False, is_recruiter=False, is_admin=False
    )
    assert interviewers_only.count() == 12
    # Some hiring managers sit on interview panels too.
    assert users.filter(is_hiring_manager=True, is_interviewer=True).exists()
    ada = person("ada")
    assert ada.is_staff and ada.is_superuser and ada.is_admin
    assert person("rita").full_name == "Rita Ramos"
    assert person("hank").full_name == "Hank Hill"


def test_every_demo_login_works_with_the_demo_password(demo):
    for email, _role in DEMO_LOGINS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert all(u.check_password(DEMO_PASSWORD) for u in User.objects.all())


def test_people_live_in_several_time_zones_with_holidays_and_managers(demo):
    users = list(User.objects.all())
    assert {u.time_zone for u in users} >= {"Europe/London", "Europe/Berlin", "America/New_York"}
    assert all(u.holiday_country for u in users)
    assert sum(1 for u in users if u.manager_id) >= len(users) - 1
    assert person("hank").manager == person("sofia")


def test_one_hiring_manager_is_out_of_office_with_a_delegate(demo):
    away = [u for u in User.objects.filter(is_hiring_manager=True) if u.is_out_of_office()]
    assert len(away) == 1
    assert away[0].delegate is not None and away[0].delegate.is_hiring_manager


def test_there_are_ten_jobs_mostly_open_and_one_each_draft_on_hold_filled_and_closed(demo):
    statuses = Counter(Job.objects.values_list("status", flat=True))
    assert statuses == {
        JobStatus.OPEN: 6,
        JobStatus.DRAFT: 1,
        JobStatus.ON_HOLD: 1,
        JobStatus.FILLED: 1,
        JobStatus.CLOSED: 1,
    }
    for job in Job.objects.prefetch_related("interviewers"):
        assert len(job.must_have_list) >= 3, job
        assert job.team and job.location, job
        assert job.interviewers.exists(), job
        assert job.stages.count() == 7, job


def test_the_filled_job_has_its_hire_and_the_draft_job_no_candidates(demo):
    filled = Job.objects.get(status=JobStatus.FILLED)
    hired = filled.applications.filter(status=ApplicationStatus.HIRED)
    assert hired.count() == 1
    assert hired.get().stage.kind == StageKind.HIRED
    assert filled.closed_at is not None
    assert not filled.applications.filter(status=ApplicationStatus.ACTIVE).exists()
    assert not Job.objects.get(status=JobStatus.DRAFT).applications.exists()
    closed = Job.objects.get(status=JobStatus.CLOSED)
    assert not closed.applications.filter(status=ApplicationStatus.ACTIVE).exists()


def test_there_are_between_two_and_three_hundred_candidates_with_their_details(demo):
    candidates = Candidate.objects.all()
    assert 200 <= candidates.count() <= 300
    assert candidates.count() == len(set(candidates.values_list("email", flat=True)))
    for candidate in candidates:
        assert candidate.email.endswith(("@example.org", "@example.net")), candidate.email
        assert candidate.current_company and candidate.current_title and candidate.location
        assert candidate.link_list and candidate.expected_compensation
        assert candidate.source


def test_some_candidates_expect_more_than_the_job_pays(demo):
    over = [s for s in Submission.objects.all() if "above our range" in s.pitch]
    assert len(over) >= 5


def test_history_spans_the_last_ninety_days_and_nothing_happened_in_the_future(demo):
    now = timezone.now()
    first = Activity.objects.order_by("at").first().at
    # 90 days, and up to 2 days 6 hours more when that day was a weekend (the seed folds each
    # week into its working hours): seeded on a Saturday afternoon, 92 days was too few.
    assert now - 93 * DAY <= first <= now - 75 * DAY
    assert not Activity.objects.filter(at__gt=now).exists()
    assert not StageChange.objects.filter(at__gt=now).exists()
    assert not Submission.objects.filter(submitted_at__gt=now).exists()
    assert not Ask.objects.filter(opened_at__gt=now).exists()
    assert not Ask.objects.filter(closed_at__gt=now).exists()
    # Only booked interviews lie ahead, and every booked interview does.
    scheduled = Interview.objects.filter(status=InterviewStatus.SCHEDULED)
    assert not scheduled.filter(starts_at__lt=now).exists()
    assert not Interview.objects.filter(starts_at__gt=now).exclude(
        status__in=[InterviewStatus.SCHEDULED, InterviewStatus.CANCELLED]
    )


def test_every_application_has_a_history_that_ends_where_it_is(demo):
    counts = Application.objects.annotate(n=Count("stage_changes"))
    assert not counts.filter(n=0).exists()
    for application in Application.objects.prefetch_related("stage_changes"):
        changes = list(application.stage_changes.all())
        assert changes[0].from_status == "" and changes[0].to_stage.kind == StageKind.SOURCED
        assert changes[-1].to_stage_id == application.stage_id
        assert changes[-1].to_status == application.status
        assert [c.at for c in changes] == sorted(c.at for c in changes)


def test_every_active_application_waits_on_whom_its_stage_says(demo):
    active = Application.objects.filter(status=ApplicationStatus.ACTIVE).select_related(
        "job", "stage", "next_move_owner"
    )
    assert active.count() >= 40
    for application in active:
        submission = application.submissions.filter(decision=SubmissionDecision.PENDING).first()
        open_question = (
            submission.questions.filter(answered_at__isnull=True).exists() if submission else False
        )
        debrief_open = application.debriefs.filter(status="open").exists()
        # With no interview to come, a scorecard still owed holds the move (the interviewer's).
        card_owed = (
            Ask.objects.filter(application=application, kind="submit_scorecard", status="open")
            .order_by("opened_at", "pk")
            .first()
        )
        to_come = application.interviews.filter(status="scheduled").exists()
        if open_question:
            expected = application.job.recruiter
        elif submission or debrief_open:  # a submission to review or a debrief to decide
            expected = application.job.hiring_manager
        elif card_owed and not to_come and application.stage.move_owner == "interviewers":
            expected = card_owed.original_owner or card_owed.owner
        else:
            expected = next_move_owner_for(application=application, stage=application.stage)
        assert application.next_move_owner == expected, application
        assert application.next_move_since is not None
        assert application.next_move_since <= timezone.now()


def test_closed_applications_wait_on_nobody_and_carry_their_reason(demo):
    closed = Application.objects.exclude(status=ApplicationStatus.ACTIVE)
    assert not closed.filter(next_move_owner__isnull=False).exists()
    for application in closed.filter(status=ApplicationStatus.REJECTED):
        # A candidate still in play when the search ended closed with the job, as
        # pipeline.services.on_job_closed closes them.
        assert application.closed_reason in {*RejectionReason.values, JOB_CLOSED_REASON}
        if application.closed_reason == JOB_CLOSED_REASON:
            assert application.job.status in (JobStatus.FILLED, JobStatus.CLOSED)
        assert application.closed_at is not None
    for application in closed.filter(status=ApplicationStatus.WITHDRAWN):
        assert application.closed_reason in WithdrawalReason.values
    statuses = Counter(Application.objects.values_list("status", flat=True))
    assert statuses[ApplicationStatus.REJECTED] > 50
    assert statuses[ApplicationStatus.WITHDRAWN] > 10


def test_a_pass_is_a_passed_submission_with_a_reason_and_a_rejected_application(demo):
    passes = (
        Activity.objects.filter(kind="closeloop.submission.passed")
        .select_related("application__job")
        .prefetch_related("application__submissions")
    )
    assert passes.count() > 30
    for activity in passes:
        application = activity.application
        assert application.status == ApplicationStatus.REJECTED
        assert application.closed_reason == activity.data["reason"]
        (submission,) = application.submissions.all()
        assert submission.decision == SubmissionDecision.PASSED
        assert submission.pass_reason == application.closed_reason
        assert submission.decided_by_id == application.job.hiring_manager_id


def test_pitches_cite_the_jobs_must_haves(demo):
    for submission in Submission.objects.select_related("application__job")[:60]:
        musts = submission.application.job.must_have_list
        assert submission.must_haves_met
        assert set(submission.must_haves_met) <= set(musts)
        assert all(must in submission.pitch for must in submission.must_haves_met)


def test_every_event_is_in_the_activity_log_with_the_services_kinds(demo):
    kinds = Counter(Activity.objects.values_list("kind", flat=True))
    assert kinds["closeloop.application.created"] == Application.objects.count()
    assert kinds["closeloop.submission.created"] == Submission.objects.count()
    assert kinds["closeloop.job.created"] == Job.objects.count()
    withdrawn = Application.objects.filter(status=ApplicationStatus.WITHDRAWN).count()
    assert kinds["closeloop.application.withdrawn"] == withdrawn
    rejected = Application.objects.filter(status=ApplicationStatus.REJECTED).count()
    passed = kinds["closeloop.submission.passed"]
    assert kinds["closeloop.application.rejected"] + passed == rejected
    assert kinds["closeloop.submission.question_asked"] == Question.objects.count()
    assert kinds["closeloop.ask.opened"] == Ask.objects.count()
    assert kinds["closeloop.ask.closed"] == Ask.objects.filter(status=AskStatus.DONE).count()
    # Every stage change has its activity on the same application at the same moment.
    logged = set(
        Activity.objects.filter(application__isnull=False).values_list("application_id", "at")
    )
    for application_id, at in StageChange.objects.values_list("application_id", "at"):
        assert (application_id, at) in logged
    submission_ids = set(Submission.objects.values_list("pk", flat=True))
    for activity in Activity.objects.filter(kind="closeloop.submission.created"):
        assert activity.data["submission"] in submission_ids


def test_hank_has_several_submissions_waiting_one_to_nine_days(demo):
    hank, now = person("hank"), timezone.now()
    pending = Submission.objects.filter(
        decision=SubmissionDecision.PENDING,
        application__job__hiring_manager=hank,
        application__status=ApplicationStatus.ACTIVE,
        application__next_move_owner=hank,
    )
    waits = sorted((now - s.submitted_at) / DAY for s in pending)
    assert len([w for w in waits if 1 <= w <= 9]) >= 4, waits


def test_hank_asked_rita_a_question_she_has_not_answered(demo):
    hank, rita = person("hank"), person("rita")
    open_questions = Question.objects.filter(
        asked_by=hank,
        answered_at__isnull=True,
        submission__decision=SubmissionDecision.PENDING,
        submission__application__status=ApplicationStatus.ACTIVE,
    )
    assert open_questions.count() >= 1
    application = open_questions.first().submission.application
    assert application.job.recruiter == rita
    assert application.next_move_owner == rita


def test_rita_has_candidates_waiting_on_her_and_stale_cards(demo):
    rita, now = person("rita"), timezone.now()
    owed = Application.objects.filter(status=ApplicationStatus.ACTIVE, next_move_owner=rita)
    assert owed.count() >= 5
    stale = owed.filter(entered_stage_at__lt=now - 7 * DAY)
    assert stale.count() >= 2
    assert owed.filter(stage__kind=StageKind.OFFER).exists()


def test_ivy_has_interviews_on_hanks_candidates_in_the_coming_days(demo):
    ivy, hank, now = person("ivy"), person("hank"), timezone.now()
    upcoming = Interview.objects.filter(
        interviewers=ivy,
        status=InterviewStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lt=now + 7 * DAY,
        application__job__hiring_manager=hank,
    )
    assert upcoming.count() >= 2
    assert Interview.objects.filter(interviewers=ivy, status=InterviewStatus.COMPLETED).count() >= 5
    assert Application.objects.filter(next_move_owner=ivy, status=ApplicationStatus.ACTIVE).exists()


def test_interviews_are_held_in_working_hours_of_their_time_zone(demo):
    for interview in Interview.objects.all():
        local = timezone.localtime(interview.starts_at, zoneinfo.ZoneInfo(interview.time_zone))
        assert local.weekday() < 5, interview
        assert 8 <= local.hour <= 17, interview


def test_every_submission_opened_a_review_ask_that_the_decision_closed(demo):
    asks = {ask.subject: ask for ask in Ask.objects.filter(kind="review_submission")}
    assert len(asks) == Submission.objects.count()
    for submission in Submission.objects.select_related("application__job__hiring_manager"):
        ask = asks[f"submission:{submission.pk}"]
        hm = submission.application.job.hiring_manager
        assert ask.opened_at == submission.submitted_at
        assert ask.application_id == submission.application_id
        if submission.decision == SubmissionDecision.PENDING:
            assert ask.status == AskStatus.OPEN
            assert ask.owner_id in {hm.pk, hm.delegate_id}
        elif submission.decided_by_id == hm.pk:
            assert ask.status == AskStatus.DONE
            assert ask.closed_at == submission.decided_at and ask.closed_by_id == hm.pk
            assert ask.response_seconds is not None
        else:  # the candidate withdrew, or the job closed
            assert ask.status == AskStatus.CANCELLED
            assert ask.closed_at == submission.decided_at


def test_every_candidate_in_play_has_the_recruiters_waiting_clock(demo):
    waiting = {
        ask.application_id: ask
        for ask in Ask.objects.filter(kind="update_candidate", status=AskStatus.OPEN)
    }
    # A candidate whose debrief is on hold has no outcome to hear yet: kept posted, as all.
    active = Application.objects.filter(status=ApplicationStatus.ACTIVE)
    assert set(waiting) == set(active.values_list("pk", flat=True))
    for application in active:
        ask = waiting[application.pk]
        assert ask.owner_id == application.job.recruiter_id
        assert ask.opened_at == (application.candidate_updated_at or application.created_at)


def test_every_submitted_scorecard_answered_its_interviewers_ask(demo):
    """Opened at the interview's end, as the worker opens it, closed at the card: so the
    interviewers have figures on Insights (*Submit a scorecard* is not all "0 answered")."""
    asks = {ask.subject: ask for ask in Ask.objects.filter(kind="submit_scorecard")}
    cards = Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED).select_related(
        "interview__application"
    )
    answered = 0
    for card in cards:
        ask = asks[scorecard_subject(card.interview, card.interviewer_id)]
        assert ask.opened_at == card.interview.ends_at
        if ask.status == AskStatus.DONE:
            answered += 1
            assert ask.closed_at == card.submitted_at and ask.closed_by_id == card.interviewer_id
            assert ask.response_seconds is not None
        else:  # the candidate left before the card: leaving cancelled the ask
            assert ask.status == AskStatus.CANCELLED
            assert card.interview.application.closed_at < card.submitted_at
    assert answered > 0.8 * cards.count()  # the rest left before the card
    period = Period(timezone.now() - 90 * DAY, timezone.now())
    figures = responsiveness(period=period, owners=[person("ivy").pk], kind="submit_scorecard")
    assert figures[(person("ivy").pk, "")].answered > 0


def test_hank_holds_a_debrief_and_his_ask_keeps_the_decision_chased(demo):
    """The README's debriefs: a hold keeps the decision chased. Hank put one debrief on his
    SRE search on hold, to decide again by a day ahead: his ask is open and due then, and the
    candidate waits on him in his queue."""
    hank = person("hank")
    (held,) = Debrief.objects.filter(status=DebriefStatus.HELD)
    application = held.application
    assert application.job.hiring_manager == hank and held.decided_by == hank
    ask = Ask.objects.get(kind="decide_held_debrief", subject=held.subject)
    assert ask.status == AskStatus.OPEN and ask.owner == hank
    assert ask.due_at > timezone.now() + DAY
    assert application.next_move_owner == hank
    queue = queue_for(user=hank, limit=500)
    assert application.pk in {item.application.pk for item in queue.i_owe}


def test_the_held_debrief_opened_in_working_hours_and_its_ask_waits_since_then(demo):
    """The debrief Hank put on hold opened in his working hours (not at
    03:24), and the held one's ask says the candidate's wait as his queue does: since then."""
    from closeloop.followups.business_time import calendar_for, is_working_moment

    (held,) = Debrief.objects.filter(status=DebriefStatus.HELD)
    assert is_working_moment(calendar_for(person("hank")), held.opened_at), held.opened_at
    ask = Ask.objects.get(kind="decide_held_debrief", subject=held.subject)
    assert ask.waiting_since == held.application.next_move_since < ask.opened_at


def test_every_piece_of_news_answered_the_recruiters_waiting_clock(demo):
    """The news given to a candidate in play closed the ask owed since the news before (or
    since they were added): the recruiters have figures for *Give a waiting candidate news*."""
    answered = Ask.objects.filter(kind="update_candidate", status=AskStatus.DONE)
    news = set(
        Activity.objects.filter(kind="closeloop.candidate.informed").values_list(
            "application_id", "at"
        )
    )
    assert answered.count() > 200
    for ask in answered.select_related("application__job"):
        assert (ask.application_id, ask.closed_at) in news
        assert ask.closed_by_id == ask.application.job.recruiter_id
        assert ask.response_seconds is not None
    earlier = answered.filter(
        application=OuterRef("application"), closed_at__lte=OuterRef("opened_at")
    )
    first = answered.filter(~Exists(earlier))  # each candidate's first news: owed from the add
    assert all(ask.opened_at == ask.application.created_at for ask in first[:50])


def test_every_rejected_candidate_is_owed_the_outcome_until_told(demo):
    rejected = Application.objects.filter(status=ApplicationStatus.REJECTED).select_related("job")
    informs = Ask.objects.filter(kind="inform_candidate", application__in=rejected)
    asks = {a.application_id: a for a in informs}
    assert set(asks) == set(rejected.values_list("pk", flat=True))
    told = 0
    for application in rejected:
        ask = asks[application.pk]
        assert ask.opened_at == application.closed_at
        assert ask.owner_id == application.job.recruiter_id
        if ask.status == AskStatus.DONE:
            told += 1
            assert ask.closed_at == application.candidate_updated_at > application.closed_at
        else:
            assert ask.status == AskStatus.OPEN
    assert told > 50
    assert told < rejected.count(), "a few candidates still wait for the outcome"


def test_the_out_of_office_managers_new_reviews_went_to_the_delegate(demo):
    tomasz = person("tomasz")
    delegated = Ask.objects.filter(original_owner=tomasz, status=AskStatus.OPEN)
    assert delegated.exists()
    assert all(ask.owner_id == tomasz.delegate_id for ask in delegated)


def test_hank_has_overdue_reviews_for_the_follow_up_engine_to_chase(demo):
    overdue = Ask.objects.filter(
        kind="review_submission",
        owner=person("hank"),
        status=AskStatus.OPEN,
        due_at__lt=timezone.now(),
    )
    assert overdue.count() >= 3


def test_every_job_has_an_intake_in_the_states_the_readme_promises(demo):
    from closeloop.intake.models import IntakeStatus, IntakeVersion
    from closeloop.intake.selectors import intake_overview

    jobs = {job.title: job for job in Job.objects.all()}
    assert all(IntakeVersion.objects.filter(job=job).exists() for job in jobs.values())
    security = intake_overview(job=jobs["Staff Security Engineer"])
    assert security.in_force is None
    assert [person.email for person in security.awaiting] == ["sofia@example.com"]
    backend = intake_overview(job=jobs["Senior Backend Engineer"])
    assert backend.in_force.number == 1 and backend.pending.number == 2
    assert [person.email for person in backend.awaiting] == ["hank@example.com"]
    assert backend.pending.compensation_max > backend.in_force.compensation_max
    signed = IntakeVersion.objects.filter(status=IntakeStatus.SIGNED)
    assert signed.count() == len(jobs) - 1  # all but the security job's first version
    # Signed agreements drive their jobs: rounds and cadence are in place.
    assert all(
        job.interview_rounds.exists()
        for job in jobs.values()
        if job.title != "Staff Security Engineer"
    )


def test_drift_flags_show_on_some_open_jobs_not_all(demo):
    from closeloop.intake.selectors import drift_flags

    flagged = {
        job.title: {flag.rule for flag in drift_flags(job=job)}
        for job in Job.objects.filter(status=JobStatus.OPEN)
    }
    assert flagged["Site Reliability Engineer"] >= {"off_list_passes", "passes_in_a_row"}
    quiet = [title for title, rules in flagged.items() if not rules]
    assert len(quiet) >= 2, flagged


def test_interviews_have_scorecards_an_overdue_one_and_debriefs_open_and_decided(demo):
    from closeloop.interviews.models import Debrief, DebriefStatus, Scorecard, ScorecardStatus

    assert Interview.objects.filter(
        status=InterviewStatus.SCHEDULED, starts_at__gt=timezone.now()
    ).exists()
    assert Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED).count() > 20
    overdue = Ask.objects.filter(
        kind="submit_scorecard", status=AskStatus.OPEN, due_at__lt=timezone.now()
    )
    assert overdue.exists()
    waiting = Debrief.objects.filter(status=DebriefStatus.OPEN)
    assert waiting.filter(application__job__hiring_manager=person("hank")).exists()
    decided = Debrief.objects.filter(status=DebriefStatus.DECIDED)
    assert decided.count() > 10
    assert all(debrief.rationale for debrief in decided)


def test_every_round_that_took_place_has_its_debrief_or_a_time_the_worker_opens_it(demo):
    """As the product does after every round: a candidate who went on from a round had it
    debriefed, and a round with every card in has its debrief open; only a round still
    missing a card waits, with the time the worker opens its debrief."""
    left = Interview.objects.filter(status=InterviewStatus.COMPLETED, debrief__isnull=True)
    assert not left.filter(scorecards_due_at__isnull=True).exists()
    # The round missing its overdue card is debriefed a day on, not the moment the demo
    # starts: the worker would open a debrief a week late at once, whose decision the hiring
    # manager would "owe" since a minute ago.
    overdue = Ask.objects.filter(
        kind="submit_scorecard", status=AskStatus.OPEN, due_at__lt=timezone.now()
    ).values("application")
    missing = left.filter(application__in=overdue)
    assert missing.exists()
    assert not missing.filter(scorecards_due_at__lt=timezone.now() + dt.timedelta(hours=12))
    for interview in left.filter(application__status="active"):
        cards = set(interview.scorecards.filter(status="submitted").values_list("interviewer"))
        assert len(cards) < interview.interviewers.count(), interview
    # A candidate who left has no debrief open, nor anyone owing its decision.
    closed = Debrief.objects.exclude(application__status="active").filter(status="open")
    assert not closed.exists(), list(closed)
    owed = Ask.objects.filter(kind="decide_after_debrief", status="open")
    assert not owed.exclude(application__status="active").exists()


def test_the_panel_seats_are_the_seeded_panels(demo):
    """The seed inserts panel rows in bulk (no m2m signal): it fills the seats itself, one
    per person on a live (not cancelled) interview's panel."""
    from closeloop.interviews.models import PanelSeat

    live = Interview.interviewers.through.objects.exclude(interview__status="cancelled")
    through = live.values_list(
        "user_id", "interview__application_id", "interview__application__job_id"
    )
    seats = PanelSeat.objects.values_list("user_id", "application_id", "job_id")
    assert set(seats) == set(through)
    assert PanelSeat.objects.count() > 50


def test_the_backend_team_talks_in_comments_and_each_mention_reached_an_inbox(demo):
    from closeloop.comments.models import Comment
    from closeloop.notify.models import Message

    comments = list(Comment.objects.order_by("created_at"))
    assert len(comments) == 3
    # Said at work: earlier today or on the last working day (a Monday morning reads Friday).
    assert all(timezone.now() - 4 * DAY < c.created_at < timezone.now() for c in comments)
    job_note, question, offer = comments
    assert job_note.job.title == "Senior Backend Engineer"
    assert [p.email for p in job_note.mentions.all()] == ["hank@example.com"]
    assert question.application.stage.kind == "submitted"
    assert question.author.email == "hank@example.com"
    assert [p.email for p in question.mentions.all()] == ["rita@example.com"]
    assert not offer.mentions.exists()
    for email in ("hank@example.com", "rita@example.com"):
        assert Message.objects.filter(
            recipient__email=email, template="comment-mention", read_at__isnull=True
        ).exists()


def test_the_insights_funnel_has_a_search_behind_its_target_and_every_stage_reached(demo):
    """Insights on first start: the sales job runs behind its agreed date, and the busiest
    job's funnel narrows from its first stage to its offers."""
    behind = job_funnel(job=Job.objects.get(title="Account Executive, DACH"))
    assert behind.fill.behind and "past the target fill date" in behind.fill.words
    backend = job_funnel(job=Job.objects.get(title="Senior Backend Engineer"))
    reached = [row.reached for row in backend.stages]
    assert reached == sorted(reached, reverse=True) and reached[0] > reached[-2] > 0
    assert backend.passed and backend.decisions.count and backend.reasons


# --- The interviews agree with the plan -------------------------------------------------------
#
# Each interview lasts as long as its round of the agreed plan and is held by people the plan
# names for that round; one in an office is in the office's time zone; every candidate with an
# interview has a résumé (a small real file the upload check accepts), so the interviewer's
# briefing page offers it.


def interviews() -> list[Interview]:
    return list(
        Interview.objects.select_related("round", "application__job")
        .prefetch_related("interviewers", "round__interviewers")
        .exclude(status=InterviewStatus.CANCELLED)
    )


def test_every_interview_lasts_as_long_as_its_round_and_is_held_by_the_rounds_people(demo):
    rows = interviews()
    assert len(rows) > 50
    for interview in rows:
        assert interview.round is not None, interview.round_name
        minutes = (interview.ends_at - interview.starts_at).total_seconds() / 60
        assert minutes == interview.round.duration_minutes, interview.round_name
        panel = set(interview.interviewers.all())
        assert panel and panel <= set(interview.round.interviewers.all()), interview.round_name


def test_an_office_interview_is_in_the_offices_time_zone(demo):
    in_office = [i for i in interviews() if i.location.endswith(" office")]
    assert any(i.location == "Berlin office" for i in in_office)
    for interview in in_office:
        job = interview.application.job
        assert interview.location == f"{job.location} office"
        assert interview.time_zone == OFFICE_ZONES[job.location], interview.location


def test_every_candidate_on_a_job_has_a_resume_the_upload_check_accepts(demo):
    candidates = Candidate.objects.filter(applications__isnull=False).distinct()
    interviewed = candidates.filter(applications__interviews__isnull=False).distinct()
    assert interviewed.count() > 20 and candidates.count() > interviewed.count()
    for candidate in candidates:
        assert candidate.resume, candidate.full_name
        with candidate.resume.open("rb") as handle:
            content = handle.read()
        upload = SimpleUploadedFile(candidate.resume_filename, content)
        assert validate_resume(upload) == PDF
        assert candidate.full_name.encode() in content
        assert candidate.resume_filename.endswith(".pdf")


def test_the_resume_words_kept_for_search_are_what_the_pdf_says(demo):
    candidates = Candidate.objects.exclude(resume="").order_by("pk")[:5]
    for candidate in candidates:
        with candidate.resume.open("rb") as handle:
            read = document_text(handle, candidate.resume_filename)
        # The PDF's own words, as an upload would have stored them ("·" is "-" in the PDF).
        assert (
            read.replace("-", "").split()
            == candidate.resume_text.replace("-", "").replace("·", "").split()
        ), candidate.full_name


def test_ivys_briefing_page_offers_the_resume_and_it_downloads(demo, client):
    ivy = User.objects.get(email="ivy@example.com")
    upcoming = (
        Interview.objects.filter(
            interviewers=ivy, status=InterviewStatus.SCHEDULED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    client.force_login(ivy)
    page = client.get(reverse("interviews:interview-detail", args=[upcoming.pk]))
    assert "Download the résumé" in page.content.decode()
    candidate = upcoming.application.candidate
    download = client.get(reverse("pipeline:candidate-resume", args=[candidate.pk]))
    assert download.status_code == 200 and download["Content-Type"] == PDF
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


# --- Touch-bases ---------------------------------------------------------------------------------
#
# History, action items, a live next meeting, and weekly updates that reach the Outbox on the
# worker's first loop.


def test_every_active_job_has_a_series_with_held_meetings_and_a_next_one(demo):
    active = Job.objects.filter(status__in=[JobStatus.OPEN, JobStatus.ON_HOLD])
    assert demo["touchbase_series"] == active.count() == TouchbaseSeries.objects.count()
    for series in TouchbaseSeries.objects.select_related("job"):
        held = Touchbase.objects.filter(series=series, status="held")
        assert held.count() >= (0 if series.job.title == "Site Reliability Engineer" else 1)
        assert all(row.agenda.get("sections") and row.notes for row in held)
        assert touchbase_current(series=series) is not None, series.job.title


def test_action_items_some_done_and_one_of_hanks_overdue(demo):
    items = ActionItem.objects.all()
    assert items.filter(status=ActionItemStatus.DONE).count() >= 6
    now = timezone.now()
    overdue = [item for item in items.filter(status=ActionItemStatus.OPEN) if item.due_at <= now]
    assert [(item.owner.email, item.job.title) for item in overdue] == [
        ("hank@example.com", "Senior Backend Engineer")
    ]


def test_the_unmarked_meeting_reminds_rita(demo):
    from closeloop.followups.models import Ask, AskStatus

    open_holds = Ask.objects.filter(kind="hold_touchbase", status=AskStatus.OPEN)
    assert [(a.owner.email, a.job.title) for a in open_holds] == [
        ("rita@example.com", "Site Reliability Engineer")
    ]


def test_only_the_pending_mentorship_proposal_waits_in_an_inbox(demo):
    """Sofia and Hank have met since October: no email asks Hank to accept her today; the
    proposal to Grace, still unanswered, does ask her."""
    from closeloop.partnership.mentorship.models import Mentorship

    waiting = {
        mentorship.pk: mentorship.mentee.email
        for mentorship in Mentorship.objects.select_related("mentee")
    }
    asked = Message.objects.filter(data__mentorship__in=list(waiting))
    assert {waiting[m.data["mentorship"]] for m in asked} == {"grace@example.com"}


def test_weekly_updates_go_out_on_the_first_loop(demo):
    weekly_updates_send()
    recipients = set(
        Message.objects.filter(template="weekly-update").values_list("recipient__email", flat=True)
    )
    assert "hank@example.com" in recipients and "rita@example.com" in recipients


def test_the_pages_render_for_rita_and_hank(demo, client):
    from closeloop.accounts.models import User

    job = Job.objects.get(title="Senior Backend Engineer")
    series = TouchbaseSeries.objects.get(job=job)
    current = touchbase_current(series=series)
    past = Touchbase.objects.filter(series=series, status="held").first()
    for email in ("rita@example.com", "hank@example.com"):
        client.force_login(User.objects.get(email=email))
        for url in (
            reverse("jobs:job-detail", args=[job.pk]),
            reverse("touchbases:touchbase-detail", args=[current.pk]),
            reverse("touchbases:touchbase-detail", args=[past.pk]),
            reverse("touchbases:weekly-update-preview"),
            reverse("touchbases:weekly-update-html"),
            reverse("accounts:profile"),
        ):
            assert client.get(url).status_code == 200, url


def test_target_dates_fall_on_working_days(demo):
    """A fill or start date on a Saturday or Sunday reads as a slip of the seed."""
    dates = [
        (str(row), name, getattr(row, name))
        for model in (IntakeVersion, Job)
        for row in model.objects.all()
        for name in ("target_fill_date", "target_start_date")
    ]
    assert any(day for _, _, day in dates)
    weekends = [(row, name, day) for row, name, day in dates if day and day.weekday() >= 5]
    assert weekends == []
