"""Someone standing in for an absent hiring manager, off the job's team, who holds an ask on
a candidate opens the candidate and reads its timeline as the hiring manager would; if she
also sits on its panel and still owes her scorecard, the blindness of interviewers holds."""

from __future__ import annotations

from django.urls import reverse

from closeloop.followups.models import Ask, AskStatus
from closeloop.interviews.models import Interview
from closeloop.pipeline.selectors import application_timeline, candidate_timeline
from closeloop.pipeline.services import application_move

REASON = "Strong call — line up the panel."


def held_by_olga(world, submitted) -> Ask:
    """Hank's review of Carla, handed to olga (his delegate, on no team of this job)."""
    ask = Ask.objects.get(kind="review_submission", status=AskStatus.OPEN, owner=world.hank)
    Ask.objects.filter(pk=ask.pk).update(owner=world.olga, original_owner=world.hank)
    return ask


def kinds(events) -> list[str]:
    return [event.kind for event in events]


def test_the_stand_in_reads_the_timeline_the_hiring_manager_reads(world, submitted, login):
    stage = world.job.stages.get(kind="interviewing")
    application_move(application=world.interviewed, by=world.rita, to_stage=stage, reason=REASON)
    held_by_olga(world, submitted)
    application = world.interviewed
    hanks = kinds(application_timeline(user=world.hank, application=application))
    assert "closeloop.submission.created" in hanks or any("submission" in k for k in hanks)
    assert kinds(application_timeline(user=world.olga, application=application)) == hanks
    assert kinds(candidate_timeline(user=world.olga, candidate=application.candidate)) == hanks
    page = login(world.olga).get(reverse("pipeline:application-detail", args=[application.pk]))
    assert page.status_code == 200 and REASON in page.content.decode()


def test_nothing_once_the_ask_is_answered_elsewhere(world, submitted):
    ask = held_by_olga(world, submitted)
    Ask.objects.filter(pk=ask.pk).update(status=AskStatus.CANCELLED)
    assert kinds(candidate_timeline(user=world.olga, candidate=world.interviewed.candidate)) == []


def test_a_stand_in_on_the_panel_owing_her_scorecard_stays_blind(world, submitted):
    # Ivy interviews Carla (her scorecard not in) and stands in for hank, though she is no
    # hiring manager (so she decides nothing and reads no one's scorecards but her own).
    stage = world.job.stages.get(kind="interviewing")
    application_move(application=world.interviewed, by=world.rita, to_stage=stage, reason=REASON)
    ask = Ask.objects.get(kind="review_submission", status=AskStatus.OPEN, owner=world.hank)
    Ask.objects.filter(pk=ask.pk).update(owner=world.ivy, original_owner=world.hank)
    assert Interview.objects.filter(application=world.interviewed, interviewers=world.ivy)
    hanks = kinds(candidate_timeline(user=world.hank, candidate=world.interviewed.candidate))
    events = candidate_timeline(user=world.ivy, candidate=world.interviewed.candidate)
    unblind = [kind for kind in hanks if not kind.startswith("closeloop.submission.")]
    assert kinds(events) == unblind and unblind != hanks
    assert events.get(kind="closeloop.application.moved").detail_shown == ""
