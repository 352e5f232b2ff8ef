"""A candidate renamed on their edit page goes by the new name in every ask still open about
their applications (on each of their jobs), titles and reminders' facts alike; an answered
ask keeps the name it was answered under, and another candidate's asks are untouched."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.followups.models import Ask, AskStatus
from closeloop.pipeline.services import application_submit, candidate_add, candidate_update

DAY = dt.timedelta(days=1)
NEW = "Samantha Sourced-Berg"


def _ask(world, application, title: str, subject: str, **fields) -> Ask:
    now = dt.datetime.now(dt.UTC)
    return Ask.objects.create(
        kind="update_candidate", subject=subject, title=title, owner=world.rita,
        job=application.job, application=application, opened_at=now - DAY, due_at=now + DAY,
        **fields,
    )  # fmt: skip


def _title(subject: str) -> str:
    return Ask.objects.get(subject=subject).title


def test_renaming_a_candidate_on_the_edit_page_renames_their_open_asks(world, login):
    sam = world.sourced.candidate
    application_submit(application=world.sourced, by=world.rita, pitch="Strong on Postgres.")
    news = _ask(world, world.sourced, "Give Sam Sourced news (Backend Engineer)", "app:news")
    news.policy = {"facts": {"candidate": "Sam Sourced", "days": "30"}}
    news.save()
    _ask(world, world.sourced, "Give Sam Sourced news (Backend Engineer)", "app:done",
         status=AskStatus.DONE)  # fmt: skip
    _ask(world, world.interviewed, "Give Carla Candidate news (Backend Engineer)", "app:carla")
    data = {"full_name": NEW, "email": sam.email, "source": sam.source}

    response = login(world.rita).post(reverse("pipeline:candidate-edit", args=[sam.pk]), data)

    assert response.status_code == 302
    review = Ask.objects.get(application=world.sourced, kind="review_submission")
    assert review.title == f"Review {NEW} for Backend Engineer"
    news.refresh_from_db()
    assert news.title == f"Give {NEW} news (Backend Engineer)"
    assert news.policy["facts"] == {"candidate": NEW, "days": "30"}
    assert _title("app:done") == "Give Sam Sourced news (Backend Engineer)"
    assert _title("app:carla") == "Give Carla Candidate news (Backend Engineer)"


def test_the_asks_on_each_of_their_jobs_follow_the_rename(world):
    sam = world.sourced.candidate
    added = candidate_add(job=world.other_job, by=world.ada, data={"email": sam.email})
    _ask(world, world.sourced, "Give Sam Sourced news (Backend Engineer)", "app:one")
    _ask(world, added.application, "Give Sam Sourced news (Data Analyst)", "app:two")

    candidate_update(candidate=sam, by=world.rita, data={"full_name": NEW})

    assert _title("app:one") == f"Give {NEW} news (Backend Engineer)"
    assert _title("app:two") == f"Give {NEW} news (Data Analyst)"


def test_only_the_candidates_name_changes_where_the_job_says_it_too(world):
    sam = world.sourced.candidate
    _ask(world, world.sourced, "Give Sam Sourced news (Sam Sourced fan club)", "app:news")

    candidate_update(candidate=sam, by=world.rita, data={"full_name": NEW})

    assert _title("app:news") == f"Give {NEW} news (Sam Sourced fan club)"


def test_a_save_that_keeps_the_name_rewrites_no_ask(world):
    sam = world.sourced.candidate
    _ask(world, world.sourced, "Give Sam Sourced news (Backend Engineer)", "app:news")

    candidate_update(candidate=sam, by=world.rita, data={"full_name": "Sam Sourced", "phone": "1"})

    assert _title("app:news") == "Give Sam Sourced news (Backend Engineer)"
