"""A job renamed (on its page, or by a signed agreement) goes by its new name in every ask
still open about it, the old and the new ones alike; an answered ask keeps the name it was
answered under, and another job's asks are untouched."""

from __future__ import annotations

import datetime as dt

from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.services import job_agreement_apply, job_update
from closeloop.pipeline.services import application_submit

DAY = dt.timedelta(days=1)
NEW = "Backend Engineer (Platform)"


def _ask(world, job, title: str, subject: str, **fields) -> Ask:
    now = dt.datetime.now(dt.UTC)
    return Ask.objects.create(
        kind="update_candidate", subject=subject, title=title, owner=world.rita, job=job,
        opened_at=now - DAY, due_at=now + DAY, **fields,
    )  # fmt: skip


def _titles(job) -> dict[str, str]:
    return dict(Ask.objects.filter(job=job).values_list("subject", "title"))


def test_renaming_a_job_renames_its_open_asks_and_no_answered_one(world):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong on Postgres.")
    _ask(world, world.job, "Give Carla Candidate news (Backend Engineer)", "application:news")
    _ask(
        world, world.job, "Give Old Hand news (Backend Engineer)", "application:done",
        status=AskStatus.DONE,
    )  # fmt: skip
    _ask(world, world.other_job, "Give Otto Other news (Backend Engineer)", "application:other")

    job_update(job=world.job, by=world.rita, data={"title": NEW})

    titles = _titles(world.job)
    assert titles["application:news"] == f"Give Carla Candidate news ({NEW})"
    review = Ask.objects.get(job=world.job, kind="review_submission", status=AskStatus.OPEN)
    assert review.title == f"Review Sam Sourced for {NEW}"
    assert titles["application:done"] == "Give Old Hand news (Backend Engineer)"
    other = _titles(world.other_job)["application:other"]
    assert other == "Give Otto Other news (Backend Engineer)"


def test_only_the_jobs_name_changes_where_an_item_says_it_too(world):
    _ask(world, world.job, "Ask Backend Engineer peers for referrals (Backend Engineer)", "item:1")

    job_update(job=world.job, by=world.rita, data={"title": NEW})

    assert _titles(world.job)["item:1"] == f"Ask Backend Engineer peers for referrals ({NEW})"


def test_the_facts_reminders_name_the_job_by_follow_the_rename(world):
    ask = _ask(world, world.job, "Pulse on working with Hank (Backend Engineer)", "pulse:1")
    ask.policy = {"facts": {"about": "Hank Manager", "job": "Backend Engineer"}}
    ask.save()

    job_update(job=world.job, by=world.rita, data={"title": NEW})

    ask.refresh_from_db()
    assert ask.title == f"Pulse on working with Hank ({NEW})"
    assert ask.policy["facts"] == {"about": "Hank Manager", "job": NEW}


def test_a_signed_agreement_that_renames_the_job_renames_its_open_asks(world):
    _ask(world, world.job, "Give Carla Candidate news (Backend Engineer)", "application:news")

    job_agreement_apply(job=world.job, terms={"title": NEW})

    assert _titles(world.job)["application:news"] == f"Give Carla Candidate news ({NEW})"


def test_a_save_that_keeps_the_name_rewrites_no_ask(world):
    _ask(world, world.job, "Give Carla Candidate news (Backend Engineer)", "application:news")

    job_update(job=world.job, by=world.rita, data={"team": "Core"})

    assert _titles(world.job)["application:news"] == "Give Carla Candidate news (Backend Engineer)"
