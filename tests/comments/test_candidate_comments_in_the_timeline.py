"""A comment on a candidate (their page, not one application) is in the candidate's
timeline for the hiring team, as an application's comment is; interviewers read it in the
panel, never in the timeline, and someone blind on one of the candidate's panels does not
read its words there either."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from closeloop.comments.selectors import comment_subject_of
from closeloop.comments.services import comment_add
from closeloop.interviews.models import Interview
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import candidate_timeline

WORDS = "Strong on call, weak on SQL."


def _comment(world):
    return comment_add(
        subject=comment_subject_of(world.interviewed.candidate), by=world.rita, body=WORDS
    )


def test_the_hiring_team_reads_a_candidate_comment_in_the_timeline(world, login):
    _comment(world)
    candidate = world.interviewed.candidate
    for reader in (world.rita, world.hank):
        events = candidate_timeline(user=reader, candidate=candidate)
        assert [
            event.detail_shown for event in events if event.kind.startswith("closeloop.comment.")
        ] == [WORDS]
    page = login(world.hank).get(reverse("pipeline:candidate-detail", args=[candidate.pk]))
    assert "Rita Recruiter commented on Carla Candidate" in page.content.decode()


def test_an_interviewer_reads_it_in_the_panel_not_the_timeline(world):
    _comment(world)
    events = candidate_timeline(user=world.ivy, candidate=world.interviewed.candidate)
    assert not [event for event in events if event.kind.startswith("closeloop.comment.")]


def test_a_team_member_blind_on_another_panel_reads_that_it_was_said_not_what(world):
    """Hank interviews Carla for olga's job too, his scorecard still owed there: the
    comments' rule hides the thread from him, and the timeline its words."""
    candidate = world.interviewed.candidate
    elsewhere = Application.objects.create(
        candidate=candidate, job=world.other_job, stage=world.other_job.stages.first()
    )
    start = timezone.now() - dt.timedelta(hours=2)
    interview = Interview.objects.create(
        application=elsewhere,
        round_name="Data",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    interview.interviewers.add(world.hank)
    _comment(world)
    events = candidate_timeline(user=world.hank, candidate=candidate)
    shown = [event.detail_shown for event in events if event.kind.startswith("closeloop.comment.")]
    assert shown == [""]
