"""The candidate page: details, the applications one may see, a timeline filtered per persona."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pipeline_helpers import pdf_upload

from closeloop.activity.services import activity_record
from closeloop.pipeline.services import (
    candidate_add,
    candidate_update,
    submission_ask_question,
)


def url(candidate) -> str:
    return reverse("pipeline:candidate-detail", args=[candidate.pk])


def ask(world, submission, text="Has she run Django in production?"):
    return submission_ask_question(submission=submission, by=world.hank, text=text)


def test_rita_sees_details_applications_and_the_whole_timeline(world, login, submitted):
    carla = world.interviewed.candidate
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"full_name": carla.full_name, "email": carla.email, "expected_compensation": 90000},
    )
    ask(world, submitted)
    body = login(world.rita).get(url(carla)).content.decode()
    assert "Carla Candidate" in body
    assert "carla@cand.example" in body
    assert "90,000 EUR a year" in body
    assert reverse("pipeline:application-detail", args=[world.interviewed.pk]) in body
    assert "Submitted" in body
    assert "Hank Manager" in body  # whose move
    assert "submitted Carla Candidate to Hank Manager" in body
    assert "Has she run Django in production?" in body  # team-only question
    assert "Edit details" in body


def test_times_show_relative_and_absolute(world, login, time_machine):
    # An hour on: what was done a moment ago reads "just now", not "… ago".
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1), tick=False)
    body = login(world.rita).get(url(world.interviewed.candidate)).content.decode()
    assert " · since " in body
    assert "ago · " in body


def test_hank_sees_the_candidate_but_cannot_edit(world, login, submitted):
    ask(world, submitted)
    body = login(world.hank).get(url(world.interviewed.candidate)).content.decode()
    assert "Has she run Django in production?" in body
    assert "Edit details" not in body


def test_ivy_sees_the_candidate_she_interviews_without_team_notes(world, login, submitted):
    carla = world.interviewed.candidate
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"full_name": carla.full_name, "email": carla.email, "expected_compensation": 90000},
    )
    ask(world, submitted)
    response = login(world.ivy).get(url(carla))
    assert response.status_code == 200
    body = response.content.decode()
    # The submission's events wait, as its pitch does, until her scorecard is in.
    assert "submitted Carla Candidate to Hank Manager" not in body
    assert "Has she run Django in production?" not in body
    assert "90,000" not in body  # compensation is for the hiring team
    assert "Edit details" not in body


def test_ivy_cannot_see_a_candidate_she_does_not_interview(world, login):
    assert login(world.ivy).get(url(world.sourced.candidate)).status_code == 404


def test_olga_and_a_guessed_id_get_not_found_and_nothing_leaks(world, login):
    response = login(world.olga).get(url(world.interviewed.candidate))
    assert response.status_code == 404
    assert "Carla" not in response.content.decode()
    missing = reverse("pipeline:candidate-detail", args=[99999])
    assert login(world.rita).get(missing).status_code == 404


def test_hank_sees_only_the_applications_and_history_of_his_jobs(world, login):
    # Otto is on olga's Data Analyst job; ada adds him to Backend Engineer too.
    candidate_add(
        job=world.job, by=world.ada, data={"full_name": "Otto Other", "email": "otto@cand.example"}
    )
    otto = world.other_application.candidate
    activity_record(
        kind="closeloop.note",
        actor=world.olga,
        application=world.other_application,
        summary="Olga's private note about Otto",
    )
    body = login(world.hank).get(url(otto)).content.decode()
    assert "Backend Engineer" in body
    assert "Data Analyst" not in body
    assert "Olga's private note" not in body


def test_ada_sees_every_application(world, login):
    candidate_add(
        job=world.job, by=world.ada, data={"full_name": "Otto Other", "email": "otto@cand.example"}
    )
    body = login(world.ada).get(url(world.other_application.candidate)).content.decode()
    assert "Backend Engineer" in body
    assert "Data Analyst" in body


def test_the_resume_link_shows_only_when_there_is_one(world, login):
    carla = world.interviewed.candidate
    client = login(world.rita)
    resume_url = reverse("pipeline:candidate-resume", args=[carla.pk])
    assert resume_url not in client.get(url(carla)).content.decode()
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"full_name": carla.full_name, "email": carla.email},
        resume=pdf_upload(),
    )
    assert resume_url in client.get(url(carla)).content.decode()


def test_links_are_clickable_only_when_they_are_web_addresses(world, login):
    carla = world.interviewed.candidate
    carla.links = "https://github.com/carla\njavascript:alert(1)"
    carla.save()
    body = login(world.rita).get(url(carla)).content.decode()
    assert 'href="https://github.com/carla"' in body
    assert 'href="javascript' not in body


def test_post_is_not_allowed(world, login):
    assert login(world.rita).post(url(world.interviewed.candidate)).status_code == 405


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_page_runs_the_same_number_of_queries_for_short_and_long_histories(world, login):
    carla = world.interviewed.candidate
    client = login(world.rita)
    client.get(url(carla))  # warm up the session and caches
    short = _queries(client, url(carla))
    for n in range(30):
        activity_record(
            kind="closeloop.note", actor=world.rita, application=world.interviewed, summary=f"n{n}"
        )
    assert _queries(client, url(carla)) == short


def test_the_team_sees_how_long_the_candidate_has_waited_for_news(world, login):
    import datetime as dt

    import time_machine
    from django.urls import reverse

    url = reverse("pipeline:candidate-detail", args=[world.sourced.candidate.pk])
    with time_machine.travel(world.sourced.created_at + dt.timedelta(days=7), tick=False):
        team_page = login(world.rita).get(url).content.decode()
        ivy_page = (
            login(world.ivy)
            .get(reverse("pipeline:candidate-detail", args=[world.interviewed.candidate.pk]))
            .content.decode()
        )
    assert "Waiting on us for news" in team_page
    assert "business days" in team_page
    assert "Waiting on us for news" not in ivy_page


def test_whose_move_reads_the_queues_clock_as_the_application_page_does(world, login, clock):
    """hank's review of Sam was asked for nine days ago; the move was re-recorded an hour
    ago. Both pages say nine days, since the ask; Carla's interview tomorrow is not a wait."""
    import datetime as dt

    from django.utils import timezone

    from closeloop.followups.models import Ask
    from closeloop.jobs.models import MoveOwner
    from closeloop.pipeline.models import Application

    now = timezone.now()
    Application.objects.filter(pk=world.sourced.pk).update(
        next_move_owner=world.hank, next_move_since=now - dt.timedelta(hours=1)
    )
    Ask.objects.create(
        kind="review_submission", subject="test:sam", title="Review Sam", owner=world.hank,
        job=world.job, application=world.sourced, opened_at=now - dt.timedelta(days=9),
        due_at=now - dt.timedelta(days=7),
    )  # fmt: skip
    interviewing = world.job.stages.filter(move_owner=MoveOwner.INTERVIEWERS).first()
    Application.objects.filter(pk=world.interviewed.pk).update(
        stage=interviewing, next_move_owner=world.ivy, next_move_since=now - dt.timedelta(days=3)
    )
    rita = login(world.rita)
    sam = rita.get(url(world.sourced.candidate)).content.decode()
    assert 'Hank Manager’s move</span> <span class="muted">· 9 days' in sam
    carla = rita.get(url(world.interviewed.candidate)).content.decode()
    assert "Ivy Interviewer’s interview" in carla and "3 days" not in carla
