"""The demo's surveys and check-ins: two ended searches answered by both sides (one failed),
and the Payments hire's 30-day check-in answered by hank; its 90-day one still to come."""

from __future__ import annotations

from demo_fixtures import *  # noqa: F403  (the seeded demo: seeded, demo)
from django.utils import timezone

from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.models import JobOutcome
from closeloop.partnership.surveys.models import QualityCheckin, SearchSurvey


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
