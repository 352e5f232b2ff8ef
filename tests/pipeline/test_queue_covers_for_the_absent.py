"""While the hiring manager is away, the candidates his delegate covers wait on the delegate:
in her headline, her "Waiting on you" (with the review beside) and her submissions card; not
in his; and the recruiter sees them waiting on the delegate. The delegate may open them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from pipeline_helpers import PITCH

from closeloop.followups.models import Ask
from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.jobs.models import MoveOwner
from closeloop.pipeline.selectors import job_waiting_on

AWAY_FROM = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
BACK_ON = dt.datetime(2026, 12, 11, 0, 0, tzinfo=dt.UTC)
QUEUE = reverse("pipeline:queue")


@pytest.fixture
def covered(world, clock, login):
    """Hank is away with Olga (not on his job's team) covering; Rita submits Sam to him."""
    world.hank.out_of_office_from, world.hank.out_of_office_until = AWAY_FROM, BACK_ON
    world.hank.delegate = world.olga
    world.hank.save()
    login(world.rita).post(
        reverse("pipeline:application-submit", args=[world.sourced.pk]),
        {"pitch": PITCH, "must_haves_met": ["Python"]},
    )
    review = Ask.objects.get(kind="review_submission", application=world.sourced)
    assert (review.owner, review.original_owner) == (world.olga, world.hank)
    world.sourced.refresh_from_db()
    assert world.sourced.next_move_owner == world.hank  # the move is still his
    return review


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


def test_the_delegate_has_the_candidate_waiting_on_her(world, login, covered):
    html = login(world.olga).get(QUEUE).content.decode()
    mine = section(html, "on-you")
    assert "Sam Sourced" in mine
    assert "Review Sam Sourced for Backend Engineer</a>" in mine  # the review beside him
    assert "1 candidate waits on you" in html
    assert "1</span>\n    <span>submission waiting for your decision" in html
    assert 'id="asks-mine"' not in html or "Review Sam Sourced" not in section(html, "asks-mine")


def test_the_absent_manager_does_not_have_it_waiting_on_him(world, login, covered):
    html = login(world.hank).get(QUEUE).content.decode()
    assert "Sam Sourced" not in section(html, "on-you")
    assert "submission waiting for your decision" not in html or (
        "0</span>\n    <span>submissions waiting for your decision" in html
    )


def test_the_recruiter_sees_it_waiting_on_the_delegate(world, login, covered):
    others = section(login(world.rita).get(QUEUE).content.decode(), "on-others")
    assert "Sam Sourced" in others
    assert "Olga Outsider:</span> <a href=" in others
    assert "Review Sam Sourced for Backend Engineer</a>" in others


def test_the_delegate_can_open_what_she_covers_and_nothing_else(world, login, covered):
    client = login(world.olga)
    page = reverse("pipeline:application-detail", args=[world.sourced.pk])
    assert client.get(page).status_code == 200
    other = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    assert client.get(other).status_code == 404


def test_waiting_on_others_lists_the_interviews_to_come_after_the_waits(world, login):
    """Rows waiting for someone else's interview show the interview, not a wait: they come
    after the rows that wait, soonest interview first, so the list reads in order."""
    stage = world.job.stages.filter(move_owner=MoveOwner.INTERVIEWERS).first()
    now = dt.datetime.now(dt.UTC)
    Interview.objects.filter(application=world.interviewed).update(
        status=InterviewStatus.SCHEDULED,
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=1),
    )
    type(world.interviewed).objects.filter(pk=world.interviewed.pk).update(
        stage=stage, next_move_owner=world.ivy, next_move_since=now - dt.timedelta(days=30)
    )
    type(world.sourced).objects.filter(pk=world.sourced.pk).update(
        next_move_owner=world.hank, next_move_since=now - dt.timedelta(days=1)
    )
    others = section(login(world.rita).get(QUEUE).content.decode(), "on-others")
    assert others.index("Sam Sourced") < others.index("Carla Candidate")


