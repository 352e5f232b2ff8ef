"""The partnership parts in the seeded demo, seeded once for them all (each seeding costs
seconds; one per part cost four): calibration, two-way pulses, end-of-search surveys and
check-ins, mentorship and "working with me" cards.

Seeded as `closeloop demo` seeds it: what seeding queues goes out at any hour. The module's
transaction is rolled back at its end; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.demo.seed import demo_seed
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus, Notice
from closeloop.followups.notices import NUDGE_TEMPLATE
from closeloop.jobs.models import Job, JobOutcome, JobStatus
from closeloop.notify.models import Message
from closeloop.partnership.calibration.selectors import (
    calibration_job_figures,
    calibration_recent,
    calibration_round,
)
from closeloop.partnership.mentorship.models import Mentorship, WorkingCard
from closeloop.partnership.pulses.models import PulseRound
from closeloop.partnership.surveys.models import QualityCheckin, SearchSurvey
from closeloop.pipeline.models import Closeness, Submission, SubmissionDecision
from closeloop.pipeline.services import Calibration, submission_decide
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.selectors import agenda_build, touchbase_current


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(QUIET_HOURS=False), transaction.atomic():
        yield demo_seed()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def _job(title: str) -> Job:
    return Job.objects.get(title=title)


def _person(name):
    return User.objects.get(email=f"{name}@example.com")


# --- Calibration -----------------------------------------------------------------------------
#
# Calibration: ratings that match the decisions, a round with sentences on Senior
# Backend Engineer, a low figure on Site Reliability Engineer, and submissions left waiting on
# hank so his ratings move the job's figure.


def test_every_decision_by_a_hiring_manager_is_rated_in_line_with_it(demo):
    decided = Submission.objects.exclude(decision=SubmissionDecision.PENDING).select_related(
        "application__job"
    )
    by_hm = [s for s in decided if s.decided_by_id == s.application.job.hiring_manager_id]
    assert demo["calibration_ratings"] == len(by_hm) > 50
    assert all(s.closeness for s in by_hm)
    advanced = [s.closeness for s in by_hm if s.decision == SubmissionDecision.ADVANCED]
    passed = [s.closeness for s in by_hm if s.decision == SubmissionDecision.PASSED]
    assert sum(c >= Closeness.CLOSE for c in advanced) > len(advanced) / 2
    assert sum(c < Closeness.CLOSE for c in passed) > len(passed) / 2


def test_senior_backend_engineer_has_its_round_with_hanks_sentences(demo):
    job = _job("Senior Backend Engineer")
    rows = list(calibration_round(job=job))
    assert len(rows) == 5
    # A candidate who withdrew while hank's review waited was never rated; every one he
    # decided carries his rating and his sentence.
    rated = [row for row in rows if row.decided_by_id == job.hiring_manager_id]
    assert len(rated) >= 3
    assert all(row.calibration_note and row.closeness for row in rated)
    assert not any(row.calibration_note for row in rows if row not in rated)
    or_none = Submission.objects.filter(in_calibration_round=True).exclude(application__job=job)
    assert not or_none.exists()


def test_the_rounds_ticks_agree_with_hanks_sentences(demo):
    """The round page shows each sentence beside the must-haves met and missed: "the APIs
    were all internal ones" has the API must-have missed, not met; a sentence that finds
    nothing missing misses nothing."""
    job = _job("Senior Backend Engineer")
    rated = [row for row in calibration_round(job=job) if row.calibration_note]
    api = next(m for m in job.must_have_list if "API" in m)
    for row in rated:
        if "API" in row.calibration_note and "Spot on" not in row.calibration_note:
            assert api in row.hm_must_haves_missed, row.calibration_note
        if "Spot on" in row.calibration_note:
            assert row.hm_must_haves_missed == [], row.calibration_note
        assert set(row.hm_must_haves_met).isdisjoint(row.hm_must_haves_missed)


def test_site_reliability_engineer_is_flagged_on_the_next_agenda(demo):
    job = _job("Site Reliability Engineer")
    assert calibration_recent(job=job).is_low
    series = TouchbaseSeries.objects.get(job=job)
    agenda = agenda_build(touchbase=touchbase_current(series=series))
    [section] = [s for s in agenda["sections"] if s["key"] == "calibration"]
    assert section["items"][0]["text"].endswith("review the must-haves?")


def test_hanks_three_ratings_move_the_jobs_figure(demo, client):
    job = _job("Senior Backend Engineer")
    hank = User.objects.get(email="hank@example.com")
    waiting = list(Submission.objects.filter(application__job=job, decision="pending")[:3])
    assert len(waiting) == 3
    before = calibration_job_figures(job=job, zone=hank.zone).total
    for submission in waiting:
        submission_decide(
            submission=submission,
            by=hank,
            decision="advanced",
            calibration=Calibration(Closeness.SPOT_ON, (), "Spot on."),
        )
    after = calibration_job_figures(job=job, zone=hank.zone).total
    assert (after.rated, after.close) == (before.rated + 3, before.close + 3)
    client.force_login(hank)
    page = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert f"{after.close} of {after.rated} decided submissions" in page


# --- Pulses ----------------------------------------------------------------------------------
#
# Pulses: history on every open job, one strained partnership on the agenda, and an open
# round on Senior Backend Engineer with both invitations in the Outbox.


def test_every_open_job_has_a_revealed_history(demo):
    for job in Job.objects.filter(status=JobStatus.OPEN):
        revealed = PulseRound.objects.filter(job=job, revealed_at__isnull=False)
        assert revealed.count() >= 3, job.title


def test_the_backend_round_is_open_and_both_invitations_are_in_the_outbox(demo):
    job = Job.objects.get(title="Senior Backend Engineer")
    live = PulseRound.objects.get(job=job, revealed_at__isnull=True)
    assert not live.answers.exists()
    asks = Ask.objects.filter(kind="answer_pulse", status=AskStatus.OPEN, job=job)
    assert {a.owner_id for a in asks} == {job.recruiter_id, job.hiring_manager_id}
    for person in (job.recruiter, job.hiring_manager):
        message = Message.objects.filter(recipient=person, body_text__contains="/act/").filter(
            body_text__icontains="your pulse on working with"
        )
        assert message.exists(), person


def test_the_pulse_invitations_hold_back_none_of_the_first_loops_reminders(demo, settings):
    """The invitations are dated when the round opened, one batching window ago: the
    worker's first loops send hank and rita what else is due (his overdue reviews) at once,
    not two hours after the demo started."""
    settings.QUIET_HOURS = False  # as `closeloop demo` runs its worker
    hank, rita = _person("hank"), _person("rita")
    invitations = {
        person: Message.objects.get(recipient=person, template=NUDGE_TEMPLATE)
        for person in (hank, rita)
    }
    now = timezone.now()
    while asks_advance(now=now).handled:
        pass
    notices_compose(now=now)
    assert not Notice.objects.filter(recipient__in=[hank, rita], message__isnull=True).exists()
    reminder = Message.objects.filter(recipient=hank, template=NUDGE_TEMPLATE).latest("pk")
    asks = Ask.objects.filter(pk__in=reminder.data["asks"], kind="review_submission")
    assert asks.exists(), reminder.subject
    for invitation in invitations.values():
        assert invitation.created_at <= now - dt.timedelta(hours=2)
        assert invitation.arrives_at == invitation.created_at  # in the Inbox since then


def test_the_strained_partnership_is_on_its_next_agenda_and_the_admins_heard(demo):
    job = Job.objects.get(title="Product Designer")
    current = touchbase_current(series=TouchbaseSeries.objects.get(job=job))
    section = next(s for s in agenda_build(touchbase=current)["sections"] if s["key"] == "pulse")
    assert any("Rita" in item["text"] for item in section["items"])
    assert Message.objects.filter(template="pulse-alert", data__job=job.pk).exists()
    calm = Job.objects.exclude(pk=job.pk).filter(status=JobStatus.OPEN)
    assert not PulseRound.objects.filter(job__in=calm).exclude(alerts=[]).exists()


# --- Surveys ---------------------------------------------------------------------------------
#
# Surveys and check-ins: two ended searches answered by both sides (one failed), and the
# Payments hire's 30-day check-in answered by hank; its 90-day one still to come.


def test_two_ended_searches_are_answered_by_both_sides_one_of_them_failed(demo):
    surveys = {s.job.title: s for s in SearchSurvey.objects.select_related("job")}
    assert set(surveys) == {"Engineering Manager, Payments", "Growth Marketing Manager"}
    assert surveys["Growth Marketing Manager"].outcome == JobOutcome.FAILED
    for survey in surveys.values():
        assert survey.answers.count() == 2 and survey.revealed_at is not None


def test_the_payments_hire_has_its_30_day_check_in_answered_and_the_90_day_one_planned(demo):
    checkins = {c.days: c for c in QualityCheckin.objects.filter(job__title__startswith="Eng")}
    thirty, ninety = checkins[30], checkins[90]
    assert thirty.answered_by.full_name == "Hank Hill" and thirty.rating and thirty.note
    assert thirty.opened_at <= thirty.answered_at <= timezone.now()
    assert ninety.opened_at is None and ninety.due_at > timezone.now()
    ask = Ask.objects.get(kind="quality_checkin", application=thirty.application)
    assert ask.status == AskStatus.DONE


# --- Mentorship ------------------------------------------------------------------------------
#
# Mentorship: Sofia mentors Hank with goals, past sessions and a next one, and her page
# shows a prompt about Hank's slow reviews linking to the evidence; Daniel's proposal waits
# for Grace; cards reach the job page.


def test_sofia_mentors_hank_with_goals_past_sessions_and_the_next_one(demo):
    mentorship = Mentorship.objects.get(mentor=_person("sofia"), mentee=_person("hank"))
    assert mentorship.status == "active"
    assert mentorship.goals.exclude(figure="").count() == 1
    now = timezone.now()
    sessions = list(mentorship.sessions.order_by("starts_at"))
    assert [s.held_at is not None for s in sessions] == [True, True, False]
    assert all(s.notes for s in sessions[:2]) and sessions[2].starts_at > now
    assert Ask.objects.filter(kind="mentoring_action", status=AskStatus.DONE).count() >= 2


def test_sofias_page_shows_hanks_slow_reviews_with_links_to_the_evidence(demo, client):
    mentorship = Mentorship.objects.get(mentor=_person("sofia"), mentee=_person("hank"))
    client.force_login(_person("sofia"))
    body = client.get(reverse("partnership:mentorship-detail", args=[mentorship.pk])).content
    text = body.decode()
    assert "Reviews slower than agreed" in text
    assert 'href="/applications/' in text


def test_a_proposal_waits_for_grace_and_cards_reach_the_job_page(demo, client):
    proposal = Mentorship.objects.get(mentee=_person("grace"))
    assert proposal.status == "proposed"
    assert Ask.objects.get(kind="accept_mentorship", status=AskStatus.OPEN).owner == _person(
        "grace"
    )
    assert (
        WorkingCard.objects.filter(user__email__in=["rita@example.com", "hank@example.com"]).count()
        == 2
    )
    job = Job.objects.filter(recruiter=_person("rita"), hiring_manager=_person("hank")).first()
    client.force_login(_person("rita"))
    assert "Working with" in client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