def test_the_delegate_decides_the_submission_she_covers(world, login, covered):
    client = login(world.olga)
    page = client.get(reverse("pipeline:application-detail", args=[world.sourced.pk]))
    html = page.content.decode()
    assert reverse("pipeline:submission-decide", args=[world.sourced.pk]) in html
    # Covering for the decision gives her nothing else on the candidate.
    assert reverse("pipeline:application-reject", args=[world.sourced.pk]) not in html
    submission = world.sourced.submissions.get()
    response = client.post(
        reverse("pipeline:submission-decide", args=[world.sourced.pk]),
        {
            "submission": submission.pk,
            "decision": "advanced",
            "note": "For Hank",
            "closeness": 4,
            "calibration_note": "Spot on.",
        },
    )
    # Her access ended with her decision: she is led to her queue, not to a "Not found".
    assert response.status_code == 302 and response.url == QUEUE
    submission.refresh_from_db()
    assert submission.decision == "advanced" and submission.decided_by == world.olga
    covered.refresh_from_db()
    assert covered.status != "open"  # her review ask is answered


def test_someone_else_still_cannot_decide(world, login, covered):
    submission = world.sourced.submissions.get()
    response = login(world.ivy).post(
        reverse("pipeline:submission-decide", args=[world.sourced.pk]),
        {
            "submission": submission.pk,
            "decision": "advanced",
            "closeness": 3,
            "calibration_note": "Close.",
        },
    )
    assert response.status_code == 404  # ivy does not see Sam: not even that he exists
    submission.refresh_from_db()
    assert submission.decision == "pending"


def test_the_application_page_says_whose_move_it_is_while_he_is_away(world, login, covered):
    html = (
        login(world.rita)
        .get(reverse("pipeline:application-detail", args=[world.sourced.pk]))
        .content.decode()
    )
    assert "<strong>Olga Outsider</strong>, covering for Hank Manager" in html
    mine = (
        login(world.olga)
        .get(reverse("pipeline:application-detail", args=[world.sourced.pk]))
        .content.decode()
    )
    assert "<strong>Yours</strong>, covering for Hank Manager" in mine


def test_the_job_page_says_the_pipeline_waits_on_the_delegate(world, login, covered):
    rows = {row.name: row for row in job_waiting_on(user=world.rita, job=world.job)}
    assert rows["Olga Outsider"].count == 1
    assert rows["Olga Outsider"].covering.startswith(
        "covering for Hank Manager (out of office until"
    )
    assert "Hank Manager" not in rows or rows["Hank Manager"].count == 0
    # One pair of brackets, not one inside another: "Olga Outsider, covering for … (…)".
    said = waiting_said(login(world.rita), world.job)
    assert "Olga Outsider, covering for Hank Manager (out of office until Fri 11 Dec" in said
    assert "(covering for" not in said
    assert "Olga Outsider, covering for you (out of office until" in (
        waiting_said(login(world.hank), world.job)
    )


def waiting_said(client, job) -> str:
    """The text of the job page's "Who the pipeline waits on", its markup left out."""
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).text
    waiting = html.split('id="waiting-heading"')[1].split("</section>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", waiting))


def test_the_waits_on_insights_are_summed_on_the_delegate_as_the_queues_show_them(world, covered):
    """ada's *Where candidates wait now*: Sam waits on Olga (covering), not on Hank."""
    from closeloop.insights.waits import waits_now

    waits = waits_now(viewer=world.ada)
    by_person = {row.label: row.candidates for row in waits.sums.by_person}
    assert by_person.get("Olga Outsider") == 1
    assert "Hank Manager" not in by_person
    sam = next(item for item in waits.longest if item.application == world.sourced)
    assert sam.owner == world.olga


def test_the_job_page_names_whom_the_delegate_covers_for_once_they_left(world, covered):
    """Deactivated, hank is not "someone away": the row says who and why."""
    from closeloop.accounts.people import user_deactivate

    user_deactivate(user=world.hank, by=world.ada)
    rows = {row.name: row for row in job_waiting_on(user=world.rita, job=world.job)}
    assert rows["Olga Outsider"].covering == "covering for Hank Manager (deactivated)"
